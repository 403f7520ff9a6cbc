"""Check, in real chromium, that the Content-Security-Policy blocks nothing on the main pages.

Collects every `securitypolicyviolation` event and console error while the portal, a process
page, the completeness page, the witnesses page, the Swagger UI of /api/docs (which must run
from static files) and the operator's forms load.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from pytest_django.fixtures import Settings
from tests.web.factories import site_pages_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));
"""


def _watched(browser: Browser, base: str, session: str = "") -> tuple[Page, list[str]]:
    """Return a page that records CSP violations (in the page) and console errors (in a list)."""
    context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    if session:
        context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    # chromium reports each blocked script, style or image as "Refused to … Content Security
    # Policy" on the console; a request the page makes that fails shows as a response >= 400
    # (the browser's own /favicon.ico probe is neither).
    page.on("console", lambda m: errors.append(m.text) if "Content Security" in m.text else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return page, errors


def _visit(page: Page, url: str, ready: str) -> list[str]:
    """Load url under the CSP, wait until ready shows and the network is idle; return violations."""
    response = page.goto(url)
    assert response is not None
    assert "script-src 'self';" in response.headers.get("content-security-policy", ""), url
    page.wait_for_selector(ready)
    page.wait_for_load_state("networkidle")
    found: list[str] = page.evaluate("window.__violations")
    return found


def test_no_csp_violation_on_the_main_pages(
    live_server: Any, browser: Browser, settings: Settings
) -> None:
    process, client = site_pages_create(settings)
    base = live_server.url

    page, errors = _watched(browser, base)
    public = {
        "/?q=jalan": "main",
        f"/proses/{process.ocid}/": "main",
        "/kelengkapan/": "main",
        "/log/saksi/": "main",
        "/api/docs": "#swagger-ui .opblock",  # the Swagger UI rendered its operations
    }
    for path, ready in public.items():
        assert _visit(page, base + path, ready) == [], path
    page, staff_errors = _watched(browser, base, client.cookies["sessionid"].value)
    for path in (
        "/kelola/",
        "/kelola/proses/baru/",
        f"/kelola/proses/{process.pk}/",
        f"/kelola/proses/{process.pk}/award/",
        f"/kelola/proses/{process.pk}/award/dokumen/",
    ):
        assert _visit(page, base + path, "main") == [], path
    assert errors + staff_errors == []
