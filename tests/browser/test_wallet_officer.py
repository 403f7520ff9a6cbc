"""The officers' wallet pages in real chromium at 360 px, against a live server: a PPK of Dinas
Sosial logs in, follows the wallet links of the Kelola page to the merchants' settlements,
settles a shop's takings, opens the grievance queue of offline double spends with its signed
evidence and resolves one. Every page fits the phone and is axe-clean."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from tests.browser.forms import login, submit
from tests.browser.test_benefits import _fits
from tests.web.benefits.conftest import (  # noqa: F401  (fixtures)
    consortium,
    region,
)
from tests.web.conftest import bojonegoro  # noqa: F401  (fixture)
from tests.web.wallets.conftest import World, issuer, world  # noqa: F401  (fixtures)
from tests.web.wallets.test_grievances import double_spend

from terbuka.money.intent import SignedIntent
from terbuka.money.keys import WalletKey
from terbuka_web.transparency.models import LogEntry
from terbuka_web.wallets.models import Grievance, Settlement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Sandi-panjang-Petugas-42"


def test_an_officer_settles_a_shop_and_resolves_a_double_spend_on_a_phone(
    live_server: Any,
    browser: Browser,
    world: World,  # noqa: F811
    issuer: WalletKey,  # noqa: F811
    screenshot: Callable[[Page, str], Path],
) -> None:
    _paid, lost = double_spend(world)  # toko-ani: 20,000 paid offline, a 25,000 twin lost
    world.ppk.set_password(PASSWORD)
    world.ppk.save()
    context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, live_server.url, "ppk.dinsos", PASSWORD)
    nav = page.get_by_role("navigation", name="Dompet bantuan")
    assert nav.get_by_role("link").all_inner_texts() == [
        "Meja pendaftaran dompet", "Penyelesaian pedagang", "Pengaduan belanja ganda"]  # fmt: skip
    with page.expect_navigation():
        nav.get_by_role("link", name="Penyelesaian pedagang").click()
    assert _fits(page) == []
    screenshot(page, "wallet-officer-settlements")
    submit(page, "Selesaikan Toko Ani")
    assert "/dompet/penyelesaian/" in page.url and "Rp 20.000" in page.content()
    assert Settlement.objects.get().amount == 20_000
    with page.expect_navigation():
        page.get_by_role("link", name="Pengaduan belanja ganda").click()
    assert _fits(page) == []
    grievance = Grievance.objects.get()
    card = page.locator(f"#pengaduan-{grievance.pk}")
    assert SignedIntent.parse(lost).hash() in card.inner_text()
    assert "Nomor urut dipakai dua kali" in card.inner_text()
    screenshot(page, "wallet-officer-grievances")
    card.get_by_text("Ditolak: pedagang menanggung kerugiannya").click()  # USWDS styles the label
    card.get_by_label("Catatan (hanya untuk petugas, tidak masuk log)").fill("QR disalin")
    submit(card, f"Selesaikan pengaduan {grievance.pk}")
    assert page.locator(".usa-alert--success").count() == 1 and _fits(page) == []
    assert (
        "Ditolak: pedagang menanggung kerugiannya"
        in page.locator(f"#pengaduan-{grievance.pk}").inner_text()
    )
    grievance.refresh_from_db()
    assert (grievance.decision, grievance.resolved_by_id) == ("rejected", world.ppk.pk)
    assert LogEntry.objects.filter(kind="wallet.grievance").count() == 1
    context.close()
