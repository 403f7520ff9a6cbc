"""Check public pages with axe-core for WCAG 2.1 AA violations in real chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from tests.browser.axe import wcag_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_has_no_wcag_violations(live_server, page: Page) -> None:
    page.goto(live_server.url + "/")
    assert page.title()
    assert wcag_violations(page) == []
