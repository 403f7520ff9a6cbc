"""Property tests of terbuka.money.ledger: balanced, never negative, conserved, idempotent."""

from __future__ import annotations

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from terbuka.money.errors import BalanceNegative, IdempotencyConflict, MoneyError
from terbuka.money.ledger import Ledger, balances_after, postings_apply
from terbuka.money.posting import Posting, posting_make

HOLDERS = ["programme:pkh", "entitlement:pkh:a1", "entitlement:pkh:b2", "wallet:w1:food",
           "merchant:m1", "settlement:bri", "clawback:pkh"]  # fmt: skip
ACCOUNTS = ["treasury:apbd", *HOLDERS]


def move(key: str, source: str, target: str, amount: int) -> Posting:
    """Return the posting of amount from source to target under key."""
    return posting_make(key, [(source, "debit", amount), (target, "credit", amount)])


def test_docstring_example() -> None:
    book = Ledger()
    fund = move("f1", "treasury:apbd", "programme:pkh", 500)
    assert (book.post(fund), book.post(fund), book.balances["programme:pkh"], book.total()) == (
        True, False, 500, 0)  # fmt: skip


def test_negative_refused_and_ledger_unchanged() -> None:
    book = Ledger()
    book.post(move("f1", "treasury:apbd", "programme:pkh", 500))
    before = dict(book.balances), dict(book.hashes)
    with pytest.raises(BalanceNegative) as caught:
        book.post_many([move("c1", "programme:pkh", "entitlement:pkh:a1", 300),
                        move("c2", "programme:pkh", "entitlement:pkh:b2", 300)])  # fmt: skip
    assert caught.value.where == "programme:pkh"
    assert (book.balances, book.hashes) == before  # all or nothing


def test_same_key_other_content_refused_even_within_a_batch() -> None:
    book = Ledger()
    book.post(move("f1", "treasury:apbd", "programme:pkh", 500))
    with pytest.raises(IdempotencyConflict):
        book.post(move("f1", "treasury:apbd", "programme:pkh", 501))
    with pytest.raises(IdempotencyConflict):
        postings_apply({}, {}, [move("k", "treasury:a", "programme:p", 1),
                                move("k", "treasury:a", "programme:p", 2)])  # fmt: skip
    batch = postings_apply({}, {}, [move("k", "treasury:a", "programme:p", 1)] * 3)
    assert (len(batch.applied), len(batch.skipped), batch.balances["programme:p"]) == (1, 2, 1)


def test_balances_after_does_not_change_its_input() -> None:
    balances = {"programme:pkh": 5}
    assert balances_after(balances, move("k", "programme:pkh", "merchant:m1", 5)) == {
        "programme:pkh": 0, "merchant:m1": 5}  # fmt: skip
    assert balances == {"programme:pkh": 5}


class LedgerMachine(RuleBasedStateMachine):
    """Drive a Ledger with random postings against a plain model of what it must hold."""

    def __init__(self) -> None:
        super().__init__()
        self.book = Ledger()
        self.model: dict[str, int] = {}
        self.posted: dict[str, Posting] = {}
        self.counter = 0

    def _expect(self, posting: Posting) -> None:
        """Post posting; check it is refused exactly when the model says a holder goes negative."""
        after = dict(self.model)
        for leg in posting.legs:
            after[leg.account] = after.get(leg.account, 0) + leg.delta
        goes_negative = any(after[a] < 0 for a in HOLDERS if a in after)
        if goes_negative:
            with pytest.raises(BalanceNegative):
                self.book.post(posting)
        else:
            assert self.book.post(posting) is True
            self.model = after
            self.posted[posting.key] = posting

    @rule(account=st.sampled_from(HOLDERS), amount=st.integers(1, 10**9))
    def fund(self, account: str, amount: int) -> None:
        self.counter += 1
        self._expect(move(f"k{self.counter}", "treasury:apbd", account, amount))

    @rule(source=st.sampled_from(HOLDERS), sinks=st.lists(st.sampled_from(ACCOUNTS), min_size=1,
          max_size=3, unique=True), amount=st.integers(1, 10**9))  # fmt: skip
    def spread(self, source: str, sinks: list[str], amount: int) -> None:
        targets = [t for t in sinks if t != source] or [
            "clawback:pkh" if source != "clawback:pkh" else "merchant:m1"
        ]
        self.counter += 1
        legs = [(source, "debit", amount * len(targets))] + [(t, "credit", amount) for t in targets]
        self._expect(posting_make(f"k{self.counter}", legs))

    @rule(source=st.sampled_from(HOLDERS), dest=st.sampled_from(ACCOUNTS), share=st.floats(0, 1))
    def drain(self, source: str, dest: str, share: float) -> None:
        """Move up to the whole balance of source: the edge at exactly zero."""
        amount = int(self.model.get(source, 0) * share)
        if amount >= 1 and source != dest:
            self.counter += 1
            self._expect(move(f"k{self.counter}", source, dest, amount))

    @precondition(lambda self: self.posted)
    @rule(data=st.data())
    def repeat(self, data: st.DataObject) -> None:
        posting = self.posted[data.draw(st.sampled_from(sorted(self.posted)))]
        assert self.book.post(posting) is False

    @precondition(lambda self: self.posted)
    @rule(data=st.data(), extra=st.integers(1, 5))
    def conflict(self, data: st.DataObject, extra: int) -> None:
        posting = self.posted[data.draw(st.sampled_from(sorted(self.posted)))]
        moved = sum(leg.amount for leg in posting.legs if leg.delta > 0)
        other = move(posting.key, "treasury:apbd", "settlement:bri", moved + extra)
        with pytest.raises(IdempotencyConflict):
            self.book.post(other)

    @invariant()
    def matches_model(self) -> None:
        assert {a: b for a, b in self.book.balances.items() if b or a in self.model} == {
            a: b for a, b in self.model.items() if b or a in self.book.balances}  # fmt: skip

    @invariant()
    def conserved(self) -> None:
        assert self.book.total() == 0

    @invariant()
    def never_negative(self) -> None:
        assert all(b >= 0 for a, b in self.book.balances.items() if not a.startswith("treasury:"))


LedgerMachine.TestCase.settings = settings(max_examples=150, stateful_step_count=40, deadline=None)
TestLedgerMachine = LedgerMachine.TestCase


def test_money_error_is_bilingual() -> None:
    with pytest.raises(MoneyError) as caught:
        move("k", "programme:p", "programme:p", 1)
    assert "dua kali" in caught.value.message_id and "twice" in caught.value.message_en
