"""The merchant's page (/dompet/pedagang/) in real chromium at phone width: a voucher made by
the core is checked offline in the browser, a replay refused, and the page keeps working with
the network cut (service worker)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser
from pytest_django.fixtures import Settings
from tests.browser.axe import wcag_violations

from terbuka.money.allowance import Allowance, allowance_sign
from terbuka.money.intent import GENESIS, Intent, intent_sign
from terbuka.money.keys import wallet_key_from_seed
from terbuka.money.voucher import Voucher
from terbuka_web.regions.models import Region
from terbuka_web.wallets.models import Merchant

pytestmark = pytest.mark.django_db(transaction=True)

WALLET = wallet_key_from_seed(bytes(32))
ISSUER = wallet_key_from_seed(bytes(range(32)))


@pytest.fixture
def shop(settings: Settings) -> None:
    """Approve one school-supply shop in a Bojonegoro village; name the allowance issuer."""
    settings.TERBUKA = {**settings.TERBUKA, "WALLET_ISSUER": ISSUER.did}
    village = Region.objects.create(code="35.22.01.2001", name="Ngasem", level="village")
    Merchant.objects.create(
        code="toko-ani", name="Toko Ani", category="atk", village=village,
        approved_at=timezone.now(),
    )  # fmt: skip


def _voucher(counter: int, prev: str, amount: int) -> tuple[str, str]:
    now = int(time.time())
    allowance = Allowance(WALLET.did, "pip-2026", 150000, 5, 1, now + 86400, 50000, 100000,
                          ("atk",), ("3522",))  # fmt: skip
    signed = intent_sign(WALLET, Intent(WALLET.did, "toko-ani", "pip-2026", amount, counter,
                                        now + 600, prev))  # fmt: skip
    return Voucher(signed, allowance_sign(ISSUER, allowance)).format(), signed.hash()


def test_a_merchant_checks_a_qr_payment_offline_and_refuses_its_replay(
    live_server: Any, browser: Browser, shop: None
) -> None:
    context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/dompet/pedagang/")
    assert wcag_violations(page) == []
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    first, first_hash = _voucher(1, GENESIS, 25000)
    page.fill("#payload", first)
    page.click("#merchant-check button[type=submit]")
    page.wait_for_selector("#check-result.usa-alert--success")
    assert "SAH: Rp 25.000" in page.inner_text("#check-result")
    page.fill("#payload", first)
    page.click("#merchant-check button[type=submit]")
    page.wait_for_selector("#check-result.usa-alert--error")
    assert "DITOLAK (replay)" in page.inner_text("#check-result")

    context.set_offline(True)
    page.reload()
    second, _hash = _voucher(2, first_hash, 60000)
    page.fill("#payload", second)
    page.click("#merchant-check button[type=submit]")
    page.wait_for_selector("#check-result.usa-alert--error")
    assert "over_payment_cap" in page.inner_text("#check-result")
    second, _hash = _voucher(2, first_hash, 40000)
    page.fill("#payload", second)
    page.click("#merchant-check button[type=submit]")
    page.wait_for_selector("#check-result.usa-alert--success")
    assert page.locator("#taken li").count() == 2
    assert wcag_violations(page) == []
    context.close()
