"""Check the portal's public pages in real chromium: WCAG 2.1 AA, no JavaScript needed, English."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page
from tests.browser.axe import wcag_violations
from tests.web.factories import agency_create, document_create, process_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def road(db) -> str:
    pu = agency_create()
    process_create(agency=pu, title="Rehabilitasi Jembatan Padangan", stages=("planning",))
    p = process_create(agency=pu, stages=("planning", "tender", "award", "contract"))
    document_create(p, stage="tender", release=p.releases.get(stage="tender"))
    return p.ocid


def test_portal_pages_have_no_wcag_violations(live_server, page: Page, road: str) -> None:
    for path in ("/?q=jalan", f"/proses/{road}/", "/kelengkapan/", "/?year=dua"):
        page.goto(live_server.url + path)
        assert wcag_violations(page) == [], path


def test_search_works_without_javascript(live_server, browser: Browser, road: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.fill("#f-q", "jembatan")
    page.click("#search-submit")
    assert page.locator("ol.results li").count() == 1
    page.click("ol.results a")
    assert "Rehabilitasi Jembatan Padangan" in page.inner_text("h1")
    context.close()


def test_language_switch_in_the_browser(live_server, page: Page, road: str) -> None:
    page.goto(live_server.url + f"/proses/{road}/")
    page.click("form.lang button")  # the switch names the other language: English
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Key facts" in page.content()
    assert page.url.endswith(f"/proses/{road}/")
