"""Test offline vouchers: golden payload, offline refusals, and double spends found at sync."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.core.wallet.samples import (
    ISSUER,
    NOW,
    OTHER,
    SHOP,
    WALLET,
    allowance_of,
    intent_of,
    voucher_of,
)

from terbuka.errors import TerbukaError
from terbuka.money.allowance import SignedAllowance
from terbuka.money.errors import WalletFormatError
from terbuka.money.intent import GENESIS, SignedIntent
from terbuka.money.keys import WalletKey
from terbuka.money.purpose import ChainHead, Merchant, refusal_reason
from terbuka.money.voucher import (
    Voucher,
    chain_accept,
    conflicts_find,
    offline_check,
    vouchers_verify,
)

PAYLOAD = (
    "TPI1.z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp.toko-ani.pip-2026.25000.1."
    "1796518800.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA."
    "4M4gd1bfGAeLD-yMxE3rbXMZQcSZuw0fSgnePf7dKgK-mgY4OqwM24jZCXBb8d-BMooaKjMlTTPHz-ltC-1BCA"
    "~TOA1...150000.5.1.1797120000.50000.100000.atk,warung.3522."
    "tpZlgyo4toVXrRg0pey9LVL__BsqmvzXhLMOpPPvrRv3YHQxo3aKK9VBK6YlnbhgCuFQyH4Q3m6_F_M5q06oBQ"
)


def _offline(voucher: Voucher, **kwargs: object) -> str:
    """Return "ok" or the refusal reason of offline_check."""
    options: dict[str, object] = {"issuer": ISSUER.did, "merchant": SHOP, "now": NOW, **kwargs}
    try:
        offline_check(voucher, **options)  # type: ignore[arg-type]
    except TerbukaError as exc:
        assert exc.message_id != exc.message_en
        return refusal_reason(exc)
    return "ok"


def test_golden_payload_formats_parses_and_passes() -> None:
    voucher = voucher_of()
    assert voucher.format() == PAYLOAD
    assert Voucher.parse(PAYLOAD) == voucher
    assert _offline(voucher) == "ok"


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"issuer": OTHER.did}, "forged"),
        ({"now": 1796518801}, "expired"),
        ({"merchant": Merchant("toko-ani", "apotek", "3522012001")}, "wrong_category"),
        ({"merchant": Merchant("toko-ani", "atk", "3171012001")}, "wrong_region"),
        ({"spent_today": 90000}, "over_day_cap"),
        ({"seen": [intent_of()]}, "replay"),
        ({"seen": [intent_of(amount=1000)]}, "double_spend"),
    ],
)
def test_offline_refusals(kwargs: dict[str, object], reason: str) -> None:
    assert _offline(voucher_of(), **kwargs) == reason


def test_offline_refusals_of_the_voucher_itself() -> None:
    assert _offline(voucher_of(amount=60000)) == "over_payment_cap"
    assert _offline(voucher_of(counter=6)) == "outside_allowance"
    assert _offline(voucher_of(programme="pkh-2026")) == "wrong_programme"
    assert _offline(Voucher(intent_of(OTHER), allowance_of())) == "wrong_wallet"
    forged = Voucher.parse(PAYLOAD.replace(".25000.", ".45000."))
    assert _offline(forged) == "forged"


def test_allowance_amount_is_enforced_offline() -> None:
    first = intent_of(amount=50000)
    second = intent_of(counter=2, prev=first.hash(), amount=50000)
    third = intent_of(counter=3, prev=second.hash(), amount=50000)
    fourth = Voucher(intent_of(counter=4, prev=third.hash(), amount=10000), allowance_of())
    assert _offline(fourth, seen=[first, second]) == "ok"
    assert _offline(fourth, seen=[first, second, third]) == "allowance_overdrawn"


@pytest.mark.parametrize(
    "text",
    [
        PAYLOAD.replace("~", ""),
        PAYLOAD + "~",
        PAYLOAD.replace("~TOA1..", "~TOA1.z6Mk.x"),
        "x" * 900,
    ],
)
def test_malformed_payloads_are_refused(text: str) -> None:
    with pytest.raises(WalletFormatError) as info:
        Voucher.parse(text)
    assert info.value.message_id != info.value.message_en


@given(st.integers(0, len(PAYLOAD) - 1), st.text(max_size=3), st.integers(0, 3))
def test_parser_never_crashes_on_mutations(at: int, insert: str, cut: int) -> None:
    try:
        Voucher.parse(PAYLOAD[:at] + insert + PAYLOAD[at + cut :])
    except WalletFormatError as exc:
        assert exc.message_id != exc.message_en and exc.where


# --- sync: a hypothesis-generated mix of honest chains, double spends and retries ---

KEYS: list[WalletKey] = [WALLET, OTHER]


def _chain(key: WalletKey, length: int, amount: int) -> list[Voucher]:
    """Return key's honest chain of length vouchers under one allowance covering them."""
    allowance = allowance_of(key, amount=10**6, count=length + 5)
    vouchers, prev = [], GENESIS
    for counter in range(1, length + 1):
        signed = intent_of(key, counter=counter, prev=prev, amount=amount)
        vouchers.append(Voucher(signed, allowance))
        prev = signed.hash()
    return vouchers


def _double(voucher: Voucher, salt: int) -> Voucher:
    """Return another intent of the same wallet with the same counter and prev."""
    i = voucher.intent.intent
    key = WALLET if i.wallet == WALLET.did else OTHER
    other = intent_of(
        key, counter=i.counter, prev=i.prev, amount=i.amount + 1 + salt, merchant="toko-lain"
    )
    return Voucher(other, voucher.allowance)


mixes = st.tuples(
    st.lists(st.integers(1, 6), min_size=1, max_size=2),  # chain length per wallet
    st.lists(st.tuples(st.integers(0, 11), st.integers(0, 3)), max_size=4),  # doubles
    st.randoms(use_true_random=False),
    st.integers(0, 3),  # retried vouchers
)


@settings(max_examples=40, deadline=None)
@given(mixes)
def test_every_offline_double_spend_is_caught(
    mix: tuple[list[int], list[tuple[int, int]], object, int],
) -> None:
    lengths, doubles, rng, retries = mix
    honest = [v for key, n in zip(KEYS, lengths, strict=False) for v in _chain(key, n, 1000)]
    injected = [_double(honest[at % len(honest)], salt) for at, salt in doubles]
    vouchers = honest + injected
    vouchers += vouchers[:retries]  # an interrupted sync, retried
    rng.shuffle(vouchers)  # type: ignore[attr-defined]
    conflicts = conflicts_find(vouchers)
    caught = {item.hash() for c in conflicts if c.kind == "counter" for item in c.evidence}
    for double in injected:
        assert double.intent.hash() in caught
    if not injected:
        assert conflicts == []
    assert conflicts_find(vouchers + vouchers) == conflicts  # retrying finds the same
    for conflict in conflicts:
        assert len(conflict.evidence) >= 2
        assert len({item.intent.counter for item in conflict.evidence}) == 1
        assert all(SignedIntent.parse(text) for text in conflict.as_data()["intents"])  # type: ignore[attr-defined]


@settings(max_examples=40, deadline=None)
@given(mixes)
def test_exactly_one_branch_is_accepted_and_retry_changes_nothing(
    mix: tuple[list[int], list[tuple[int, int]], object, int],
) -> None:
    lengths, doubles, rng, retries = mix
    honest = [v for key, n in zip(KEYS, lengths, strict=False) for v in _chain(key, n, 1000)]
    injected = [_double(honest[at % len(honest)], salt) for at, salt in doubles]
    vouchers = honest + injected + (honest + injected)[:retries]
    rng.shuffle(vouchers)  # type: ignore[attr-defined]
    outcome = chain_accept(vouchers, {})
    if not injected:
        assert outcome.rejected == () and outcome.waiting == ()
    unique = {v.intent.hash() for v in vouchers}
    decided = [*outcome.accepted, *outcome.rejected, *outcome.waiting]
    assert sorted(v.intent.hash() for v in decided) == sorted(unique)  # none lost, none twice
    for key in KEYS:
        chain = [v.intent for v in outcome.accepted if v.intent.intent.wallet == key.did]
        assert [s.intent.counter for s in chain] == list(range(1, len(chain) + 1))
        prev = GENESIS
        for signed in chain:
            assert signed.intent.prev == prev
            prev = signed.hash()
    again = chain_accept(vouchers, outcome.heads)
    assert again.accepted == ()
    assert set(again.rejected) <= set(outcome.rejected)


def test_first_arrival_wins_and_the_other_branch_is_rejected() -> None:
    chain = _chain(WALLET, 3, 1000)
    double = _double(chain[1], 0)
    outcome = chain_accept([chain[0], double, *chain[1:]], {})
    assert [v.intent.intent.counter for v in outcome.accepted] == [1, 2]
    assert outcome.accepted[1] == double
    assert set(outcome.rejected) == {chain[1], chain[2]}  # chain[2] follows the losing branch
    assert outcome.waiting == ()
    assert outcome.heads[WALLET.did] == ChainHead(2, double.intent.hash())


def test_overdrawn_allowance_is_a_conflict_and_the_excess_is_rejected() -> None:
    allowance = allowance_of(amount=60000)
    first = intent_of(amount=40000)
    second = intent_of(counter=2, prev=first.hash(), amount=30000)
    vouchers = [Voucher(first, allowance), Voucher(second, allowance)]
    [conflict] = conflicts_find(vouchers)
    assert conflict.kind == "overdrawn"
    assert conflict.evidence == (first, second)
    outcome = chain_accept(vouchers, {})
    assert outcome.accepted == (vouchers[0],)
    assert outcome.rejected == (vouchers[1],)


def test_fork_with_different_counters_is_a_conflict() -> None:
    first = intent_of()
    second = intent_of(counter=2, prev=first.hash())
    skip = intent_of(counter=3, prev=first.hash(), amount=500)
    kinds = [
        c.kind
        for c in conflicts_find(
            [voucher_of(), Voucher(second, allowance_of()), Voucher(skip, allowance_of())]
        )
    ]
    assert kinds == ["fork"]


@settings(max_examples=30, deadline=None)
@given(
    amounts=st.lists(st.integers(1, 50000), min_size=1, max_size=6),
    limit=st.integers(1, 200000),
    rng=st.randoms(use_true_random=False),
)
def test_every_overdrawn_allowance_is_caught(amounts: list[int], limit: int, rng: object) -> None:
    allowance = allowance_of(amount=limit, count=10)
    vouchers, prev = [], GENESIS
    for counter, amount in enumerate(amounts, start=1):
        signed = intent_of(counter=counter, prev=prev, amount=amount)
        vouchers.append(Voucher(signed, allowance))
        prev = signed.hash()
    rng.shuffle(vouchers)  # type: ignore[attr-defined]
    kinds = [c.kind for c in conflicts_find(vouchers + vouchers[:1])]
    assert kinds == (["overdrawn"] if sum(amounts) > limit else [])
    outcome = chain_accept(vouchers, {})
    assert sum(v.intent.intent.amount for v in outcome.accepted) <= limit


def test_vouchers_verify_checks_each_allowance_once_but_never_trusts_a_lookalike() -> None:
    good = allowance_of()
    payloads = [Voucher(intent_of(counter=n), good).format() for n in (1, 2)]
    # same fields as the good allowance, the good signature, but a larger amount: forged
    a = good.allowance
    lookalike = SignedAllowance(replace(a, amount=a.amount * 10), good.signature)
    payloads.append(Voucher(intent_of(counter=3), lookalike).format())
    payloads.append(Voucher(intent_of(counter=9), good).format())  # outside 1..5
    payloads.append(Voucher(intent_of(OTHER, counter=4), allowance_of(OTHER)).format())
    payloads.append("TPI1.x")
    checked = vouchers_verify(payloads, ISSUER.did)
    reasons = [v if isinstance(v, Voucher) else refusal_reason(v) for v in checked]
    assert reasons[:2] == [Voucher.parse(p) for p in payloads[:2]]
    assert reasons[2:4] == ["forged", "outside_allowance"]
    assert isinstance(reasons[4], Voucher) and reasons[5] == "wallet_format"
    assert checked[0].allowance is checked[1].allowance  # type: ignore[union-attr]
    assert [refusal_reason(v) for v in vouchers_verify(payloads[:1], OTHER.did)] == ["forged"]
