"""A citizen on a phone opens a village's budget page: its APBDes, its projects, the charts,
and downloads its APBDes board (the phone PNG and the A1 PDF).

WCAG 2.1 AA by axe-core, no sideways scrolling at 320 CSS px, in Indonesian and English.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page
from pypdf import PdfReader
from tests.browser.axe import wcag_violations

from terbuka_web.budget.bulk import batches_bulk_publish
from terbuka_web.budget.demo import _village
from terbuka_web.budget.models import VillageProject
from terbuka_web.regions.services import regions_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 320, "height": 640}


@pytest.fixture
def village() -> str:
    """Load Bojonegoro's regions and publish one desa's APBDes 2026 with its projects."""
    regions_load(within="35.22")
    code = "35.22.01.2001"
    specs, projects = _village(random.Random(3), code, 2026)
    batches_bulk_publish(actor=None, specs=specs, source="test")
    VillageProject.objects.bulk_create(projects)
    return code


@pytest.mark.parametrize("language", ["id", "en"])
def test_village_budget_on_a_phone(
    live_server: Any, browser: Browser, village: str, language: str
) -> None:
    context = browser.new_context(locale="id-ID", viewport=PHONE)
    page: Page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/anggaran/{village}/?tahun=2026")
    if language != "id":
        with page.expect_navigation():
            page.click(f"form.lang button[value={language}]")
    assert page.locator("h1").inner_text().endswith("Ngraho") or page.locator("h1").count() == 1
    apbdes = page.locator("section[aria-labelledby=apbdes]")
    assert "4.2.1" in apbdes.inner_text()
    assert page.locator("section[aria-labelledby=proyek] .tb-card").count() >= 1
    assert "Jalan Rabat Beton" in page.locator("section[aria-labelledby=proyek]").inner_text()
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"scrolls sideways: {widths}"
    assert wcag_violations(page) == []
    downloads = page.locator("ul.tb-downloads a")
    assert downloads.count() == 4  # PDF and PNG, A1 and phone, each with its file size
    with page.expect_download() as fetched:
        page.click("ul.tb-downloads a[href*='papan.png?ukuran=ponsel']")
    png = Image.open(fetched.value.path())
    assert png.size[0] == 1080 and png.size[1] > 1080
    with page.expect_download() as fetched:
        page.click("ul.tb-downloads a[href*='papan.pdf?ukuran=a1']")
    text = PdfReader(fetched.value.path()).pages[0].extract_text()
    assert "Pemerintah Desa" in text and "Dana Desa" in text and "Rp " in text
    page.click("a[href*='/papan/']")  # the board villages print and put up
    assert "4.2.1" not in page.locator("main").inner_text()  # names, not codes
    assert page.locator("section[aria-labelledby=papan-proyek] li").count() >= 1
    assert wcag_violations(page) == []
    page.go_back()
    page.click("text=Ngraho")  # up to the kecamatan: its villages' totals
    assert page.locator("#wilayah-bawah").count() == 1
    assert wcag_violations(page) == []
    context.close()
