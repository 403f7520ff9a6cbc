"""The citizen app (/dompet/) and the officer's enrolment desk in real chromium, phone width,
against a live server: the officer finds the registrant and issues the enrolment code, the
phone makes its key and enrols, a disbursement cycle credits the wallet (a notice), the phone
pays a merchant online, the log sequences the payment and the phone checks its inclusion
proof, and the app keeps working with the network cut (service worker)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from pytest_django.fixtures import Settings
from tests.browser.axe import wcag_violations
from tests.web.benefits.conftest import (  # noqa: F401  (fixtures)
    Consortium,
    consortium,
    person,
    programme_new,
    propose,
    region,
    registry_bytes,
)
from tests.web.conftest import bojonegoro  # noqa: F401  (fixture)

from terbuka.tlog.note import generate_key
from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.benefits.cycles import cycle_run
from terbuka_web.benefits.models import Programme
from terbuka_web.benefits.registry import registry_import
from terbuka_web.transparency.services import log_sequence
from terbuka_web.wallets.models import Payment, Wallet
from terbuka_web.wallets.services import merchant_approve, purpose_set

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VILLAGE = "35.22.01.2001"
PASSWORD = "Sandi-panjang-Dompet-42"
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def programme(
    settings: Settings,
    region: list[Agency],  # noqa: F811
    consortium: Consortium,  # noqa: F811
) -> Programme:
    """A programme with its rules adopted and no cycle yet, an approved shop, an operator."""
    skey, _vkey = generate_key("dompet.terbuka.example/log")
    settings.TERBUKA = {
        **settings.TERBUKA, "LOG_ORIGIN": "dompet.terbuka.example/log", "LOG_KEY": skey,
    }  # fmt: skip
    registry_import(actor=None, filename="r.csv", data=registry_bytes([person(0, VILLAGE)]))
    programme = programme_new("pip-uji", period_end=dt.date(2099, 12, 31), regions=["35.22.01"])
    consortium.adopt(propose(programme))
    purpose_set(actor=None, programme=programme, categories=["atk"], payment_cap=200_000)
    dinsos = Agency.objects.get(code="3522-dinsos")
    User.objects.create_user("op.dinsos", password=PASSWORD, role=Role.OPERATOR, agency=dinsos)
    ppk = User.objects.create_user("ppk.dinsos", role=Role.PPK, agency=dinsos)
    merchant_approve(officer=ppk, code="toko-ani", name="Toko Ani", category="atk", village=VILLAGE)
    programme.refresh_from_db()
    return programme


def _officer_issues_a_code(browser: Browser, url: str) -> tuple[Page, str]:
    """Log the operator in, find person 0 by NIK at the desk, issue the code; return it."""
    context = browser.new_context(locale="id-ID", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(url + "/akun/masuk/?next=/dompet/petugas/daftar/")
    page.locator("#id_username").fill("op.dinsos")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/dompet/petugas/daftar/")
    assert wcag_violations(page) == []
    page.fill("#id_nik", person(0, VILLAGE)["nik"])
    page.get_by_role("button", name="Cari penerima").click()
    assert page.inner_text("#registrant-name") == "Warga Fiktif 0 Sukamaju"
    page.click("#issue")
    page.wait_for_selector("#desk-status.usa-alert--info")
    assert page.locator(".tb-qr svg").count() == 1
    assert wcag_violations(page) == []
    return page, page.input_value("#enrol-code")


def test_a_citizen_enrols_receives_money_pays_and_checks_the_proof_offline_too(
    live_server: Any,
    browser: Browser,
    programme: Programme,
    screenshot: Callable[[Page, str], Path],
) -> None:
    desk, code = _officer_issues_a_code(browser, live_server.url)
    assert code.startswith("TEN1.")

    context = browser.new_context(locale="id-ID", viewport=PHONE)
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    phone.goto(live_server.url + "/dompet/")
    phone.wait_for_selector("#setup:not([hidden])")
    assert wcag_violations(phone) == []
    phone.click("#create")
    phone.wait_for_selector("#enrol:not([hidden])")
    phone.fill("#enrol-code", code)
    phone.get_by_role("button", name="Daftarkan", exact=True).click()
    phone.wait_for_selector("#wallet:not([hidden])")
    did = phone.inner_text("#did")
    wallet = Wallet.objects.get(did=did)
    assert wallet.registrant.village_code == VILLAGE and did.startswith("did:key:z6Mk")
    desk.wait_for_selector("#desk-status.usa-alert--success")  # the desk saw it done
    assert "Selesai" in desk.inner_text("#desk-status")
    assert "Belum ada saldo" in phone.inner_text("#balances")

    cycle_run(programme=programme)  # the disbursement: credited into the enrolled wallet
    phone.reload()
    phone.wait_for_selector("#notices .usa-alert--success")
    assert "Dana masuk: Rp 300.000 dari program pip-uji" in phone.inner_text("#notices")
    assert "pip-uji: Rp 300.000" in phone.inner_text("#balances")

    phone.select_option("#pay-merchant", "toko-ani")
    phone.fill("#pay-amount", "25000")
    phone.get_by_role("button", name="Bayar sekarang").click()
    phone.wait_for_selector("#pay-result.usa-alert--success")
    assert "Dibayar: Rp 25.000 ke toko-ani" in phone.inner_text("#pay-result")
    payment = Payment.objects.get(wallet=wallet)
    assert (payment.amount, payment.counter, payment.merchant.code) == (25_000, 1, "toko-ani")
    assert "pip-uji: Rp 275.000" in phone.inner_text("#balances")
    phone.fill("#pay-amount", "300000")  # over the per-payment cap: refused with the reason
    phone.get_by_role("button", name="Bayar sekarang").click()
    phone.wait_for_selector("#pay-result.usa-alert--error")
    assert "over_payment_cap" in phone.inner_text("#pay-result")

    log_sequence()
    phone.reload()
    assert phone.locator("#notices .usa-alert").count() == 0  # seen at the last visit
    phone.click("#history details summary")
    phone.wait_for_selector("#history .tb-proof-ok")
    assert "Bukti sah: tercatat di log" in phone.inner_text("#history")
    receipt = phone.inner_text("#history pre")
    forged = phone.evaluate(  # the proof of another entry or index: refused
        """([receipt, vkey]) => Promise.all([
             TerbukaLog.receiptCheck(receipt, '{"kind":"wallet.payment"}', vkey),
             TerbukaLog.receiptCheck(receipt.replace(/^index \\d+$/m, "index 0"), "{}", vkey),
           ].map((p) => p.then(() => "accepted", (e) => e.message)))""",
        [receipt, phone.get_attribute("#app", "data-log-vkey")],
    )
    assert [m.split(" / ")[1] for m in forged] == ["the inclusion proof does not match"] * 2
    assert wcag_violations(phone) == []
    screenshot(phone, "wallet-citizen")

    phone.fill("#pay-amount", "10000")
    phone.click("#pay-qr")
    phone.wait_for_selector("#qr:not([hidden]) svg")
    shown = phone.input_value("#qr-text")
    assert shown.startswith("TPI1." + did[len("did:key:") :] + ".toko-ani.pip-uji.10000.2.")

    context.set_offline(True)
    phone.reload()
    phone.wait_for_selector("#wallet:not([hidden])")
    assert not phone.locator("#network").is_hidden()
    assert "pip-uji: Rp 275.000" in phone.inner_text("#balances")
    assert wcag_violations(phone) == []
    context.close()
    desk.context.close()
