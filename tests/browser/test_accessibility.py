"""Check every public page with axe-core (WCAG 2.1 A and AA) in real chromium.

Pages: search (empty, with results, with filters, with a filter error), a fully published
process page with its log receipt, the completeness dashboard, the login page, the 404 page, the
log page and the witnesses page; in Indonesian and English, on a phone and a desktop.
No page scrolls sideways, even at 320 CSS pixels (SC 1.4.10 Reflow, which axe does not test).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from pytest_django.fixtures import Settings
from tests.browser.axe import wcag_violations
from tests.web.factories import agency_create, process_create, process_publish_all

from terbuka.tlog.note import generate_key
from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.regions.models import Region
from terbuka_web.transparency.services import log_sequence

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 320, "height": 640}  # WCAG 2.1 SC 1.4.10 Reflow: 320 CSS px, no sideways scroll
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def published(settings: Settings) -> str:
    """Publish a five-stage process with a document through the services, sequence the log."""
    skey, _vkey = generate_key("a11y.terbuka.example/log")
    settings.TERBUKA = {
        **settings.TERBUKA,
        "LOG_ORIGIN": "a11y.terbuka.example/log",
        "LOG_KEY": skey,
    }
    region = Region.objects.create(code="35.22", name="Bojonegoro", level="regency")
    agency = Agency.objects.create(
        code="dinas-pupr", name="Dinas PU Bina Marga", kind="dinas", government=region
    )
    operator = User.objects.create_user("op1", role=Role.OPERATOR, agency=agency)
    ppk = User.objects.create_user("ppk1", role=Role.PPK, agency=agency)
    process = process_publish_all(operator=operator, ppk=ppk, title="Rehabilitasi Jalan Ngasem")
    process_create(agency=agency_create("dinkes", "Dinas Kesehatan"), stages=("planning",))
    log_sequence()
    return process.ocid


def public_paths(ocid: str) -> Iterator[tuple[str, int | None]]:
    """Yield every public page to check with its number of search results (None: no list)."""
    yield "/", 2
    yield "/?q=ngasem", 1
    yield "/?q=jalan&agency=dinas-pupr&stage=implementation&year=2026&value_min=1000", 1
    yield "/?year=dua", None
    yield f"/proses/{ocid}/", None
    yield "/kelengkapan/", None
    yield "/akun/masuk/", None
    yield "/proses/ocds-tidak-ada/", None  # the 404 page
    yield "/log/", None
    yield "/log/saksi/", None
    yield "/data/", None
    yield "/data/pengadaan-ocds/", None
    yield "/data/log-transparansi/", None


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("language", ["id", "en"])
def test_public_pages_have_no_wcag_violations(
    live_server: Any, browser: Browser, published: str, language: str, viewport: Any
) -> None:
    context = browser.new_context(locale="id-ID", viewport=viewport)
    page: Page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/kelengkapan/")
    if language != "id":  # the language switch, as a visitor uses it: one button, English
        with page.expect_navigation():
            page.click(f"form.lang button[value={language}]")
    failures = {}
    for path, results in public_paths(published):
        response = page.goto(live_server.url + path)
        assert response is not None and response.status in (200, 400, 404), path
        assert page.locator("html").get_attribute("lang") == language, path
        if results is not None:
            assert page.locator("ol.results > li").count() == results, path
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{path} scrolls sideways: {widths}"
        violations = wcag_violations(page)
        if violations:
            failures[path] = violations
    context.close()
    assert failures == {}
