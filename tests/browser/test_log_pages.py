"""Check the log pages /log/ and /log/saksi/ in real chromium: content, WCAG 2.1 AA (axe-core),
no sideways scroll down to 320 CSS px, no column cut off on a desktop; and that a 300-character
unbroken title widens no page. Screenshots of /log/ go to build/screenshots/ for review."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import transaction
from playwright.sync_api import Browser, Page
from pytest_django.fixtures import Settings
from tests.browser.axe import wcag_violations
from tests.browser.forms import PASSWORD, login
from tests.web.factories import agency_create, process_create
from tests.web.transparency.cosigning import cosignature_store, witnesses_configure

from terbuka_web.accounts.models import Role, User
from terbuka_web.transparency.services import entry_append, log_sequence

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = [360, 1366]
NARROWEST = 320  # WCAG 2.1 SC 1.4.10 Reflow
LONG_TITLE = "Rehabilitasi" + "Jalan" * 57 + "Ngasem"  # 303 characters, no break opportunity
OVERFLOW = "document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"
# What a reader cannot see without scrolling inside the page: a box that clips or scrolls its
# content sideways (a table in a scroll region; .sr-only boxes of 1 px aside), or a table cell
# that ends right of its table.
CUT_OFF = """() => [
  ...[...document.querySelectorAll('main *')]
    .filter(e => getComputedStyle(e).overflowX !== 'visible' && e.clientWidth > 1)
    .filter(e => e.scrollWidth > e.clientWidth + 1)
    .map(e => 'scrolls: ' + e.tagName),
  ...[...document.querySelectorAll('td, th')]
    .filter(c => c.getBoundingClientRect().right > c.closest('table').getBoundingClientRect().right + 1)
    .map(c => 'cut: ' + c.textContent.trim()),
]"""  # noqa: E501


@pytest.fixture
def history(settings: Settings) -> None:
    """Nineteen checkpoints as the demo makes them: the 10th cosigned by two of the three
    demo witnesses, the last by all three, the others intermediate."""
    signers = witnesses_configure(
        settings, "pemerintah", "auditor", "warga", domain="demo.terbuka.example"
    )
    groups = ["pemerintah", "auditor", "warga"]
    checkpoints = []
    for n in range(19):
        with transaction.atomic():
            entry_append(kind="test", ref=f"r{n}", payload={"n": n})
        checkpoints.append(log_sequence())
    now = int(time.time())
    for signer, group in list(zip(signers, groups, strict=True))[:2]:
        cosignature_store(checkpoints[9], signer, group, at=now)
    for signer, group in zip(signers, groups, strict=True):
        cosignature_store(checkpoints[18], signer, group, at=now + 1)


@pytest.mark.parametrize("width", WIDTHS)
def test_log_pages_are_accessible_and_fit(
    live_server,
    browser: Browser,
    history: None,
    width: int,
    screenshot: Callable[[Page, str], Path],
) -> None:
    context = browser.new_context(locale="id-ID", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/log/")
    assert page.get_by_role("heading", level=1).inner_text() == "Log transparansi"
    latest = page.locator("section[aria-labelledby=checkpoint]").inner_text()
    assert "19 entri" in latest and "saksi-warga.demo.terbuka.example" in latest
    assert wcag_violations(page) == []
    assert page.evaluate(OVERFLOW) <= 0
    screenshot(page, f"log-{width}")
    page.get_by_role("link", name="Riwayat tanda tangan saksi").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Saksi log transparansi"
    rows = page.locator("table tbody tr")
    assert rows.count() == 2 and "19 entri" in rows.first.inner_text()
    assert "17 checkpoint antara tidak dikirim ke saksi" in page.inner_text("main")
    assert wcag_violations(page) == []
    assert page.evaluate(OVERFLOW) <= 0
    assert page.evaluate(CUT_OFF) == []
    display = rows.first.evaluate("row => getComputedStyle(row).display")
    assert display == ("block" if width < 768 else "table-row")  # a card on a phone
    screenshot(page, f"log-saksi-{width}")
    page.set_viewport_size({"width": NARROWEST, "height": 640})
    for path in ("/log/", "/log/saksi/"):
        page.goto(live_server.url + path)
        assert page.evaluate(OVERFLOW) <= 0, path
        assert page.evaluate(CUT_OFF) == [], path
    context.close()


def test_a_300_character_word_in_a_title_widens_no_page(live_server, browser: Browser) -> None:
    agency = agency_create()
    process = process_create(agency=agency, title=LONG_TITLE, stages=("planning", "tender"))
    User.objects.create_user("operator1", password=PASSWORD, role=Role.OPERATOR, agency=agency)
    context = browser.new_context(locale="id-ID", viewport={"width": NARROWEST, "height": 640})
    page = context.new_page()
    for path in ("/", f"/proses/{process.ocid}/"):
        page.goto(live_server.url + path)
        assert LONG_TITLE in page.inner_text("main"), path
        assert page.evaluate(OVERFLOW) <= 0, path
    login(page, live_server.url, "operator1")
    assert page.evaluate(OVERFLOW) <= 0, "/kelola/"
    page.get_by_role("link", name=LONG_TITLE).click()
    assert page.evaluate(OVERFLOW) <= 0, page.url
    context.close()
