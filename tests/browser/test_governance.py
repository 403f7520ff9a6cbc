"""Vote in the browser at phone width: members make their keys on their own devices (WebCrypto
Ed25519, kept in IndexedDB), the secretariat creates a proposal with the web form, members sign
and send their votes, the decision and its minutes appear on /konsorsium/ (axe-clean, no
sideways scroll at 320 px)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page
from tests.browser.axe import wcag_violations
from tests.browser.forms import PASSWORD, login

from terbuka_web.accounts.models import Role, User
from terbuka_web.governance.models import Decision, Vote
from terbuka_web.governance.services import MemberSpec, consortium_found, interest_declare

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CLASSES = ["pemerintah", "auditor", "warga", "teknologi", "hukum"]
OVERFLOW = "document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"


def _device(browser: Browser) -> Page:
    context = browser.new_context(locale="id-ID", viewport={"width": 360, "height": 780})
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _key_make(page: Page, base: str) -> str:
    page.goto(base + "/konsorsium/kunci/")
    page.get_by_role("button", name="Buat kunci di perangkat ini").click()
    page.locator("#key-info").wait_for(state="visible")
    assert wcag_violations(page) == []
    return page.locator("#key-public").inner_text()


def test_members_vote_in_the_browser_and_the_decision_appears(
    live_server: object, browser: Browser, screenshot: Callable[[Page, str], Path]
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    devices = [_device(browser) for _ in CLASSES]
    keys = [_key_make(page, base) for page in devices]
    members = consortium_found(
        actor=None,
        members=[MemberSpec(f"Anggota {c}", c, k) for c, k in zip(CLASSES, keys, strict=True)],
    )
    interest_declare(actor=None, member=members[3], kind="agency", value="dinsos")
    User.objects.create_user("sekretariat", password=PASSWORD, role=Role.ADMIN)
    office = _device(browser)
    login(office, base, "sekretariat")
    office.goto(base + "/konsorsium/kelola/usulan/")
    assert wcag_violations(office) == []
    office.locator("#id_type").select_option("charter_amend")
    office.locator("#id_title").fill("Piagam: laporan bantuan sosial tiap triwulan")
    office.locator("#id_payload").fill(
        '{"text": "Dinas Sosial melapor kepada konsorsium tiap triwulan."}'
    )
    office.locator("#id_agencies").fill("dinsos")
    deadline = timezone.localtime() + dt.timedelta(days=7)
    office.locator("#id_deadline").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    office.get_by_role("button", name="Buat usulan").click()
    office.wait_for_url(base + "/konsorsium/usulan/*/")
    proposal_url = office.url

    recused = devices[3]
    recused.goto(proposal_url)
    recused.get_by_role("button", name="Tandatangani dan kirim").click()
    refusal = recused.locator("#vote-result")
    refusal.filter(has_text="konflik kepentingan").wait_for()
    assert not Vote.objects.exists()

    for page, choice in [(devices[1], "yes"), (devices[0], "no"), (devices[2], "yes")]:
        page.goto(proposal_url)
        assert wcag_violations(page) == []
        page.locator(f"#vote-browser input[value={choice}]").check()
        page.get_by_role("button", name="Tandatangani dan kirim").click()
        page.locator("#suara + ul li").filter(
            has_text=f"Anggota {CLASSES[devices.index(page)]}"
        ).wait_for()
    assert Vote.objects.count() == 3 and not Decision.objects.exists()  # 2 yes of 4 eligible
    devices[4].goto(proposal_url)
    devices[4].get_by_role("button", name="Tandatangani dan kirim").click()
    devices[4].locator("#keputusan").wait_for()
    decision = Decision.objects.get()
    assert decision.tally == {"yes": 3, "no": 1, "abstain": 0, "recused": 1}

    office.goto(base + f"/konsorsium/kelola/keputusan/{decision.pk}/notula/")
    office.locator("#id_text").fill(
        "Rapat daring 4 Desember: tiga setuju, satu tidak, satu mundur."
    )
    office.get_by_role("button", name="Terbitkan notula").click()
    office.wait_for_url(proposal_url)

    citizen = _device(browser)
    for width in (360, 320):
        citizen.set_viewport_size({"width": width, "height": 780})
        citizen.goto(base + "/konsorsium/")
        assert citizen.evaluate(OVERFLOW) <= 0, width
    decided = citizen.locator("#keputusan + ul li")
    assert "Piagam: laporan bantuan sosial tiap triwulan" in decided.inner_text()
    assert "setuju 3" in decided.inner_text() and "mundur 1" in decided.inner_text()
    assert wcag_violations(citizen) == []
    screenshot(citizen, "konsorsium-320")
    decided.get_by_role("link", name="Notula").click()
    assert "tiga setuju" in citizen.locator("body").inner_text()
    citizen.goto(proposal_url)
    assert "agency: dinsos" in citizen.locator("#mundur + ul").inner_text()
    assert citizen.evaluate(OVERFLOW) <= 0
    assert wcag_violations(citizen) == []
