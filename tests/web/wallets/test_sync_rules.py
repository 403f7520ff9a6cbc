"""Test that sync re-checks the purpose rules a merchant should have applied offline: expiry at
the time taken, category, region, per-payment and per-day caps; a breach goes to the grievance
queue with its reason and moves no money, and a retried sync decides nothing again."""

from __future__ import annotations

import pytest
from django.test import Client

from terbuka.money.keys import WalletKey
from terbuka.money.purpose import WIB
from terbuka.money.spend import merchant_account, offline_account
from terbuka.money.voucher import Voucher
from terbuka_web.ledger.selectors import ledger_check
from terbuka_web.wallets.models import Grievance, OfflineVoucher, Payment
from terbuka_web.wallets.offline import vouchers_sync
from terbuka_web.wallets.services import merchant_token_issue

from .conftest import SLUG, World, approved, intent
from .test_offline import Offline, balance, offline, statuses, w_request

pytestmark = pytest.mark.django_db

DAY = 86400


def _sync(token: str, vouchers: list[str], taken: list[int] | None = None) -> list[tuple]:
    body: dict[str, object] = {"vouchers": vouchers}
    if taken is not None:
        body["taken"] = taken
    answer = Client().post(
        "/api/wallets/sync", body, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )  # fmt: skip
    return statuses(answer)


def _noon(w: Offline, days: int = 0) -> int:
    """Return noon WIB of the day after the allowance was issued, plus days."""
    issued = int(w.allowance.allowance.expires) - 7 * DAY
    return (issued + WIB) // DAY * DAY + DAY - WIB + 12 * 3600 + days * DAY


def test_category_region_and_payment_cap_breaches_go_to_the_queue(
    world: World, issuer: WalletKey
) -> None:
    w = offline(world, 240_000, 6)  # the programme: atk or warung, region 35.22.01, cap 200,000
    tokens = {m: merchant_token_issue(officer=world.ppk, code=m)
              for m in ("toko-ani", "apotek-a", "toko-b")}  # fmt: skip
    pharmacy = w.pay("apotek-a", 10_000)  # counter start
    assert _sync(tokens["apotek-a"], [pharmacy]) == [("grievance", "wrong_category")]
    elsewhere = w.pay("toko-b", 10_000, counter=w.counter, prev=w_request(w))
    assert _sync(tokens["toko-b"], [elsewhere]) == [("grievance", "wrong_region")]
    too_much = w.pay("toko-ani", 210_000, counter=w.counter, prev=w_request(w))
    fine = w.pay("toko-ani", 20_000, counter=w.counter, prev=w_request(w))
    after = w.pay("toko-ani", 5_000)  # follows pharmacy, a breach: it cannot continue the chain
    answer = _sync(tokens["toko-ani"], [too_much, fine, after])
    assert answer == [("grievance", "over_payment_cap"), ("accepted", None), ("grievance", "fork")]
    assert _sync(tokens["toko-ani"], [too_much, fine, after]) == [
        ("grievance", "over_payment_cap"), ("duplicate", None), ("grievance", "fork")]  # fmt: skip
    reasons = sorted(Grievance.objects.values_list("reason", flat=True))
    assert reasons == ["fork", "over_payment_cap", "wrong_category", "wrong_region"]
    evidence = Grievance.objects.get(reason="wrong_category").evidence
    assert evidence == [pharmacy.split("~")[0]]
    assert balance(merchant_account("apotek-a")) == balance(merchant_account("toko-b")) == 0
    assert balance(merchant_account("toko-ani")) == 20_000
    assert balance(offline_account(w.key.did, SLUG)) == 220_000
    assert ledger_check().ok


def test_the_day_cap_counts_each_voucher_on_the_day_it_was_taken(
    world: World, issuer: WalletKey
) -> None:
    w = offline(world, 280_000, 6)  # day cap 250,000
    one, two, three = (w.pay("toko-ani", amount) for amount in (150_000, 100_000, 30_000))
    day = _noon(w)
    now = day + 3 * DAY
    merchant = approved("toko-ani")
    results = vouchers_sync(merchant=merchant, vouchers=[one, two, three], taken=[day, day, day],
                            now=now)  # fmt: skip
    assert [(r.status, r.reason) for r in results] == [
        ("accepted", None), ("accepted", None), ("grievance", "over_day_cap")]  # fmt: skip
    # the citizen pays the same counter again the next day: it continues the chain
    four = w.pay("toko-ani", 20_000, counter=w.counter, prev=Voucher.parse(two).intent.hash())
    again = vouchers_sync(merchant=merchant, vouchers=[one, four], taken=[day, day + DAY], now=now)
    assert [(r.status, r.reason) for r in again] == [("duplicate", None), ("accepted", None)]
    days = sorted(Payment.objects.filter(offline=True).values_list("day", flat=True))
    assert days == [(day + WIB) // DAY] * 2 + [(day + WIB) // DAY + 1]
    assert balance(merchant_account("toko-ani")) == 270_000
    assert ledger_check().ok


def test_a_declared_time_is_bounded_by_the_sync(world: World, issuer: WalletKey) -> None:
    w = offline(world, 280_000, 6)
    token = merchant_token_issue(officer=world.ppk, code="toko-ani")
    vouchers = [w.pay("toko-ani", amount) for amount in (150_000, 120_000)]
    later = _noon(w, 5)  # claimed days ahead: counted at the sync, today, as both are
    assert _sync(token, vouchers, [later, 0]) == [("accepted", None), ("grievance", "over_day_cap")]
    days = {row.taken // DAY for row in OfflineVoucher.objects.all()}
    assert len(days) == 1


def test_a_voucher_taken_after_its_expiry_is_queued_and_unknown_times_count_as_valid(
    world: World, issuer: WalletKey
) -> None:
    w = offline(world, 100_000, 5)
    merchant = approved("toko-ani")
    expires = w.allowance.allowance.expires
    first = w.pay("toko-ani", 10_000)
    second = w.pay("toko-ani", 10_000)
    results = vouchers_sync(merchant=merchant, vouchers=[first], now=expires + 100)
    assert [(r.status, r.reason) for r in results] == [("accepted", None)]
    results = vouchers_sync(
        merchant=merchant, vouchers=[second], taken=[expires + 50], now=expires + 100
    )
    assert [(r.status, r.reason) for r in results] == [("grievance", "expired")]
    row = OfflineVoucher.objects.get(intent_hash=Voucher.parse(second).intent.hash())
    assert row.taken == expires + 50
    assert balance(merchant_account("toko-ani")) == 10_000


def test_a_taken_list_of_another_length_is_refused(world: World, issuer: WalletKey) -> None:
    w = offline(world, 100_000, 5)
    token = merchant_token_issue(officer=world.ppk, code="toko-ani")
    answer = Client().post(
        "/api/wallets/sync", {"vouchers": [w.pay("toko-ani", 1000)], "taken": [1, 2]},
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}",
    )  # fmt: skip
    assert answer.status_code in (400, 422)
    assert "taken" in answer.content.decode()
    assert not OfflineVoucher.objects.exists()


def test_online_payments_of_the_day_count_for_the_offline_day_cap(
    world: World, issuer: WalletKey
) -> None:
    w = offline(world, 60_000, 3)
    online = intent(w.key, 200_000)
    posted = Client().post("/api/wallets/payments", {"intent": online.format()},
                           content_type="application/json")  # fmt: skip
    assert posted.status_code == 201, posted.content
    voucher = w.pay("toko-ani", 60_000)  # 200,000 + 60,000 > 250,000 today
    token = merchant_token_issue(officer=world.ppk, code="toko-ani")
    assert _sync(token, [voucher]) == [("grievance", "over_day_cap")]
    assert balance(offline_account(w.key.did, SLUG)) == 60_000
