"""A citizen files a report with a photo at phone width, an officer forwards it, the agency
answers, the citizen follows it with the secret, closes it and rates the answer, and the
public statistics change; a visitor answers the survey of a printed visit token. Every page
is axe-clean and does not scroll sideways."""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page
from tests.browser.axe import wcag_violations
from tests.browser.forms import PASSWORD, login, submit
from tests.web.participation.conftest import VILLAGE, world_create

from terbuka_web.participation.models import Case, SurveyAnswer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OVERFLOW = "document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"


def _photo(path: Path) -> Path:
    exif = b"Exif\x00\x00GPS-SECRET"
    data = b"\xff\xd8\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif
    data += b"\xff\xdb\x00\x04\x00\x01\xff\xda\x00\x03\x01\x12\x34\xff\xd9"
    path.write_bytes(data)
    return path


def _clean(page: Page) -> None:
    assert wcag_violations(page) == []
    assert page.evaluate(OVERFLOW) <= 0


def _login(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    login(page, base, username)


def test_report_forward_answer_follow_and_statistics(
    live_server: object, page: Page, tmp_path: Path, screenshot: Callable[[Page, str], Path]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    world = world_create()
    for user in (world.verifier, world.dinas_operator):
        user.set_password(PASSWORD)
        user.save()
    page.goto(base + "/lapor/statistik/")
    _clean(page)
    page.goto(base + "/lapor/")
    _clean(page)
    page.get_by_role("link", name="Buat laporan").first.click()
    _clean(page)
    page.locator("#id_category").select_option("jalan-jembatan")
    page.locator("#id_region").select_option(VILLAGE)
    page.locator("#id_title").fill("Gorong-gorong tersumbat")
    page.locator("#id_text").fill(
        "Gorong-gorong di ujung dusun tersumbat sampah, air meluap ke jalan."
    )
    page.locator("#id_files").set_input_files(str(_photo(tmp_path / "IMG_2001.jpg")))
    submit(page, "Kirim laporan")
    tracking = page.locator("#tracking-id").inner_text()
    secret = page.locator("#follow-secret").inner_text()
    _clean(page)
    screenshot(page, "lapor-filed-phone")
    assert b"GPS" not in bytes(Case.objects.get(tracking_id=tracking).attachments.get().data)

    _login(page, base, world.verifier.username)
    page.goto(f"{base}/lapor/kelola/{tracking}/")
    _clean(page)
    page.locator("#id_agency").select_option(label="Dinas PU")
    submit(page, "Disposisikan")
    assert "Didisposisikan" in page.content()

    _login(page, base, world.dinas_operator.username)
    page.goto(f"{base}/lapor/kelola/{tracking}/")
    page.locator("#id_answer").fill("Tim kebersihan sudah membersihkan gorong-gorong.")
    submit(page, "Kirim tindak lanjut")
    _clean(page)

    page.context.clear_cookies()
    page.goto(base + "/lapor/lacak/")
    page.locator("#id_tracking_id").fill(tracking)
    page.locator("#id_secret").fill(secret)
    submit(page, "Lacak")
    _clean(page)
    submit(page, "Puas, tutup laporan")
    assert "Laporan ditutup" in page.content()
    _clean(page)
    page.goto(base + "/lapor/statistik/")
    before = page.locator("tr", has_text="Dinas PU").first.inner_text()
    assert "%" not in before  # closed but not rated yet: no satisfaction figure
    page.goto(base + "/lapor/lacak/")
    page.locator("#id_tracking_id").fill(tracking)
    page.locator("#id_secret").fill(secret)
    submit(page, "Lacak")
    page.get_by_label("Sangat Puas").check()
    page.locator("#id_comment").fill("Cepat ditangani, terima kasih.")
    submit(page, "Kirim penilaian")
    assert "Terima kasih atas penilaian Anda" in page.content()
    _clean(page)
    assert SurveyAnswer.objects.get(case__tracking_id=tracking).question_text
    page.goto(f"{base}/lapor/kasus/{tracking}/")
    _clean(page)
    assert "membersihkan gorong-gorong" in page.content()
    page.goto(base + "/lapor/statistik/")
    _clean(page)
    after = page.locator("tr", has_text="Dinas PU").first.inner_text()
    assert "100,0% (1)" in after and after != before
    screenshot(page, "lapor-statistics-phone")
    page.goto(base + "/lapor/kepuasan/")
    _clean(page)
    assert "Dinas PU" in page.content()


def test_visit_token_printed_and_answered_at_phone_width(
    live_server: object, page: Page, screenshot: Callable[[Page, str], Path]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    world = world_create()
    world.other_operator.set_password(PASSWORD)
    world.other_operator.save()
    _login(page, base, world.other_operator.username)
    page.goto(base + "/lapor/kelola/survei/token/")
    _clean(page)
    page.locator("#id_service").fill("Loket pendaftaran Puskesmas")
    page.locator("#id_count").fill("2")
    submit(page, "Buat dan cetak token")
    _clean(page)
    screenshot(page, "lapor-visit-tokens-phone")
    codes = page.locator(".visit-code").all_inner_texts()
    assert len(codes) == 2 and page.locator("svg.qr").count() == 2
    page.context.clear_cookies()
    page.goto(f"{base}/lapor/survei/?kode={codes[0]}")
    _clean(page)
    page.get_by_label("Cukup Puas").check()
    submit(page, "Kirim penilaian")
    assert "Terima kasih atas penilaian Anda" in page.content()
    _clean(page)
    page.goto(f"{base}/lapor/kepuasan/")
    _clean(page)
    assert "Dinas Kesehatan" in page.content()
    page.goto(f"{base}/lapor/wilayah/35.22/")
    _clean(page)
