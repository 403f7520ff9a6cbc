"""A journalist, on a phone, filters the portal to the single-bid (R018) processes of one agency
and opens the explanation of the flag: what it means, the data behind it, the methodology.
Every page on the way is axe-clean (WCAG 2.1 AA) and never scrolls sideways."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from tests.browser.axe import wcag_violations
from tests.web.flags.test_pages import published

from terbuka_web.accounts.models import Agency
from terbuka_web.regions.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OVERFLOW = "document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"


@pytest.fixture
def processes() -> None:
    """Publish a single-bid and a competed tender of Dinas PU, a single-bid one of Dinkes."""
    region = Region.objects.create(code="35.22", name="Bojonegoro", level="regency")
    pu = Agency.objects.create(
        code="dinas-pu", name="Dinas Pekerjaan Umum", kind="dinas", government=region
    )
    dinkes = Agency.objects.create(
        code="dinkes", name="Dinas Kesehatan", kind="dinas", government=region
    )
    published(pu, "Rehabilitasi Jalan Ngasem", tenderers=1, days=18)
    published(pu, "Rehabilitasi Jalan Kalitidu", tenderers=5, days=18)
    published(dinkes, "Renovasi Puskesmas Dander", tenderers=1, days=18)


def clean(page: Page) -> None:
    assert wcag_violations(page) == []
    assert page.evaluate(OVERFLOW) <= 0


def test_a_journalist_finds_single_bid_tenders_of_an_agency_and_reads_why(
    live_server, browser: Browser, processes: None, screenshot: Callable[[Page, str], Path]
) -> None:
    context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/")
    page.locator("details.tb-filters summary").click()
    page.select_option("#f-agency", "dinas-pu")
    page.select_option("#f-flag", "R018")
    page.get_by_role("button", name="Terapkan filter").click()
    assert "tanda=R018" in page.url and "agency=dinas-pu" in page.url
    results = page.locator("ol.results li.result")
    assert results.count() == 1
    assert "Rehabilitasi Jalan Ngasem" in results.first.inner_text()
    clean(page)
    screenshot(page, "flags-search-360")

    results.first.get_by_role("link").click()
    flag = page.locator("#tanda-R018")
    assert "Hanya satu penawar" in flag.inner_text()
    assert "bukan tuduhan" in page.locator("section[aria-labelledby=tanda-bahaya]").inner_text()
    flag.locator("summary").click()
    assert "Jumlah penawar" in flag.inner_text() and "tidak ada persaingan" in flag.inner_text()
    clean(page)
    screenshot(page, "flags-process-360")

    flag.get_by_role("link", name="Cara menghitung").click()
    assert page.url.endswith("/tanda-bahaya/metodologi/#R018")
    assert "Keterbatasan" in page.locator("#R018").inner_text()
    clean(page)

    page.goto(live_server.url + "/tanda-bahaya/perangkat-daerah/dinas-pu/")
    assert "50,0%" in page.inner_text("main")  # one of two assessed tenders flagged
    clean(page)
    for path in ("", "perangkat-daerah/", "wilayah/", "penyedia/"):
        page.goto(f"{live_server.url}/tanda-bahaya/{path}")
        assert "bukan tuduhan" in page.inner_text("main")
        page.locator("details.chart-data summary").first.click()  # open the data table
        clean(page)
    screenshot(page, "flags-suppliers-360")
    context.close()
