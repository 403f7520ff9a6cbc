"""A citizen follows the story of a road contract in real chromium, on a phone and a desktop:
finds it by a root word, reads its release history, compares two releases and opens a
release's log receipt. The process and diff pages are axe-clean and never scroll sideways,
even at 320 CSS px (WCAG 2.1 SC 1.4.10 Reflow)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from pytest_django.fixtures import Settings
from tests.browser.axe import wcag_violations
from tests.web.factories import agency_create, process_create
from tests.web.portal.stories import road_published

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = [360, 1366]
OVERFLOW = "document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"


@pytest.fixture
def road(settings: Settings) -> str:
    """Publish the demo road story beside an unrelated "tahun berjalan" purchase."""
    process = road_published(settings)
    other = agency_create(code="3522-setda", name="Sekretariat Daerah")
    process_create(agency=other, title="Belanja Makan Minum Rapat Tahun Berjalan")
    return process.title


@pytest.mark.parametrize("width", WIDTHS)
def test_a_citizen_follows_a_road_contract_from_search_to_receipt(
    live_server, browser: Browser, road: str, width: int, screenshot: Callable[[Page, str], Path]
) -> None:
    context = browser.new_context(locale="id-ID", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.fill("#f-q", "aspal")  # the title says "Pengaspalan": found by its root
    page.click("#search-submit")
    page.get_by_role("link", name=road).click()
    assert page.inner_text("h1") == road

    history = page.locator("ol.releases li.release")
    assert history.count() == 9
    assert "Kontrak diubah (adendum)" in history.nth(2).inner_text()
    assert "curah hujan" in history.nth(2).inner_text()  # the addendum's reason
    assert page.locator("tr.late").count() == 3  # milestones late, highlighted
    screenshot(page, f"story-process-{width}")

    page.get_by_role("link", name="Bandingkan dua rilis").click()
    page.select_option("#f-dari", index=0)  # the planning release
    page.get_by_role("button", name="Bandingkan").click()
    assert "dari=" in page.url and page.inner_text("h1").startswith("Apa yang berubah")
    changed = " ".join(page.locator("table.diff").all_inner_texts())
    assert "Nilai kontrak" in changed and "Rp 2.697.500.000" in changed
    screenshot(page, f"story-diff-{width}")

    page.get_by_role("link", name="Tanda terima log rilis ke-9").click()
    assert page.inner_text("body").startswith("c2sp.org/tlog-proof@v1")
    context.close()


def test_story_pages_are_axe_clean_and_fit_320_px(live_server, page: Page, road: str) -> None:
    page.goto(live_server.url + "/?q=jalan")
    page.get_by_role("link", name=road).click()
    process_url = page.url
    page.get_by_role("link", name="Bandingkan dua rilis").click()
    diff_url = page.url
    for url in (process_url, diff_url, diff_url + "?dari=tidak-ada&ke=tidak-ada"):
        for width in (320, 1366):
            page.set_viewport_size({"width": width, "height": 800})
            page.goto(url)
            assert wcag_violations(page) == [], (url, width)
            assert page.evaluate(OVERFLOW) <= 0, (url, width)
