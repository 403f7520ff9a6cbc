"""Publish a process end to end in real chromium: operator drafts, PPK publishes, citizen verifies.

An operator logs in through the login form, creates a process, fills the five stages and
uploads one real PDF per stage; the PPK of the same agency publishes each stage; a citizen
(fresh context, no login) finds the process by a word of its title, sees the five stages and
the documents' SHA-256, downloads the OCDS record package (valid against the 1.1.5 schema),
and, once the sequencer has run, reads the record's log index, fetches its C2SP tlog-proof
receipt and the log policy from the page's links, and checks with the core that the
downloaded latest release is in the log.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect
from pytest_django.fixtures import Settings
from tests.browser.forms import PASSWORD, login, submit
from tests.web.ocds_schema import package_validate

from terbuka.tlog.note import generate_key
from terbuka.tlog.policy import Policy
from terbuka.tlog.proof import Receipt, check_receipt
from terbuka.tlog.verify_source import entry_from_record
from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.common.demo.pdf import pdf_render
from terbuka_web.regions.models import Region
from terbuka_web.transparency.models import LogEntry
from terbuka_web.transparency.selectors import entry_id_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ORIGIN = "browser.terbuka.example/log"
TITLE = "Peningkatan Jalan Kalitidu Temayang"
NPWP = "01.234.567.8-901.000"
STAGES = ("Perencanaan", "Pemilihan Penyedia", "Pemenang", "Kontrak", "Implementasi")
TAGS = ["planning", "tender", "award", "contract", "implementation"]


def fill_planning(page: Page) -> None:
    page.get_by_label("Kode rekening DPA").fill("5.02.02.2.01.0001")
    page.get_by_label("Sumber dana").select_option("APBD")
    page.get_by_label("Pagu anggaran (Rp)").fill("2500000000")
    page.get_by_label("Nama kegiatan / sub kegiatan").fill("Pemeliharaan Jalan Kabupaten")
    page.get_by_label("Alasan kebutuhan").fill("Jalan rusak berat sepanjang 3 km")


def fill_tender(page: Page) -> None:
    page.get_by_label("Metode pemilihan").select_option(index=0)
    page.get_by_label("Tanggal mulai pemilihan").fill("2026-03-02")
    page.get_by_label("Tanggal selesai pemilihan").fill("2026-03-20")
    page.get_by_label("HPS (Harga Perkiraan Sendiri, Rp)").fill("2400000000")
    page.locator("#id_items-0-description").fill("Lapis aspal AC-WC")
    page.locator("#id_items-0-quantity").fill("3000")
    page.locator("#id_items-0-unit").fill("m2")
    page.locator("#id_items-0-unit_value").fill("800000")


def fill_award(page: Page) -> None:
    page.get_by_label("Nilai penawaran pemenang (Rp)").fill("2310000000")
    page.get_by_label("Tanggal penetapan pemenang").fill("2026-03-27")
    page.locator("#id_status").select_option("active")
    page.locator("#id_suppliers-0-name").fill("CV Karya Temayang")
    page.locator("#id_suppliers-0-npwp").fill(NPWP)


def fill_contract(page: Page) -> None:
    page.get_by_label("Nomor kontrak / SPK").fill("027/PUPR/2026")
    page.get_by_label("Nilai kontrak (Rp)").fill("2310000000")
    page.get_by_label("Tanggal mulai pelaksanaan").fill("2026-04-06")
    page.get_by_label("Tanggal selesai pelaksanaan").fill("2026-09-30")
    page.get_by_label("Tanggal tanda tangan").fill("2026-04-03")


def fill_implementation(page: Page) -> None:
    page.get_by_label("Progres fisik (%)").fill("40")
    page.locator("#id_milestones-0-title").fill("Pekerjaan tanah")
    page.locator("#id_milestones-0-status").select_option("met")
    page.locator("#id_milestones-0-date").fill("2026-05-15")
    page.locator("#id_transactions-0-date").fill("2026-05-20")
    page.locator("#id_transactions-0-amount").fill("693000000")
    page.locator("#id_transactions-0-payee").fill("CV Karya Temayang")
    page.locator("#id_transactions-0-payee_npwp").fill(NPWP)


FILLERS: tuple[Callable[[Page], None], ...] = (
    fill_planning,
    fill_tender,
    fill_award,
    fill_contract,
    fill_implementation,
)


def logout(page: Page, base: str) -> None:
    page.goto(base + "/kelola/")
    submit(page, "Keluar")
    page.goto(base + "/kelola/")
    expect(page).to_have_url(re.compile(r"/akun/masuk/"))


def operator_drafts(page: Page, base: str, pdfs: list[Path]) -> None:
    login(page, base, "operator1")
    page.get_by_role("link", name="Buat paket pekerjaan baru").click()
    page.get_by_label("Nama paket pekerjaan").fill(TITLE)
    page.get_by_label("Tahun anggaran").fill("2026")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("h1")).to_have_text(TITLE)
    process_url = page.url
    for label, fill, pdf in zip(STAGES, FILLERS, pdfs, strict=True):
        page.get_by_role("link", name=f"Ubah isian {label}", exact=True).click()
        expect(page.locator("h1")).to_have_text(label)
        fill(page)
        page.get_by_role("button", name="Simpan draf").click()
        expect(page.get_by_role("status")).to_contain_text("Draf tersimpan")
        page.goto(process_url)
        page.get_by_role("link", name=f"Unggah PDF {label}", exact=True).click()
        page.get_by_label("Judul dokumen").fill(f"Dokumen {label}")
        page.get_by_label("Berkas PDF").set_input_files(str(pdf))
        page.get_by_role("button", name="Unggah").click()
        expect(page.get_by_role("status")).to_contain_text("Dokumen diunggah")
        page.goto(process_url)
    logout(page, base)


def ppk_publishes(page: Page, base: str) -> None:
    login(page, base, "ppk1")
    page.get_by_role("link", name=TITLE).click()
    process_url = page.url
    for label in STAGES:
        page.get_by_role("link", name=f"Terbitkan {label}", exact=True).click()
        page.get_by_role("button", name="Ya, terbitkan").click()
        expect(page.get_by_role("status")).to_contain_text("SHA-256")
        page.goto(process_url)
    logout(page, base)


def citizen_downloads_record(page: Page, base: str, tmp_path: Path) -> dict[str, Any]:
    page.goto(base + "/")
    page.locator("#f-q").fill("Kalitidu")
    page.locator("#search-submit").click()
    results = page.locator("ol.results li")
    expect(results).to_have_count(1)
    page.locator("ol.results a").click()
    expect(page.locator("h1")).to_have_text(TITLE)
    timeline = page.locator("ol.timeline li")
    expect(timeline).to_have_count(5)
    expect(page.locator("ol.timeline li.done")).to_have_count(5)
    expect(page.get_by_text("Kelima tahap sudah diterbitkan.")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh record OCDS (JSON)").click()
    target = tmp_path / "record.json"
    info.value.save_as(target)
    package: dict[str, Any] = json.loads(target.read_text("utf-8"))
    return package


def assert_record_complete(package: dict[str, Any]) -> None:
    package_validate(package, "record")
    (record,) = package["records"]
    assert sorted(t for r in record["releases"] for t in r["tag"]) == sorted(TAGS)
    compiled = record["compiledRelease"]
    assert compiled["tender"]["items"][0]["description"] == "Lapis aspal AC-WC"
    assert compiled["planning"]["budget"]["amount"]["amount"] == 2500000000
    assert compiled["awards"][0]["suppliers"][0]["name"] == "CV Karya Temayang"
    assert compiled["contracts"][0]["value"]["amount"] == 2310000000
    implementation = compiled["contracts"][0]["implementation"]
    assert implementation["transactions"][0]["value"]["amount"] == 693000000


def test_operator_ppk_citizen_publication_flow(
    live_server: Any, browser: Browser, settings: Settings, tmp_path: Path
) -> None:
    skey, vkey = generate_key(ORIGIN)
    settings.TERBUKA = {**settings.TERBUKA, "LOG_ORIGIN": ORIGIN, "LOG_KEY": skey}
    settings.MEDIA_ROOT = tmp_path / "media"
    region = Region.objects.create(code="35.22", name="Bojonegoro", level="regency")
    agency = Agency.objects.create(
        code="dinas-pupr", name="Dinas PU Bina Marga", kind="dinas", government=region
    )
    for username, role in (("operator1", Role.OPERATOR), ("ppk1", Role.PPK)):
        User.objects.create_user(username, password=PASSWORD, role=role, agency=agency)
    pdfs = []
    for number, label in enumerate(STAGES):
        pdf = tmp_path / f"tahap-{number}.pdf"
        pdf.write_bytes(pdf_render(title=f"Dokumen {label}", lines=[TITLE, label]))
        pdfs.append(pdf)
    hashes = {hashlib.sha256(p.read_bytes()).hexdigest() for p in pdfs}
    base = live_server.url

    staff = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    page = staff.new_page()
    page.set_default_timeout(15_000)
    operator_drafts(page, base, pdfs)
    ppk_publishes(page, base)
    staff.close()

    citizen = browser.new_context(
        locale="id-ID", viewport={"width": 390, "height": 844}, accept_downloads=True
    )
    page = citizen.new_page()
    page.set_default_timeout(15_000)
    package = citizen_downloads_record(page, base, tmp_path)
    assert_record_complete(package)
    for digest in hashes:
        expect(page.locator("code.hash", has_text=digest)).to_have_count(1)

    expect(page.locator("#log-index")).to_have_count(0)  # not sequenced yet
    call_command("terbuka_log", "sequence", stdout=StringIO())
    page.reload()
    index = int(page.locator("#log-index").inner_text())
    (latest,) = [r for r in package["records"][0]["releases"] if r["tag"] == ["implementation"]]
    entry = entry_from_record(json.dumps(latest).encode())  # as `terbuka verify --file` does
    assert bytes(LogEntry.objects.get(pk=entry_id_at(index)).data) == entry
    with page.expect_response(lambda r: "/log/receipt/" in r.url) as response_info:
        page.get_by_role("link", name="tlog-proof").click()
    response = response_info.value
    assert response.status == 200
    receipt = Receipt.parse(response.body())
    assert receipt.index == index
    page.go_back()
    with page.expect_response(lambda r: r.url.endswith("/kebijakan.txt")) as policy_info:
        page.get_by_role("link", name="kebijakan.txt").click()
    assert policy_info.value.status == 200
    policy_text = policy_info.value.text()
    assert f"log {vkey}" in policy_text
    policy = Policy.parse(policy_text)
    checkpoint = check_receipt(receipt, entry, policy, origin=ORIGIN)
    assert checkpoint.size == LogEntry.objects.count()
    citizen.close()
