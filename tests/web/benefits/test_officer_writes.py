"""Test officers' writes from the web and the JSON API: asking for a cycle (after its dry run)
and declaring a disaster (after a preview), each refused to the wrong role, agency or region,
the API's refusals in the one error shape, and the tick starting what was asked once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.benefits.models import CycleStart, Disaster, Programme
from terbuka_web.benefits.registry import registry_import
from terbuka_web.benefits.schedule import benefits_tick
from terbuka_web.benefits.starts import officer_token_create
from terbuka_web.ledger.services import posting_record
from terbuka_web.transparency.models import LogEntry

from .conftest import Consortium, dinsos, person, programme_new, propose, registry_bytes

A, B = "35.22.01.2001", "35.22.02.2001"
RELIEF = {
    "eligibility": 'desil <= 5 && disaster_zones.exists(z, region.startsWith(z + "."))',
    "entitlement": "500000",
    "parameters": {},
}


@pytest.fixture
def programmes(region: list[Agency], consortium: Consortium) -> Programme:
    """Import six registrants and adopt a cash programme and a flood relief; return the cash."""
    registry_import(actor=None, filename="r.csv", data=registry_bytes(
        [person(i, A if i % 2 else B) for i in range(6)]))  # fmt: skip
    today = timezone.localdate()
    period = {"period_start": today - dt.timedelta(days=30),
              "period_end": today + dt.timedelta(days=300)}  # fmt: skip
    relief = programme_new("bantuan-banjir", name="Bantuan Banjir Uji", on_disaster=True, **period)
    consortium.adopt(propose(relief, RELIEF))
    cash = programme_new("blt-uji", **period)
    consortium.adopt(propose(cash))
    cash.refresh_from_db()
    return cash


def _user(name: str, role: str, agency: str | None = "3522-dinsos") -> User:
    found = Agency.objects.get(code=agency) if agency else None
    return User.objects.create_user(name, password="x", role=role, agency=found)


def test_the_cycle_page_shows_the_dry_run_and_asks_the_tick(programmes: Programme) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.get("/bantuan/blt-uji/siklus/baru/").status_code == 302  # log in first
    client.force_login(_user("ppk.sosial", Role.PPK))
    page = client.get("/bantuan/blt-uji/siklus/baru/")
    html = page.content.decode()
    assert page.status_code == 200 and "Rp 1.800.000" in html and "Mulai siklus" in html
    assert "Mulai siklus baru" in client.get("/bantuan/blt-uji/").content.decode()
    assert client.post("/bantuan/blt-uji/siklus/baru/").status_code == 403  # no CSRF token
    token = client.cookies["csrftoken"].value
    done = client.post("/bantuan/blt-uji/siklus/baru/", {"csrfmiddlewaretoken": token})
    assert done.status_code == 302 and done["Location"] == "/bantuan/blt-uji/"
    again = client.post("/bantuan/blt-uji/siklus/baru/", {"csrfmiddlewaretoken": token})
    assert again.status_code == 422 and "masih menunggu" in again.content.decode()
    assert CycleStart.objects.filter(programme=programmes).count() == 1
    assert benefits_tick().started == ["blt-uji/1"]


@pytest.mark.parametrize(
    ("name", "role", "agency"),
    [("op.sosial", Role.OPERATOR, "3522-dinsos"), ("ppk.pu", Role.PPK, "3522-dpupr"),
     ("aud", Role.AUDITOR, None)],
)  # fmt: skip
def test_the_cycle_page_refuses_other_roles_and_agencies(
    programmes: Programme, client: Client, name: str, role: str, agency: str | None
) -> None:
    client.force_login(_user(name, role, agency))
    assert client.get("/bantuan/blt-uji/siklus/baru/").status_code == 403
    assert client.post("/bantuan/blt-uji/siklus/baru/").status_code == 403
    assert "Mulai siklus baru" not in client.get("/bantuan/blt-uji/").content.decode()
    assert not CycleStart.objects.exists()


def test_a_refused_cycle_is_shown_with_its_reason_and_retried(
    programmes: Programme, client: Client
) -> None:
    fund = "programme:blt-uji"
    posting_record(key="drain", legs=[(fund, "debit", programmes.budget),
                   ("treasury:apbd", "credit", programmes.budget)])  # fmt: skip
    client.force_login(_user("ppk.sosial", Role.PPK))
    client.post("/bantuan/blt-uji/siklus/baru/")
    assert benefits_tick().refused == [f"blt-uji/{CycleStart.objects.get().trigger}"]
    start = CycleStart.objects.get()
    html = client.get("/bantuan/blt-uji/siklus/baru/").content.decode()
    assert "Rp 0 tidak cukup" in html and "is short of" in html and "Coba lagi" in html
    assert "1 siklus ditolak" in client.get("/bantuan/blt-uji/").content.decode()
    answer = client.post(f"/bantuan/blt-uji/mulai/{start.pk}/ulang/")
    assert answer.status_code == 302
    assert CycleStart.objects.get().state == "pending"
    assert benefits_tick().refused == [f"blt-uji/{start.trigger}"]  # retried: still short
    client.force_login(_user("ppk.pu", Role.PPK, "3522-dpupr"))
    assert client.post(f"/bantuan/blt-uji/mulai/{start.pk}/ulang/").status_code == 403


def _declare(client: Client, regions: str, **more: str) -> Any:
    today = timezone.localdate()
    return client.post("/bantuan/kelola/bencana/", {
        "title": "Banjir Uji", "regions": regions, "starts_on": today.isoformat(),
        "ends_on": (today + dt.timedelta(days=5)).isoformat(), **more})  # fmt: skip


def test_the_disaster_page_previews_then_declares(programmes: Programme, client: Client) -> None:
    client.force_login(_user("ppk.sosial", Role.PPK))
    assert "Tetapkan bencana" in client.get("/bantuan/").content.decode()
    preview = _declare(client, "35.22.01")
    html = preview.content.decode()
    assert preview.status_code == 200 and "Bantuan Banjir Uji" in html
    assert "Rp 1.500.000" in html and not Disaster.objects.exists()  # 3 in 35.22.01, 500k
    outside = _declare(client, "35.23.01", confirm="1")
    assert outside.status_code == 422 and "tidak berwenang" in outside.content.decode()
    bad = _declare(client, "35.22.1", confirm="1")
    assert bad.status_code == 422 and "Kemendagri" in bad.content.decode()
    done = _declare(client, "35.22.01", confirm="1")
    assert done.status_code == 302 and Disaster.objects.get().regions == ["35.22.01"]
    assert LogEntry.objects.filter(kind="benefit.disaster").count() == 1
    assert benefits_tick().started == ["bantuan-banjir/1"]


def test_the_disaster_page_refuses_other_roles(programmes: Programme, client: Client) -> None:
    client.force_login(_user("op.sosial", Role.OPERATOR))
    assert client.get("/bantuan/kelola/bencana/").status_code == 403
    assert _declare(client, "35.22.01", confirm="1").status_code == 403
    assert "Tetapkan bencana" not in client.get("/bantuan/").content.decode()
    assert not Disaster.objects.exists()


def _bearer(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {officer_token_create(actor=None, user=user)}"}


def _error(answer: Any, status: int, code: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.content
    body = answer.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    assert set(body["error"]) >= {"code", "message", "message_en", "field"}
    return body["error"]


def test_the_api_asks_for_a_cycle_with_an_officer_token(
    programmes: Programme, client: Client
) -> None:
    url = "/api/benefits/programmes/blt-uji/cycles"
    _error(client.post(url), 401, "error")
    _error(client.post(url, headers={"Authorization": "Bearer salah"}), 401, "error")
    ppk = _user("ppk.sosial", Role.PPK)
    client.force_login(ppk)  # a session is not a token: refused without one
    _error(client.post(url), 401, "error")
    for user in (_user("op.sosial", Role.OPERATOR), _user("ppk.pu", Role.PPK, "3522-dpupr")):
        _error(client.post(url, headers=_bearer(user)), 403, "forbidden")
    answer = client.post(url, headers=_bearer(ppk))
    assert answer.status_code == 202
    body = answer.json()
    assert body["programme"] == "blt-uji" and body["state"] == "pending"
    assert body["trigger"].startswith("petugas:")
    _error(client.post(url, headers=_bearer(ppk)), 422, "validation")  # still pending
    _error(client.post("/api/benefits/programmes/tidak-ada/cycles", headers=_bearer(ppk)), 404,
           "not_found")  # fmt: skip
    assert benefits_tick().started == ["blt-uji/1"]
    call_command("terbuka_benefits", "token", "ppk.sosial", "--revoke")
    _error(client.post(url, headers={"Authorization": "Bearer x"}), 401, "error")


def test_the_api_declares_a_disaster_within_the_officer_s_region(
    programmes: Programme, client: Client
) -> None:
    url = "/api/benefits/disasters"
    today = timezone.localdate()
    body = {"title": "Banjir API", "regions": ["35.22.02"], "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=3)).isoformat()}  # fmt: skip
    _error(client.post(url, body, content_type="application/json"), 401, "error")
    missing = _error(client.post(url), 401, "error")  # the token is checked before the body
    assert (missing["message"], missing["message_en"]) == (
        "token petugas tidak sah",
        "the officer token is not valid",
    )
    _error(client.post(url, headers={"Authorization": "Bearer "}), 401, "error")
    ppk = _user("ppk.sosial", Role.PPK)
    for user in (_user("op.sosial", Role.OPERATOR), _user("aud", Role.AUDITOR, None)):
        _error(client.post(url, body, content_type="application/json", headers=_bearer(user)),
               403, "forbidden")  # fmt: skip
    outside = {**body, "regions": ["35.23.01"]}
    _error(client.post(url, outside, content_type="application/json", headers=_bearer(ppk)),
           403, "forbidden")  # fmt: skip
    bad = _error(client.post(url, {**body, "regions": ["x"]}, content_type="application/json",
                             headers=_bearer(ppk)), 422, "validation")  # fmt: skip
    assert bad["field"] == "regions"
    assert not Disaster.objects.exists()
    answer = client.post(url, body, content_type="application/json", headers=_bearer(ppk))
    assert answer.status_code == 201
    made = answer.json()
    assert made["regions"] == ["35.22.02"] and made["programmes"] == ["bantuan-banjir"]
    assert Disaster.objects.get().declared_by == ppk
    assert benefits_tick().started == ["bantuan-banjir/1"]


def test_the_cli_issues_an_officer_token(programmes: Programme, capsys) -> None:  # type: ignore[no-untyped-def]
    ppk = _user("ppk.sosial", Role.PPK)
    call_command("terbuka_benefits", "token", "ppk.sosial")
    token = capsys.readouterr().out.strip()
    client = Client()
    answer = client.post("/api/benefits/programmes/blt-uji/cycles",
                         headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert answer.status_code == 202
    assert CycleStart.objects.get().requested_by == ppk
    assert dinsos() == ppk.agency
