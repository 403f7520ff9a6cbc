"""Check /federasi/ (harvested processes) and /federasi/instansi/ (admins: remotes and alerts)
in real chromium at phone and desktop width: WCAG 2.1 AA (axe-core), no sideways scroll."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser
from tests.browser.axe import wcag_violations
from tests.browser.forms import PASSWORD, login
from tests.web.federation.fake_remote import BASE, FakeRemote, batch, release
from tests.web.federation.test_services import forked

from terbuka.federation.errors import RemoteForkError
from terbuka_web.accounts.models import Role, User
from terbuka_web.federation.services import remote_harvest
from terbuka_web.regions.services import regions_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OVERFLOW = "document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"


@pytest.mark.parametrize("width", [360, 1366])
def test_federation_pages_are_accessible_and_fit(live_server, browser: Browser, width: int) -> None:
    remote = FakeRemote()
    remote.publish([release(n) for n in range(3)])
    remote_harvest(url=BASE, fetch=remote.fetch)
    with pytest.raises(RemoteForkError):
        remote_harvest(url=BASE, fetch=forked(remote, 2).fetch)
    User.objects.create_user("admin", password=PASSWORD, role=Role.ADMIN)
    context = browser.new_context(locale="id-ID", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/federasi/")
    assert "dari kab.example/log" in page.locator("main").inner_text()
    assert wcag_violations(page) == []
    assert page.evaluate(OVERFLOW) <= 0
    login(page, live_server.url, "admin")
    page.goto(live_server.url + "/federasi/instansi/")
    alert = page.get_by_role("alert").inner_text()
    assert "BERCABANG ATAU MUNDUR" in alert and "ROLLED BACK" in alert
    assert wcag_violations(page) == []
    assert page.evaluate(OVERFLOW) <= 0
    context.close()


def test_a_province_page_shows_a_harvested_regency_accessibly(
    live_server, browser: Browser
) -> None:
    regions_load(within="35.22")
    remote = FakeRemote()
    remote.publish_budget([batch(1, "35.22.01.2001", amounts=(1_500_000,))])
    remote_harvest(url=BASE, fetch=remote.fetch)
    context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/anggaran/35/?tahun=2026")
    text = page.locator("main").inner_text()
    assert "dipanen dari kab.example/log" in text and "1.500.000" in text
    assert wcag_violations(page) == []
    assert page.evaluate(OVERFLOW) <= 0
    context.close()
