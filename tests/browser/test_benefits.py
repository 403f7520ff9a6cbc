"""Check the benefit programme pages in real chromium: axe-core (WCAG 2.1 A and AA) in both
languages, no sideways scroll at 320 CSS px, on the demo programmes; and an officer's dry run
and village registry, with a screenshot of each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page
from pytest_django.fixtures import Settings
from tests.browser.axe import wcag_violations
from tests.browser.forms import login, submit

from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.accounts.services import agencies_seed
from terbuka_web.common.demo.benefits import demo_benefits_create
from terbuka_web.common.demo.consortium import demo_consortium_create
from terbuka_web.regions.services import regions_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Sandi-panjang-Bantuan-42"


@pytest.fixture
def programmes(settings: Settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    regions_load(within="35.22")
    agencies_seed(actor=None)
    demo_consortium_create()
    demo_benefits_create()


def _check(page: Page, url: str) -> list[str]:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{url} scrolls sideways: {widths}"
    return wcag_violations(page)


@pytest.mark.parametrize("language", ["id", "en"])
def test_programme_pages_are_accessible_on_a_phone(
    live_server: Any, browser: Browser, programmes: None, language: str
) -> None:
    context = browser.new_context(locale="id-ID", viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/bantuan/")
    if language != "id":
        with page.expect_navigation():
            page.click(f"form.lang button[value={language}]")
    failures = {}
    paths = ("/bantuan/", "/bantuan/blt-desil/", "/bantuan/banjir-bengawan-solo/",
             "/bantuan/blt-desil/siklus/1/", "/anggaran/35.22.11/")  # fmt: skip
    for path in paths:
        if violations := _check(page, live_server.url + path):
            failures[path] = violations
    context.close()
    assert failures == {}


def test_an_officer_sees_the_dry_run_and_the_village_registry(
    live_server: Any,
    browser: Browser,
    programmes: None,
    screenshot: Callable[[Page, str], Path],
) -> None:
    dinsos = Agency.objects.get(code="3522-dinsos")
    User.objects.create_user("ppk.sosial", password=PASSWORD, role=Role.PPK, agency=dinsos)
    context = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, live_server.url, "ppk.sosial", PASSWORD)
    assert _check(page, live_server.url + "/bantuan/banjir-bengawan-solo/") == []
    page.locator("#uji-coba").wait_for()
    screenshot(page, "benefits-dry-run")
    assert _check(page, live_server.url + "/bantuan/kelola/desa/35.22.11.2001/") == []
    assert page.locator("tbody tr").count() >= 5
    screenshot(page, "benefits-village-registry")
    context.close()


def test_an_auditor_sees_the_cycle_audit_on_a_phone(
    live_server: Any,
    browser: Browser,
    programmes: None,
    screenshot: Callable[[Page, str], Path],
) -> None:
    User.objects.create_user("aud.bpk", password=PASSWORD, role=Role.AUDITOR)
    context = browser.new_context(locale="id-ID", viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, live_server.url, "aud.bpk", PASSWORD)
    assert _check(page, live_server.url + "/bantuan/blt-desil/siklus/2/audit/") == []
    page.locator("#kebocoran").wait_for()
    assert page.locator(".usa-alert--success").count() == 1
    screenshot(page, "benefits-cycle-audit")
    context.close()


def _fits(page: Page) -> list[str]:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways: {widths}"
    return wcag_violations(page)


def test_an_officer_starts_a_cycle_and_declares_a_disaster_on_a_phone(
    live_server: Any,
    browser: Browser,
    programmes: None,
    screenshot: Callable[[Page, str], Path],
) -> None:
    dinsos = Agency.objects.get(code="3522-dinsos")
    User.objects.create_user("ppk.sosial", password=PASSWORD, role=Role.PPK, agency=dinsos)
    context = browser.new_context(locale="id-ID", viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, live_server.url, "ppk.sosial", PASSWORD)
    assert _check(page, live_server.url + "/bantuan/blt-desil/siklus/baru/") == []
    screenshot(page, "benefits-cycle-new")
    submit(page, "Mulai siklus")
    assert page.url.endswith("/bantuan/blt-desil/") and _fits(page) == []
    assert _check(page, live_server.url + "/bantuan/kelola/bencana/") == []
    page.locator("#id_title").fill("Banjir Kali Gandong")
    page.locator("#id_regions").fill("35.22.15")
    today = timezone.localdate()
    page.locator("#id_starts_on").fill(today.isoformat())
    page.locator("#id_ends_on").fill((today + dt.timedelta(days=14)).isoformat())
    submit(page, "Lihat siklus yang akan dimulai")
    assert "Bantuan Korban Banjir Bengawan Solo" in page.content() and _fits(page) == []
    screenshot(page, "benefits-disaster-preview")
    submit(page, "Tetapkan bencana")
    assert page.url.endswith("/bantuan/") and "Banjir Kali Gandong" in page.content()
    context.close()
