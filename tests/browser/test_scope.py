"""The coverage pages at phone width: /cakupan/ with its chart and tables, an agency's late and
missing stages, the scope proposal with its dry run (axe-clean, no sideways scroll at 360 px)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page
from tests.browser.axe import wcag_violations
from tests.web.scope.conftest import (
    POLICY,
    draft,
    process_new,
    publish,
    scope_decide,
    scope_propose,
    world_create,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OVERFLOW = "document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"


def test_coverage_pages_at_phone_width(
    live_server: object, browser: Browser, screenshot: Callable[[Page, str], Path]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    world = world_create()
    past = timezone.now() - dt.timedelta(days=60)
    with mock.patch("django.utils.timezone.now", return_value=past):
        scope_decide(world)  # in force since 60 days, as the demo's pilot
    old = timezone.localdate() - dt.timedelta(days=40)
    for title, publish_tender in (("Jalan Poros Terlambat", True), ("Jalan Poros Hilang", False)):
        process = process_new(world, title)
        draft(world, process, "planning", project=title)
        publish(world, process, "planning")
        draft(world, process, "tender", period_start=old.isoformat(), period_end=old.isoformat())
        if publish_tender:
            publish(world, process, "tender")
    goods = {"name": "Semua barang", "categories": ["goods"]}
    proposal = scope_propose({**POLICY, "phase": "expansion", "rules": [*POLICY["rules"], goods]})
    page = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 780}).new_page()
    page.goto(base + "/cakupan/")
    assert page.locator("svg.chart").count() == 1
    assert "Dinas PU Bina Marga" in page.locator("main").inner_text()
    assert wcag_violations(page) == [] and page.evaluate(OVERFLOW) <= 0
    screenshot(page, "cakupan")
    page.get_by_role("link", name="Dinas PU Bina Marga").first.click()
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert "Jalan Poros Terlambat" in text and "Jalan Poros Hilang" in text
    assert wcag_violations(page) == [] and page.evaluate(OVERFLOW) <= 0
    screenshot(page, "cakupan-agency")
    page.goto(f"{base}/konsorsium/usulan/{proposal.uid}/")
    assert "Semua barang" in page.locator("main").inner_text()
    assert wcag_violations(page) == [] and page.evaluate(OVERFLOW) <= 0
    page.goto(base + "/konsorsium/")
    assert "Tender pekerjaan konstruksi" in page.locator("main").inner_text()
    assert wcag_violations(page) == [] and page.evaluate(OVERFLOW) <= 0
