"""A reader, on a phone, opens the openness ranking, picks an agency and reads its components:
each page axe-clean (WCAG 2.1 AA), no sideways scroll; the badge image loads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, Page
from tests.browser.axe import wcag_violations
from tests.web.flags.test_pages import published

from terbuka_web.accounts.models import Agency
from terbuka_web.regions.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OVERFLOW = "document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"


def clean(page: Page) -> None:
    assert wcag_violations(page) == []
    assert page.evaluate(OVERFLOW) <= 0


def test_a_reader_ranks_agencies_and_reads_one_agencys_components(
    live_server, browser: Browser, screenshot: Callable[[Page, str], Path]
) -> None:
    cache.clear()
    region = Region.objects.create(code="35.22", name="Bojonegoro", level="regency")
    pu = Agency.objects.create(
        code="dinas-pu", name="Dinas Pekerjaan Umum", kind="dinas", government=region
    )
    dinkes = Agency.objects.create(
        code="dinkes", name="Dinas Kesehatan", kind="dinas", government=region
    )
    published(pu, "Rehabilitasi Jalan Ngasem", tenderers=1, days=18)
    published(dinkes, "Renovasi Puskesmas Dander", tenderers=4, days=18)
    context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/keterbukaan/")
    assert "Dinas Pekerjaan Umum" in page.inner_text("main")
    page.locator("details.chart-data summary").first.click()
    clean(page)
    screenshot(page, "openness-ranking-360")

    page.get_by_role("link", name="Dinas Pekerjaan Umum").click()
    assert "/keterbukaan/dinas-pu/" in page.url
    main = page.inner_text("main")
    assert "tanpa data, tidak dihitung" in main and "Bobot" in main
    page.wait_for_function("document.querySelector('main img').complete")
    assert page.evaluate("document.querySelector('main img').naturalWidth") == 190
    clean(page)
    screenshot(page, "openness-agency-360")
