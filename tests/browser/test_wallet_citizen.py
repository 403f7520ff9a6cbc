"""The citizen app (/dompet/) and the officer's enrolment desk in real chromium, phone width,
against a live server: the officer finds the registrant and issues the enrolment code, the
phone makes its key and enrols, a disbursement cycle credits the wallet (a notice), the phone
pays a merchant online, the log sequences the payment and the phone checks its inclusion
proof; then it takes an offline allowance, goes offline (the app keeps working: service
worker), pays by showing a voucher QR that the merchant's page checks with no network, the
merchant syncs, and the phone sees the offline payment in its history with its proof."""

from __future__ import annotations

import datetime as dt
import os
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

from terbuka.money.keys import wallet_key_generate
from terbuka.tlog.note import generate_key
from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.benefits.cycles import cycle_run
from terbuka_web.benefits.models import Programme
from terbuka_web.benefits.registry import registry_import
from terbuka_web.transparency.services import log_sequence
from terbuka_web.wallets.models import Payment, Wallet
from terbuka_web.wallets.services import merchant_approve, merchant_token_issue, purpose_set

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VILLAGE = "35.22.01.2001"
PASSWORD = "Sandi-panjang-Dompet-42"
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def programme(
    settings: Settings,
    tmp_path: Path,
    region: list[Agency],  # noqa: F811
    consortium: Consortium,  # noqa: F811
) -> Programme:
    """A programme with its rules adopted and no cycle yet, an approved shop, an operator, the
    log's key and the offline allowances' issuer."""
    skey, _vkey = generate_key("dompet.terbuka.example/log")
    issuer = wallet_key_generate()
    issuer_file = tmp_path / "issuer.pem"
    issuer_file.write_bytes(issuer.pem())
    os.chmod(issuer_file, 0o600)
    settings.TERBUKA = {
        **settings.TERBUKA, "LOG_ORIGIN": "dompet.terbuka.example/log", "LOG_KEY": skey,
        "WALLET_ISSUER": issuer.did, "WALLET_ISSUER_KEY_FILE": str(issuer_file),
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
    desk.context.close()
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
    shop = browser.new_context(locale="id-ID", viewport=PHONE)
    merchant = shop.new_page()  # the merchant's page submits an online intent it reads
    merchant.set_default_timeout(15_000)
    merchant.goto(live_server.url + "/dompet/pedagang/")
    merchant.fill("#payload", shown)
    merchant.click("#merchant-check button[type=submit]")
    merchant.wait_for_selector("#check-result.usa-alert--success")
    assert "SAH: Rp 10.000" in merchant.inner_text("#check-result")
    assert Payment.objects.filter(wallet=wallet, counter=2, offline=False).exists()
    phone.reload()  # the phone follows the server's head past the intent it showed
    phone.wait_for_selector("#wallet:not([hidden])")
    assert "pip-uji: Rp 265.000" in phone.inner_text("#balances")

    phone.fill("#allow-amount", "100000")
    phone.fill("#allow-count", "3")
    phone.get_by_role("button", name="Minta jatah luring").click()
    phone.wait_for_selector("#allow-result.usa-alert--success")
    assert "Rp 100.000 untuk 3 kali bayar" in phone.inner_text("#allow-result")
    assert "pip-uji: Rp 165.000" in phone.inner_text("#balances")
    assert "sisa Rp 100.000 untuk 3 kali bayar" in phone.inner_text("#allowances")

    assert merchant.evaluate("navigator.serviceWorker.ready.then(() => true)")

    context.set_offline(True)
    shop.set_offline(True)
    phone.reload()
    phone.wait_for_selector("#wallet:not([hidden])")
    assert not phone.locator("#network").is_hidden()
    assert "pip-uji: Rp 165.000" in phone.inner_text("#balances")
    phone.select_option("#pay-merchant", "toko-ani")
    phone.fill("#pay-amount", "20000")
    phone.click("#pay-qr")
    phone.wait_for_selector("#qr:not([hidden]) svg")
    voucher = phone.input_value("#qr-text")
    assert "~TOA1.." in voucher and ".toko-ani.pip-uji.20000." in voucher
    assert "sisa Rp 80.000 untuk 2 kali bayar" in phone.inner_text("#allowances")
    assert wcag_violations(phone) == []
    screenshot(phone, "wallet-citizen-offline-qr")

    merchant.reload()
    merchant.fill("#payload", voucher)
    merchant.click("#merchant-check button[type=submit]")
    merchant.wait_for_selector("#check-result.usa-alert--success")
    assert "SAH: Rp 20.000" in merchant.inner_text("#check-result")
    shop.set_offline(False)
    merchant.fill("#sync-token", merchant_token_issue(officer=ppk(), code="toko-ani"))
    merchant.get_by_role("button", name="Sinkronkan ke server").click()
    merchant.wait_for_selector("#sync-result.usa-alert--info")
    assert "1 diterima" in merchant.inner_text("#sync-result")
    assert "· accepted" in merchant.inner_text("#taken")
    assert wcag_violations(merchant) == []
    offline = Payment.objects.get(wallet=wallet, offline=True)
    assert (offline.amount, offline.merchant.code) == (20_000, "toko-ani")

    context.set_offline(False)
    log_sequence()
    phone.reload()
    phone.locator("#history details").nth(2).wait_for()
    assert phone.locator("#network").is_hidden()
    for summary in phone.locator("#history details summary").all():
        summary.click()
    phone.locator("#history .tb-proof-ok").nth(2).wait_for()
    assert "luring" in phone.inner_text("#history")
    shop.close()
    context.close()


def ppk() -> User:
    return User.objects.get(username="ppk.dinsos")


def test_the_app_reads_in_english_and_refuses_a_bad_code(
    live_server: Any, browser: Browser
) -> None:
    context = browser.new_context(locale="en-GB", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/dompet/")
    with page.expect_navigation():
        page.click("form.lang button[value=en]")
    assert page.inner_text("h1") == "My wallet"
    page.get_by_role("button", name="Create the wallet key").click()
    page.wait_for_selector("#enrol:not([hidden])")
    page.fill("#enrol-code", "TEN1.not-a-code")
    page.get_by_role("button", name="Enrol", exact=True).click()
    page.wait_for_selector("#enrol-result.usa-alert--error")
    assert "a valid code starts with TEN1." in page.inner_text("#enrol-result")
    code = "TEN1." + "A" * 43 + ".4102444800"  # well formed, never issued: the server refuses
    page.fill("#enrol-code", code)
    page.get_by_role("button", name="Enrol", exact=True).click()
    page.wait_for_selector("#enrol-result:has-text('unknown or used challenge')")
    assert wcag_violations(page) == []
    context.close()
