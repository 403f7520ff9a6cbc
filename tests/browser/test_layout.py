"""Open every public and official page in real chromium at 320, 360 and 1366 CSS px.

On each: axe-core finds no WCAG 2.1 A/AA violation and the page does not scroll sideways
(SC 1.4.10 Reflow). On phones the header stays compact (at most 15% of a 360x740 screen) and the
search starts as one box, its first result on the first screen. Screenshots of the home, process
and log pages at 360 and 1366 px are saved in build/screenshots/ for review (docs/design.md).
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from pytest_django.fixtures import Settings
from tests.browser.axe import wcag_violations
from tests.web.factories import process_create, process_publish_all
from tests.web.transparency.cosigning import cosignature_store, witnesses_configure

from terbuka.ocds.stage_examples import EXAMPLE_STAGE_DATA
from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.common.demo.pdf import pdf_render
from terbuka_web.contracting import services
from terbuka_web.contracting.models import StageDraft
from terbuka_web.regions.models import Region
from terbuka_web.transparency.services import log_sequence

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "kata-sandi-yang-panjang-2026"
WIDTHS = [320, 360, 1366]
SCREEN_HEIGHT = 740


def _pdf(title: str) -> io.BytesIO:
    return io.BytesIO(pdf_render(title=title, lines=[title]))


@pytest.fixture
def site(settings: Settings) -> dict[str, Any]:
    """Publish a five-stage road contract and 21 planned ones, keep a draft package with a
    draft PDF, create the admin, auditor, operator and PPK, and have three witnesses cosign
    the log's checkpoint; return the ids the page list needs."""
    groups = ("pemerintah", "auditor", "warga")
    signers = witnesses_configure(settings, *groups, domain="demo.terbuka.example")
    region = Region.objects.create(code="35.22", name="Kabupaten Bojonegoro", level="regency")
    agency = Agency.objects.create(
        code="3522-dpupr", name="Dinas PU Bina Marga", kind="dinas", government=region
    )
    User.objects.create_user("admin", password=PASSWORD, role=Role.ADMIN)
    User.objects.create_user("auditor", password=PASSWORD, role=Role.AUDITOR)
    operator = User.objects.create_user(
        "operator", password=PASSWORD, role=Role.OPERATOR, agency=agency
    )
    ppk = User.objects.create_user("ppk", password=PASSWORD, role=Role.PPK, agency=agency)
    road = process_publish_all(operator=operator, ppk=ppk, title="Rehabilitasi Jalan Ngasem")
    draft = services.process_create(
        user=operator, agency=agency, title="Pengadaan Bangku Taman", fiscal_year=2026
    )
    StageDraft.objects.create(process=draft, stage="planning", data=EXAMPLE_STAGE_DATA["planning"])
    document = services.document_upload(
        user=operator, process=draft, stage="planning", document_type="procurementPlan",
        title="Rencana pengadaan", stream=_pdf("Rencana"), filename="rencana.pdf",
    )  # fmt: skip
    for n in range(21):  # a second page of search results: the pager shows
        process_create(agency=agency, title=f"Pemeliharaan Jalan Desa {n}", stages=("planning",))
    checkpoint = log_sequence()
    for signer, group in zip(signers, groups, strict=True):
        cosignature_store(checkpoint, signer, group, at=int(time.time()))
    return {"ocid": road.ocid, "road": road.pk, "draft": draft.pk, "document": document.pk,
            "agency": agency.pk, "operator": operator.pk}  # fmt: skip


def public_paths(site: dict[str, Any]) -> list[str]:
    """Return every page anyone may open, with the search at several states."""
    return [
        "/",
        "/?q=jalan",
        "/?q=jalan&agency=3522-dpupr&stage=implementation&year=2026",
        "/?year=dua",
        f"/proses/{site['ocid']}/",
        "/kelengkapan/",
        "/log/",
        "/log/saksi/",
        "/akun/masuk/",
        "/proses/ocds-tidak-ada/",
    ]


def official_paths(site: dict[str, Any]) -> dict[str, list[str]]:
    """Return, per account, every screen it may open: lists, forms and confirmations."""
    road, draft, doc = site["road"], site["draft"], site["document"]
    stage_forms = [f"/kelola/proses/{draft}/{stage}/" for stage in EXAMPLE_STAGE_DATA]
    return {
        "admin": [
            "/kelola/",
            "/akun/pengguna/",
            "/akun/pengguna/baru/",
            f"/akun/pengguna/{site['operator']}/",
            f"/akun/pengguna/{site['operator']}/sandi/",
            f"/akun/pengguna/{site['operator']}/nonaktifkan/",
            "/akun/instansi/",
            "/akun/instansi/baru/",
            f"/akun/instansi/{site['agency']}/",
            "/akun/sandi/",
        ],
        "operator": [
            "/kelola/",
            "/kelola/?q=bangku&stage=none",
            "/kelola/proses/baru/",
            f"/kelola/proses/{draft}/",
            *stage_forms,
            f"/kelola/proses/{draft}/planning/dokumen/",
            f"/kelola/proses/{draft}/hapus/",
            f"/kelola/proses/{draft}/dokumen/{doc}/hapus/",
            f"/kelola/proses/{road}/",
        ],
        "ppk": [f"/kelola/proses/{draft}/planning/terbitkan/"],
        "auditor": ["/kelola/", f"/kelola/proses/{road}/"],
    }


def problems(page: Page) -> list[str]:
    """Return axe's violations and a sideways scroll on the page, if any."""
    found = wcag_violations(page)
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if widths[0] > widths[1]:
        found.append(f"scrolls sideways: {widths[0]} > {widths[1]} px")
    return found


def visit(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status in (200, 400, 404), url


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_is_accessible_and_fits_the_screen(
    live_server: Any,
    browser: Browser,
    site: dict[str, Any],
    width: int,
    screenshot: Callable[[Page, str], Path],
) -> None:
    failures: dict[str, list[str]] = {}
    shots = {
        "/": "home",
        f"/proses/{site['ocid']}/": "process",
        "/log/": "log",
        "/log/saksi/": "saksi",
    }
    context = browser.new_context(
        locale="id-ID", viewport={"width": width, "height": SCREEN_HEIGHT}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    for path in public_paths(site):
        visit(page, live_server.url + path)
        failures[path] = problems(page)
        if path in shots and width != 320:
            screenshot(page, f"layout-{shots[path]}-{width}")
    context.close()
    for username, paths in official_paths(site).items():
        context = browser.new_context(locale="id-ID", viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        visit(page, live_server.url + "/akun/masuk/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(live_server.url + "/kelola/")
        for path in paths:
            visit(page, live_server.url + path)
            failures[f"{username} {path}"] = problems(page)
        context.close()
    assert {where: found for where, found in failures.items() if found} == {}


@pytest.mark.parametrize("width", [320, 360])
def test_phone_header_is_compact_and_search_shows_results_first(
    live_server: Any, browser: Browser, site: dict[str, Any], width: int
) -> None:
    context = browser.new_context(
        locale="id-ID", viewport={"width": width, "height": SCREEN_HEIGHT}
    )
    page = context.new_page()
    visit(page, live_server.url + "/")
    header = page.locator("header.tb-header").bounding_box()
    assert header is not None and header["height"] <= 0.15 * SCREEN_HEIGHT, header
    assert not page.locator("#f-agency").is_visible()  # filters wait behind their toggle
    first_total = page.locator("dl.tb-stats > div").first.bounding_box()  # the home page
    assert first_total is not None  # opens on where the money goes: its totals on screen one
    assert first_total["y"] + first_total["height"] < SCREEN_HEIGHT, first_total
    page.locator("details.tb-filters summary").click()
    assert page.locator("#f-agency").is_visible()
    visit(page, live_server.url + "/?q=jalan")  # a search shows its first result at once
    first = page.locator("ol.results > li").first.bounding_box()
    assert first is not None and first["y"] < SCREEN_HEIGHT, first
    context.close()


def test_filters_are_open_on_a_wide_screen_and_when_set(
    live_server: Any, browser: Browser, site: dict[str, Any]
) -> None:
    context = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    visit(page, live_server.url + "/")
    assert page.locator("#f-agency").is_visible()  # site.js opens them on a wide screen
    context.close()
    phone = browser.new_context(
        locale="id-ID", viewport={"width": 360, "height": SCREEN_HEIGHT}, java_script_enabled=False
    )
    page = phone.new_page()
    visit(page, live_server.url + "/?q=jalan&year=2026")
    assert page.locator("#f-year").is_visible()  # a set filter is shown, even without JavaScript
    phone.close()
