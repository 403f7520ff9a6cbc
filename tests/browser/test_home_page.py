"""Check the home page overview, the open-data page and an error page in real chromium: WCAG
2.1 AA (axe-core), no sideways scroll down to 320 CSS px, nothing cut off. Screenshots of the
home page at both widths go to build/screenshots/ for review."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from tests.browser.axe import wcag_violations
from tests.browser.test_log_pages import CUT_OFF, NARROWEST, OVERFLOW, WIDTHS
from tests.web.factories import agency_create, process_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def spending(db: None) -> None:
    """Processes of eleven agencies (one with a long name), every method, three years."""
    methods = ["tender", "seleksi", "pengadaan_langsung", "penunjukan_langsung", "e_purchasing"]
    long_name = "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah"
    for i in range(11):
        agency = agency_create(f"dinas-{i}", long_name if i == 0 else f"Dinas Nomor {i}")
        process_create(
            agency=agency,
            title=f"Pembangunan Jalan Desa {i}",
            method=methods[i % 5],
            stages=("planning", "tender", "award", "contract")[: 1 + i % 4],
            value=(i + 1) * 1_234_567_890,
            fiscal_year=2024 + i % 3,
        )


@pytest.mark.parametrize("width", WIDTHS)
def test_home_page_overview_is_accessible_and_fits(
    live_server,
    browser: Browser,
    spending: None,
    width: int,
    screenshot: Callable[[Page, str], Path],
) -> None:
    context = browser.new_context(locale="id-ID", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/")
    overview = page.locator("section[aria-labelledby=overview-title]")
    assert "Rp 81,5 M" in overview.locator("dl.tb-stats").inner_text()  # 66 × 1,234,567,890
    charts = overview.locator("figure.chart")
    assert charts.count() == 4
    assert page.get_by_role("img", name="Nilai per perangkat daerah").count() == 1
    charts.first.locator("summary").click()  # open one data table
    table = charts.first.locator("table")
    assert table.is_visible() and table.locator("tbody tr").count() == 9  # 8 + "Lainnya (3)"
    assert wcag_violations(page) == []
    assert page.evaluate(OVERFLOW) <= 0
    assert page.evaluate(CUT_OFF) == []
    screenshot(page, f"home-{width}")
    table.locator("a").first.click()  # a table row leads to the search filtered on it
    assert page.url.endswith("/?agency=dinas-10")
    assert page.locator("section[aria-labelledby=overview-title]").count() == 0
    context.close()


def test_home_open_data_and_error_pages_fit_320_px(
    live_server, browser: Browser, spending: None
) -> None:
    context = browser.new_context(locale="id-ID", viewport={"width": NARROWEST, "height": 640})
    page = context.new_page()
    for path in ("/", "/unduh/", "/proses/ocds-tidak-ada/"):
        page.goto(live_server.url + path)
        page.locator("details").evaluate_all("all => all.forEach(d => d.open = true)")
        assert page.evaluate(OVERFLOW) <= 0, path
        assert page.evaluate(CUT_OFF) == [], path
        assert wcag_violations(page) == [], path
    page.goto(live_server.url + "/")
    page.locator(".tb-nav").get_by_role("link", name="Data").click()  # "Data & API" from 640 px
    assert page.get_by_role("heading", level=1).inner_text() == "Data terbuka: unduhan dan API"
    page.get_by_role("link", name="Beranda").click()  # a way back
    assert page.locator("section[aria-labelledby=overview-title]").count() == 1
    context.close()
