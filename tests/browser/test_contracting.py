"""Walk the /kelola/ screens in real chromium without JavaScript help: log in, create, edit with
an error, upload a PDF, publish; axe-core finds no WCAG 2.1 AA violation on any screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page
from tests.browser.axe import wcag_violations
from tests.browser.forms import PASSWORD, login

from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.contracting.models import Release
from terbuka_web.regions.models import Region
from terbuka_web.transparency.models import LogEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_operator_drafts_and_ppk_publishes(live_server, page: Page, tmp_path: Path) -> None:
    import pypdf

    region = Region.objects.create(code="35.22", name="Bojonegoro", level="regency")
    agency = Agency.objects.create(
        code="dinas-pupr", name="Dinas PU", kind="dinas", government=region
    )
    for username, role in (("operator1", Role.OPERATOR), ("ppk1", Role.PPK)):
        User.objects.create_user(username, password=PASSWORD, role=role, agency=agency)
    base = live_server.url

    login(page, base, "operator1")
    assert wcag_violations(page) == []
    page.get_by_role("link", name="Buat paket pekerjaan baru").click()
    page.get_by_label("Nama paket pekerjaan").fill("Rehabilitasi Jalan Ngasem")
    page.get_by_label("Tahun anggaran").fill("2026")
    assert wcag_violations(page) == []
    page.get_by_role("button", name="Simpan").click()
    assert "Rehabilitasi Jalan Ngasem" in page.locator("h1").inner_text()
    assert wcag_violations(page) == []

    page.get_by_role("link", name="Ubah isian Perencanaan").click()
    page.get_by_label("Kode rekening DPA").fill("5.02.02.2.01.0001")
    page.get_by_label("Sumber dana").select_option("APBD")
    page.get_by_label("Pagu anggaran (Rp)").fill("-5")
    page.get_by_label("Nama kegiatan / sub kegiatan").fill("Rehabilitasi Jalan")
    page.get_by_label("Alasan kebutuhan").fill("Jalan rusak berat")
    page.get_by_role("button", name="Simpan draf").click()
    summary = page.get_by_role("alert")
    assert "tidak boleh negatif" in summary.inner_text()
    assert wcag_violations(page) == []
    summary.get_by_role("link").first.click()  # the summary link moves focus to the field
    assert page.evaluate("document.activeElement.id") == "id_amount"
    page.get_by_label("Pagu anggaran (Rp)").fill("1500000000")
    page.get_by_role("button", name="Simpan draf").click()
    assert "Draf tersimpan" in page.get_by_role("status").inner_text()

    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    pdf = tmp_path / "dpa-2026.pdf"
    with pdf.open("wb") as handle:
        writer.write(handle)
    page.get_by_role("link", name="Unggah PDF Perencanaan").click()
    assert wcag_violations(page) == []
    page.get_by_label("Judul dokumen").fill("DPA 2026")
    page.get_by_label("Berkas PDF").set_input_files(str(pdf))
    page.get_by_role("button", name="Unggah").click()
    assert "Dokumen diunggah" in page.get_by_role("status").inner_text()
    page.goto(base + "/kelola/")
    page.get_by_role("button", name="Keluar").click()  # logout is a POST form, no JavaScript
    page.goto(base + "/kelola/")
    assert "/akun/masuk/" in page.url

    login(page, base, "ppk1")
    page.get_by_role("link", name="Rehabilitasi Jalan Ngasem").click()
    page.get_by_role("link", name="Terbitkan Perencanaan").click()
    assert wcag_violations(page) == []
    page.get_by_role("button", name="Ya, terbitkan").click()
    assert "SHA-256" in page.get_by_role("status").inner_text()
    assert wcag_violations(page) == []
    assert Release.objects.get().tags == ["planning"]
    assert LogEntry.objects.filter(kind="document.sha256").count() == 1
