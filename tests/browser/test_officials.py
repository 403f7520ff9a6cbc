"""Officials manage their own work in real chromium, at 360 and 1366 CSS px, without JavaScript
help: an admin creates an operator for an agency, the operator logs in with the one-time
password and must replace it, an auditor pages through drafts. axe-core finds no WCAG 2.1 AA
violation on any of these screens, and none scrolls sideways."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page
from tests.browser.axe import wcag_violations

from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.contracting.models import Process
from terbuka_web.regions.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "kata-sandi-yang-panjang-2026"
WIDTHS = [360, 1366]


def checked(page: Page) -> None:
    """Assert axe finds no violation and the page does not scroll sideways."""
    assert wcag_violations(page) == [], page.url
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways: {widths}"


def login(page: Page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(base + "/akun/masuk/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Masuk").click()


@pytest.fixture
def wide_page(browser: Browser, request: pytest.FixtureRequest) -> Page:
    context = browser.new_context(locale="id-ID", viewport={"width": request.param, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    request.addfinalizer(context.close)
    return page


@pytest.fixture
def agency(db: None) -> Agency:
    region = Region.objects.create(code="35.22", name="Kabupaten Bojonegoro", level="regency")
    User.objects.create_user("admin", password=PASSWORD, role=Role.ADMIN)
    User.objects.create_user("auditor", password=PASSWORD, role=Role.AUDITOR)
    return Agency.objects.create(
        code="3522-dinkes", name="Dinas Kesehatan", kind="dinas", government=region
    )


@pytest.mark.parametrize("wide_page", WIDTHS, indirect=True)
def test_admin_creates_an_operator_who_logs_in(
    live_server, wide_page: Page, agency: Agency
) -> None:
    page, base = wide_page, live_server.url
    login(page, base, "admin")
    page.get_by_role("link", name="Pengguna", exact=True).click()
    checked(page)
    page.get_by_role("link", name="Tambah pengguna").click()
    checked(page)
    page.get_by_label("Nama pengguna").fill("operator.dinkes")
    page.get_by_label("Nama lengkap").fill("Sri Wahyuni")
    page.locator("#id_role").select_option("operator")
    page.get_by_role("button", name="Simpan").click()  # no agency: refused, named on the field
    assert "wajib terikat pada satu instansi" in page.get_by_role("alert").inner_text()
    checked(page)
    page.get_by_label("Perangkat daerah").select_option(agency.code)
    page.get_by_role("button", name="Simpan").click()
    password = page.locator("#one-time-password").inner_text()
    assert re.fullmatch(r"([a-z2-9]{4}-){3}[a-z2-9]{4}", password)
    checked(page)
    page.get_by_role("link", name="Lihat akun").click()
    checked(page)
    page.get_by_role("link", name="Nonaktifkan akun").click()  # asks first
    checked(page)
    page.get_by_role("link", name="Batal").click()
    assert User.objects.get(username="operator.dinkes").is_active
    page.get_by_role("link", name="Perangkat daerah", exact=True).click()
    checked(page)
    page.get_by_role("link", name="Tambah perangkat daerah").click()
    checked(page)
    page.goto(base + "/kelola/")
    page.get_by_role("button", name="Keluar").click()

    login(page, base, "operator.dinkes", password)
    page.wait_for_url(re.compile(r".*/akun/sandi/\?next=.*"))
    checked(page)
    page.get_by_label("Sandi saat ini").fill(password)
    page.locator("#id_new_password1").fill("sandi-sri-dinkes-2026")
    page.get_by_label("Ulangi sandi baru").fill("sandi-sri-dinkes-2026")
    page.get_by_role("button", name="Simpan sandi baru").click()
    page.wait_for_url(base + "/kelola/")
    assert "Dinas Kesehatan" in page.locator("main").inner_text()
    page.get_by_role("link", name="Buat paket pekerjaan baru").click()
    assert not User.objects.get(username="operator.dinkes").password_change_required


@pytest.mark.parametrize("wide_page", WIDTHS, indirect=True)
def test_auditor_pages_through_drafts(live_server, wide_page: Page, agency: Agency) -> None:
    Process.objects.bulk_create(
        Process(ocid=f"ocds-x-{n:04d}", agency=agency, title=f"Paket draf {n}", fiscal_year=2026)
        for n in range(120)
    )
    page, base = wide_page, live_server.url
    login(page, base, "auditor")
    page.wait_for_url(base + "/kelola/")
    checked(page)
    assert "Halaman 1 dari 3" in page.get_by_role("navigation", name="Halaman hasil").inner_text()
    page.get_by_role("link", name="Berikutnya ›").click()
    assert "Halaman 2 dari 3" in page.get_by_role("navigation", name="Halaman hasil").inner_text()
    checked(page)
    page.get_by_label("Kata kunci").fill("Paket draf 7")
    filters = page.locator("details.tb-filters")  # closed on phones, opened on wide screens
    if filters.get_attribute("open") is None:
        filters.locator("summary").click()
    page.get_by_label("Status").select_option("unpublished")
    page.get_by_role("button", name="Cari", exact=True).click()
    assert "11 paket pekerjaan" in page.locator("#hasil").inner_text()  # 7, 70–79
    checked(page)
