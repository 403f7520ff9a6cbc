"""Test the rule that only a wallet's signed intent (or a recorded key rotation) debits it."""

from __future__ import annotations

import pytest
from tests.core.wallet.samples import OTHER, WALLET, intent_of

from terbuka.money.errors import PaymentRefused
from terbuka.money.posting import Posting, posting_make
from terbuka.money.spend import (
    intent_posting,
    merchant_account,
    rekey_posting,
    wallet_account,
    wallet_debit_check,
)

ACCOUNT = wallet_account(WALLET.did, "pip-2026")


def never(old: str, new: str) -> bool:
    return False


def test_the_posting_of_a_signed_intent_passes() -> None:
    posting = intent_posting(intent_of())
    assert posting.key == "pay:" + intent_of().hash() and posting.memo == intent_of().format()
    assert [(g.account, g.amount) for g in posting.legs] == [
        (ACCOUNT, 25000), (merchant_account("toko-ani"), 25000)
    ]  # fmt: skip
    wallet_debit_check(posting, never)


def test_money_into_a_wallet_or_between_other_accounts_passes() -> None:
    wallet_debit_check(
        posting_make("c", [("programme:p", "debit", 5), (ACCOUNT, "credit", 5)]), never
    )


def _altered() -> list[Posting]:
    good = intent_posting(intent_of())
    other_merchant = posting_make(
        good.key, [(ACCOUNT, "debit", 25000), (merchant_account("thief"), "credit", 25000)],
        good.memo,
    )  # fmt: skip
    forged_memo = good.memo[:-2] + ("AA" if not good.memo.endswith("AA") else "BA")
    return [
        posting_make("k", [(ACCOUNT, "debit", 1), ("merchant:m", "credit", 1)]),
        other_merchant,
        posting_make(good.key, list(good.legs), forged_memo),
        posting_make("pay:x", list(good.legs), good.memo),
        rekey_posting(WALLET.did, OTHER.did, "pip-2026", 5),
    ]


@pytest.mark.parametrize("posting", _altered())
def test_any_other_wallet_debit_is_refused(posting: Posting) -> None:
    with pytest.raises(PaymentRefused) as refused:
        wallet_debit_check(posting, never)
    assert refused.value.reason == "unsigned_debit"


def test_a_rekey_passes_only_when_recorded() -> None:
    posting = rekey_posting(WALLET.did, OTHER.did, "pip-2026", 5)
    seen: list[tuple[str, str]] = []

    def recorded(old: str, new: str) -> bool:
        seen.append((old, new))
        return True

    wallet_debit_check(posting, recorded)
    assert seen == [(WALLET.did, OTHER.did)]
    wrong_way = posting_make(posting.key, [(ACCOUNT, "debit", 5), ("merchant:m", "credit", 5)],
                             posting.memo)  # fmt: skip
    with pytest.raises(PaymentRefused):
        wallet_debit_check(wrong_way, recorded)
