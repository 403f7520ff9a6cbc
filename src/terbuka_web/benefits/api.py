"""JSON API of benefit programmes (mounted at /api/benefits by the api app).

GET /api/benefits/programmes answers [{"id": "blt-desil", "name": "…", "rule_hash": "9f2c…",
"cycles": []}]: rule_hash is that of the version in force (null before any adoption);
cycles lists the numbers of its disbursement cycles.

GET /api/benefits/programmes/{id}/cycles/{n}/villages answers, per village, Rupiah integers
(refused: registrants refused, deceased + duplicate + ineligible):
[{"village_code": "35.22.01.2001", "allocated": 900000, "credited": 900000, "spent": 0,
"clawed_back": 0, "refused": 2}].

Officers' writes carry "Authorization: Bearer <officer token>" (`terbuka benefits token
USER`; stored as its SHA-256, like a village system's token), act as that user and check
the same role and agency or region as the web pages (403 "forbidden" otherwise, 401 for a
missing or wrong token):
POST /api/benefits/programmes/{id}/cycles asks for a new cycle (202 {"programme", "trigger",
"state": "pending"}; the benefits tick starts it within a minute);
POST /api/benefits/disasters {"title", "regions", "starts_on", "ends_on"} declares a
disaster (201 {"id", …, "programmes"}: the on_disaster programmes it starts a cycle of).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from terbuka_web.accounts.models import User
from terbuka_web.api.auth import TokenBearer
from terbuka_web.api.errors import ERRORS, ErrorOut
from terbuka_web.benefits import selectors
from terbuka_web.benefits.audit import cycle_get, cycle_villages, programme_cycle_numbers
from terbuka_web.benefits.disasters import disaster_declare
from terbuka_web.benefits.schedule import disaster_programmes
from terbuka_web.benefits.starts import cycle_request, officer_by_token

router = Router(tags=["benefits"])


class ProgrammeOut(Schema):
    id: str
    name: str
    rule_hash: str | None
    cycles: list[int]


@router.get("/programmes", response={200: list[ProgrammeOut], **ERRORS})
def programmes_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Daftar program bantuan / benefit programmes, with the hash of the rules in force."""
    return [
        {
            "id": p.slug,
            "name": p.name,
            "rule_hash": p.current.rule_hash if p.current else None,
            "cycles": programme_cycle_numbers(p),
        }
        for p in selectors.programmes_list()
    ]


class VillageOut(Schema):
    village_code: str
    allocated: int
    credited: int
    spent: int
    clawed_back: int
    refused: int


@router.get("/programmes/{id}/cycles/{n}/villages", response={200: list[VillageOut], **ERRORS})
def cycle_villages_list(request: HttpRequest, id: str, n: int) -> list[dict[str, Any]]:
    """Angka per desa satu siklus / a cycle's figures per village, in Rupiah (404 if none)."""
    programme = selectors.programme_get(id[:60])
    cycle = cycle_get(programme, n) if programme is not None else None
    if cycle is None:
        raise Http404("siklus tidak ditemukan / cycle not found")
    return cycle_villages(cycle)


WRITES: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, **ERRORS}


OFFICER = TokenBearer(
    lambda request, token: officer_by_token(token),
    ("token petugas tidak sah", "the officer token is not valid"),
)


def _programme(id: str) -> Any:
    programme = selectors.programme_get(id[:60])
    if programme is None:
        raise Http404("program tidak ditemukan / programme not found")
    return programme


class StartOut(Schema):
    programme: str
    trigger: str
    state: str


@router.post("/programmes/{id}/cycles", response={202: StartOut, **WRITES}, auth=OFFICER)
def cycle_create(request: HttpRequest, id: str) -> Status[dict[str, Any]]:
    """Minta siklus baru / ask for a new cycle of a programme (the tick starts it)."""
    officer: User = request.auth  # type: ignore[attr-defined]
    start = cycle_request(actor=officer, programme=_programme(id))
    return Status(202, {"programme": start.programme.slug, "trigger": start.trigger,
                        "state": start.state})  # fmt: skip


class DisasterIn(Schema):
    title: str = Field(max_length=200)
    regions: list[str] = Field(max_length=200)
    starts_on: dt.date
    ends_on: dt.date


class DisasterOut(Schema):
    id: int
    title: str
    regions: list[str]
    starts_on: dt.date
    ends_on: dt.date
    programmes: list[str]


@router.post("/disasters", response={201: DisasterOut, **WRITES}, auth=OFFICER)
def disaster_create(request: HttpRequest, body: DisasterIn) -> Status[dict[str, Any]]:
    """Tetapkan bencana / declare a disaster for region codes (logged, public)."""
    officer: User = request.auth  # type: ignore[attr-defined]
    disaster = disaster_declare(
        actor=officer, title=body.title, regions=body.regions, starts_on=body.starts_on,
        ends_on=body.ends_on,
    )  # fmt: skip
    return Status(201, {
        "id": disaster.pk, "title": disaster.title, "regions": disaster.regions,
        "starts_on": disaster.starts_on, "ends_on": disaster.ends_on,
        "programmes": [p.slug for p in disaster_programmes(disaster)],
    })  # fmt: skip
