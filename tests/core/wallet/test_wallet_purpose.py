"""Test the online payment rules: each refusal with its reason, and an accepted chain."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest
from tests.core.wallet.samples import NOW, RESTRICTIONS, SHOP, intent_of

from terbuka.errors import TerbukaError
from terbuka.money.errors import PaymentRefused
from terbuka.money.intent import SignedIntent
from terbuka.money.purpose import (
    ChainHead,
    Merchant,
    day_number,
    day_of,
    money_expires,
    payment_check,
    refusal_reason,
)

FIRST = intent_of()


def _check(
    signed: SignedIntent,
    *,
    head: ChainHead | None = None,
    merchant: Merchant = SHOP,
    spent_today: int = 0,
    now: int = NOW,
    restrictions: object = RESTRICTIONS,
) -> str:
    """Return "ok" or the refusal reason of payment_check with these inputs."""
    try:
        payment_check(
            signed,
            restrictions=restrictions,  # type: ignore[arg-type]
            merchant=merchant,
            head=head or ChainHead(),
            spent_today=spent_today,
            now=now,
        )
    except TerbukaError as exc:
        assert exc.message_id != exc.message_en
        return refusal_reason(exc)
    return "ok"


def test_valid_chain_is_accepted() -> None:
    assert _check(FIRST) == "ok"
    second = intent_of(counter=2, prev=FIRST.hash(), amount=10000)
    assert _check(second, head=ChainHead(1, FIRST.hash())) == "ok"


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"head": ChainHead(1, FIRST.hash())}, "replay"),
        ({"head": ChainHead(5, FIRST.hash())}, "replay"),
        ({"now": 1796518801}, "expired"),
        ({"restrictions": replace(RESTRICTIONS, expires=NOW - 1)}, "expired"),
        ({"merchant": Merchant("toko-ani", "apotek", "3522012001")}, "wrong_category"),
        ({"merchant": Merchant("toko-ani", "atk", "3523012001")}, "wrong_region"),
        ({"merchant": Merchant("toko-budi", "atk", "3522012001")}, "wrong_merchant"),
        ({"restrictions": replace(RESTRICTIONS, programme="pkh-2026")}, "wrong_programme"),
        ({"restrictions": replace(RESTRICTIONS, payment_cap=20000)}, "over_payment_cap"),
        ({"spent_today": 80000}, "over_day_cap"),
    ],
)
def test_each_rule_refuses_with_its_reason(kwargs: dict[str, object], reason: str) -> None:
    assert _check(FIRST, **kwargs) == reason  # type: ignore[arg-type]


def test_forged_signature_is_refused() -> None:
    forged = SignedIntent(replace(FIRST.intent, amount=50000), FIRST.signature)
    assert _check(forged) == "forged"


def test_chain_gap_and_fork_are_refused() -> None:
    third = intent_of(counter=3, prev=FIRST.hash())
    assert _check(third, head=ChainHead(1, FIRST.hash())) == "chain_gap"
    fork = intent_of(counter=2, prev=intent_of(amount=1).hash())
    assert _check(fork, head=ChainHead(1, FIRST.hash())) == "chain_fork"


def test_empty_restrictions_allow_any_merchant_and_amount() -> None:
    free = replace(RESTRICTIONS, categories=frozenset(), regions=(), payment_cap=0, day_cap=0)
    anywhere = Merchant("toko-ani", "apotek", "9171011001")
    assert _check(FIRST, restrictions=free, merchant=anywhere, spent_today=10**9) == "ok"


def test_day_cap_counts_days_in_wib() -> None:
    midnight_wib = 1796490000  # 2026-12-06T00:00:00+07:00
    assert day_of(midnight_wib - 1, RESTRICTIONS) + 1 == day_of(midnight_wib, RESTRICTIONS)
    # the payment path reads the day's spending before it has the restrictions: same day
    assert day_number(midnight_wib) == day_of(midnight_wib, RESTRICTIONS) == 20793
    assert day_number(midnight_wib - 1) == 20792
    assert day_number(midnight_wib, offset=0) == 20792  # still 2026-12-05 in UTC


def test_refusal_carries_reason_in_api_dict() -> None:
    with pytest.raises(PaymentRefused) as info:
        payment_check(
            FIRST,
            restrictions=RESTRICTIONS,
            merchant=SHOP,
            head=ChainHead(),
            spent_today=99000,
            now=NOW,
        )
    assert info.value.as_dict()["reason"] == "over_day_cap"
    assert info.value.as_dict()["code"] == "payment_refused"


def test_region_codes_match_with_or_without_dots() -> None:
    dotted = replace(RESTRICTIONS, regions=("35.22",))
    assert (
        _check(FIRST, restrictions=dotted, merchant=Merchant("toko-ani", "atk", "3522012001"))
        == "ok"
    )
    assert _check(FIRST, merchant=Merchant("toko-ani", "atk", "35.22.01.2001")) == "ok"
    assert _check(FIRST, merchant=Merchant("toko-ani", "atk", "35.23.01.2001")) == "wrong_region"


def test_money_expires_at_the_last_second_of_the_last_day_in_wib() -> None:
    for day in (dt.date(2026, 12, 31), dt.date(2024, 2, 29), dt.date(1999, 1, 1)):
        midnight = dt.datetime.combine(
            day + dt.timedelta(days=1), dt.time(), ZoneInfo("Asia/Jakarta")
        )
        assert money_expires(day) == int(midnight.timestamp()) - 1
    assert money_expires(dt.date(2026, 12, 31), offset=0) == 1798761599
