"""Test the rule that only a wallet's signed intent (or a recorded key rotation) debits it."""

from __future__ import annotations

import pytest
from tests.core.wallet.samples import OTHER, WALLET, intent_of

from terbuka.money.errors import PaymentRefused
from terbuka.money.posting import Posting, posting_make
from terbuka.money.spend import (
    expiry_posting,
    intent_posting,
    merchant_account,
    offline_account,
    programme_account,
    rekey_posting,
    reserve_return_posting,
    voucher_posting,
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


EXPIRES = 1_798_736_399  # end of 2026-12-31 WIB


def pip_expiry(programme: str) -> int | None:
    return EXPIRES if programme == "pip-2026" else None


def test_expired_money_goes_back_to_its_own_fund_only_after_expiry() -> None:
    posting = expiry_posting(WALLET.did, "pip-2026", 40_000, 300_000)
    assert posting.key == f"clawback:wallet:pip-2026:{WALLET.did}:300000"
    assert [(g.account, g.side.value) for g in posting.legs] == [
        (ACCOUNT, "debit"), (programme_account("pip-2026"), "credit")
    ]  # fmt: skip
    wallet_debit_check(posting, never, expires=pip_expiry, now=EXPIRES + 1)
    for now in (EXPIRES, EXPIRES - 86_400, 0):  # on or before the last second: refused
        with pytest.raises(PaymentRefused) as refused:
            wallet_debit_check(posting, never, expires=pip_expiry, now=now)
        assert refused.value.reason == "unsigned_debit"
    with pytest.raises(PaymentRefused):  # the default: no programme ever expires
        wallet_debit_check(posting, never)


def _misdirected() -> list[Posting]:
    good = expiry_posting(WALLET.did, "pip-2026", 40_000, 300_000)
    legs = [(ACCOUNT, "debit", 40_000)]
    return [
        posting_make(good.key, [*legs, (merchant_account("thief"), "credit", 40_000)], good.memo),
        posting_make(good.key, [*legs, ("programme:other", "credit", 40_000)], good.memo),
        posting_make(good.key, [*legs, ("settlement:x", "credit", 40_000)], good.memo),
        posting_make(
            good.key, [*legs, (wallet_account(OTHER.did, "pip-2026"), "credit", 40_000)], good.memo
        ),
        posting_make(
            good.key,
            [*legs, ("programme:pip-2026", "credit", 39_000), ("merchant:thief", "credit", 1_000)],
            good.memo,
        ),
        posting_make(good.key, list(good.legs), "other memo"),
        posting_make(f"clawback:wallet:pip-2026:{WALLET.did}:x", list(good.legs), good.memo),
        posting_make(f"clawback:wallet:pip-2026:{OTHER.did}:300000", list(good.legs), good.memo),
        posting_make("clawback:pip-2026:1:abc", list(good.legs), good.memo),
        # another programme's wallet money into an expired programme's fund
        expiry_posting(WALLET.did, "pkh-2026", 40_000, 300_000),
    ]


@pytest.mark.parametrize("posting", _misdirected())
def test_an_expiry_clawback_cannot_go_anywhere_else(posting: Posting) -> None:
    with pytest.raises(PaymentRefused) as refused:
        wallet_debit_check(posting, never, expires=pip_expiry, now=EXPIRES + 1)
    assert refused.value.reason == "unsigned_debit"


RESERVE = offline_account(WALLET.did, "pip-2026")


def test_an_offline_reserve_pays_only_a_signed_voucher_or_goes_back_to_its_wallet() -> None:
    voucher = voucher_posting(intent_of())
    assert [(g.account, g.amount) for g in voucher.legs] == [
        (RESERVE, 25000), (merchant_account("toko-ani"), 25000)
    ]  # fmt: skip
    wallet_debit_check(voucher, never)
    wallet_debit_check(reserve_return_posting("h" * 43, WALLET.did, "pip-2026", 700), never)
    moved = reserve_return_posting("h" * 43, WALLET.did, "pip-2026", 700, owner=OTHER.did)
    with pytest.raises(PaymentRefused):  # to another key only when it replaced this one
        wallet_debit_check(moved, never)
    wallet_debit_check(moved, lambda old, new: (old, new) == (WALLET.did, OTHER.did))


@pytest.mark.parametrize(
    "posting",
    [
        posting_make("k", [(RESERVE, "debit", 1), ("merchant:m", "credit", 1)]),
        posting_make(  # a voucher's key and memo, paid to another merchant
            voucher_posting(intent_of()).key,
            [(RESERVE, "debit", 25000), (merchant_account("thief"), "credit", 25000)],
            intent_of().format(),
        ),
        posting_make(  # a return to someone else's wallet
            "unreserve:" + "h" * 43,
            [(RESERVE, "debit", 700), (wallet_account(OTHER.did, "pip-2026"), "credit", 700)],
            "x",
        ),
        posting_make(  # a return into another programme
            "unreserve:" + "h" * 43,
            [(RESERVE, "debit", 700), (wallet_account(WALLET.did, "pkh-2026"), "credit", 700)],
            "x",
        ),
    ],
)
def test_any_other_debit_of_an_offline_reserve_is_refused(posting: Posting) -> None:
    with pytest.raises(PaymentRefused) as refused:
        wallet_debit_check(posting, never)
    assert refused.value.reason == "unsigned_debit"
