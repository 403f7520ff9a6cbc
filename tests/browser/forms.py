"""Log in and submit forms as a person would, waiting for the page each click leads to.

A click that submits a form returns once the next page is committed, before it is parsed, and
`page.wait_for_load_state()` right after it may answer for the page being left: a goto that
follows can cancel the form's POST, and axe or `page.content()` can read an empty page.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page
from tests.browser.axe import wcag_violations

PASSWORD = "kata-sandi-yang-panjang-2026"


def submit(where: Page | Locator, button: str) -> None:
    """Click the button named button in where (a page or a part of one) and wait until the
    page it leads to has loaded."""
    page = where if isinstance(where, Page) else where.page
    with page.expect_navigation():
        where.get_by_role("button", name=button).click()


def login(page: Page, base: str, username: str, password: str = PASSWORD) -> None:
    """Log in as username at base's login page (axe-clean) and wait for /kelola/, where every
    officer lands."""
    page.goto(base + "/akun/masuk/")
    assert wcag_violations(page) == []
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(base + "/kelola/")
