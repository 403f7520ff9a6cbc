"""JSON API of benefit programmes (mounted at /api/benefits by the api app).

GET /api/benefits/programmes answers [{"id": "blt-desil", "name": "…", "rule_hash": "9f2c…",
"cycles": []}]: rule_hash is that of the version in force (null before any adoption);
cycles lists the numbers of its disbursement cycles.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from terbuka_web.benefits import selectors

router = Router(tags=["benefits"])


class ProgrammeOut(Schema):
    id: str
    name: str
    rule_hash: str | None
    cycles: list[int]


@router.get("/programmes", response=list[ProgrammeOut])
def programmes_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Daftar program bantuan / benefit programmes, with the hash of the rules in force."""
    return [
        {
            "id": p.slug,
            "name": p.name,
            "rule_hash": p.current.rule_hash if p.current else None,
            "cycles": selectors.programme_cycles(p),
        }
        for p in selectors.programmes_list()
    ]
