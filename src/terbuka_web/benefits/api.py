"""JSON API of benefit programmes (mounted at /api/benefits by the api app).

GET /api/benefits/programmes answers [{"id": "blt-desil", "name": "…", "rule_hash": "9f2c…",
"cycles": []}]: rule_hash is that of the version in force (null before any adoption);
cycles lists the numbers of its disbursement cycles.

GET /api/benefits/programmes/{id}/cycles/{n}/villages answers, per village, Rupiah integers
(refused: registrants refused, deceased + duplicate + ineligible):
[{"village_code": "35.22.01.2001", "allocated": 900000, "credited": 900000, "spent": 0,
"clawed_back": 0, "refused": 2}].
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from terbuka_web.api.errors import ERRORS
from terbuka_web.benefits import selectors
from terbuka_web.benefits.audit import cycle_get, cycle_villages, programme_cycle_numbers

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
