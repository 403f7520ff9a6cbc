"""The merchant's page (/dompet/pedagang/) in real chromium at phone width: a voucher made by
the core is checked offline in the browser, a replay refused, and the page keeps working with
the network cut (service worker); back online, it syncs its vouchers with the shop's token.
The voucher's QR code is read from a fake camera (a Y4M file) and from a photo, offline."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import segno
from django.utils import timezone
from playwright.sync_api import Browser, Page
from pytest_django.fixtures import Settings
from tests.browser.axe import wcag_violations
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.web.factories import agency_create

from terbuka.money.allowance import Allowance, allowance_sign
from terbuka.money.intent import GENESIS, Intent, intent_sign
from terbuka.money.keys import wallet_key_from_seed
from terbuka.money.voucher import Voucher
from terbuka_web.accounts.models import Role, User
from terbuka_web.regions.models import Region
from terbuka_web.wallets.models import Merchant
from terbuka_web.wallets.services import merchant_token_issue

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


def test_a_merchant_syncs_its_vouchers_and_sees_each_answer(
    live_server: Any, browser: Browser, shop: None
) -> None:
    token = merchant_token_issue(officer=_officer(), code="toko-ani")
    context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/dompet/pedagang/")
    voucher, _hash = _voucher(1, GENESIS, 25000)
    page.fill("#payload", voucher)
    page.click("#merchant-check button[type=submit]")
    page.wait_for_selector("#check-result.usa-alert--success")
    page.fill("#sync-token", "toko-ani.salah")
    page.click("#merchant-sync button[type=submit]")
    page.wait_for_selector("#sync-result.usa-alert--error")
    assert "token pedagang tidak sah" in page.inner_text("#sync-result")
    page.fill("#sync-token", token)
    page.click("#merchant-sync button[type=submit]")
    page.wait_for_selector("#sync-result.usa-alert--info")
    # the allowance was signed by the issuer's key but never issued by this server
    assert "0 diterima" in page.inner_text("#sync-result")
    assert "1 ditolak" in page.inner_text("#sync-result")
    assert "refused (unknown_allowance)" in page.inner_text("#taken")
    assert wcag_violations(page) == []
    context.close()


def _officer() -> User:
    """Return a PPK of Kabupaten Bojonegoro's Dinas Sosial (may issue merchant tokens)."""
    agency = agency_create("3522-dinsos", "Dinas Sosial")
    return User.objects.create_user("ppk.dinsos", role=Role.PPK, agency=agency)


def _qr_files(payload: str, folder: Path) -> tuple[Path, Path]:
    """Write payload's QR code (byte mode, level M, as the phone shows it) as a PNG photo and
    as a one-frame Y4M video (a fake camera's file); return both paths."""
    qr = segno.make(payload, error="m", mode="byte", boost_error=False)
    photo = folder / "voucher.png"
    qr.save(str(photo), scale=6, border=4)
    rows = list(qr.matrix_iter(scale=1, border=4))
    side = 480
    scale = side // len(rows)
    offset = (side - scale * len(rows)) // 2
    luma = bytearray([235]) * (side * side)  # white (video range)
    for y, row in enumerate(rows):
        for x, dark in enumerate(row):
            if dark:
                for dy in range(scale):
                    start = (offset + y * scale + dy) * side + offset + x * scale
                    luma[start : start + scale] = bytes([16]) * scale
    chroma = bytes([128]) * (side * side // 4)
    video = folder / "voucher.y4m"
    header = f"YUV4MPEG2 W{side} H{side} F10:1 Ip A1:1 C420jpeg\n".encode()
    video.write_bytes(header + b"FRAME\n" + bytes(luma) + chroma + chroma)
    return photo, video


def test_a_merchant_scans_a_voucher_with_the_camera(
    live_server: Any, browser: Browser, shop: None, tmp_path: Path
) -> None:
    voucher, _hash = _voucher(1, GENESIS, 25000)
    _photo, video = _qr_files(voucher, tmp_path)
    camera = browser.browser_type.launch(
        executable_path=str(CHROMIUM), headless=True,
        args=[*CHROMIUM_ARGS, "--use-fake-device-for-media-stream",
              "--use-fake-ui-for-media-stream", f"--use-file-for-fake-video-capture={video}"],
    )  # fmt: skip
    try:
        context = camera.new_context(
            locale="id-ID", viewport={"width": 360, "height": 740}, permissions=["camera"]
        )
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(live_server.url + "/dompet/pedagang/")
        page.click("#scan-camera")
        page.wait_for_selector("#check-result.usa-alert--success")
        assert page.locator("#scan-stop").is_hidden()
        assert "SAH: Rp 25.000" in page.inner_text("#check-result")
        assert page.locator("#scan-video").is_hidden()  # the camera stops once it has read
        assert page.locator("#taken li").count() == 1
        assert wcag_violations(page) == []
    finally:
        camera.close()


def test_a_merchant_scans_a_photo_of_a_voucher_with_no_network(
    live_server: Any,
    browser: Browser,
    shop: None,
    tmp_path: Path,
    screenshot: Callable[[Page, str], Path],
) -> None:
    voucher, first_hash = _voucher(1, GENESIS, 25000)
    photo, _video = _qr_files(voucher, tmp_path)
    context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/dompet/pedagang/")
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    assert page.locator("#scan-camera").is_visible() and page.locator("#scan-stop").is_hidden()
    context.set_offline(True)
    page.reload()  # the page, its scripts and the decoder from the service worker's cache
    page.set_input_files("#scan-photo", str(photo))
    page.wait_for_selector("#check-result.usa-alert--success")
    assert "SAH: Rp 25.000" in page.inner_text("#check-result")
    screenshot(page, "wallet-merchant-scanned")
    page.set_input_files("#scan-photo", str(photo))  # the same code again: a replay
    page.wait_for_selector("#check-result.usa-alert--error")
    assert "DITOLAK (replay)" in page.inner_text("#check-result")
    blank = tmp_path / "blank.png"
    segno.make("x").save(str(blank), scale=1, border=0, dark="#fff")  # no readable code
    page.set_input_files("#scan-photo", str(blank))
    page.wait_for_selector("#scan-status:has-text('Tidak ada kode QR')")
    second, _hash = _voucher(2, first_hash, 10000)
    page.fill("#payload", second)  # pasting still works
    page.click("#merchant-check button[type=submit]")
    page.wait_for_selector("#check-result:has-text('SAH: Rp 10.000')")
    assert page.locator("#taken li").count() == 2
    context.close()
