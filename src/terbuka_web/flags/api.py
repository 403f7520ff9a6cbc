"""JSON API of the stored red flags: GET /api/flags?code=R018&agency=… (mounted by the api app).

Answers a JSON list of the published processes flagged by one process-local indicator, newest
publication first, e.g. [{"ocid": "ocds-tbk352-…", "title": "…", "agency": {"code": "…",
"name": "…"}, "fiscal_year": 2026, "method": "tender", "code": "R018", "value": 1.0,
"url": "https://…/proses/ocds-tbk352-…/"}]. A flag is a reason to look, never an accusation.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from terbuka.flags.registry import LOCAL_CODES
from terbuka_web.api.errors import ERRORS, KnownParams
from terbuka_web.flags.selectors import flagged_processes
from terbuka_web.portal.links import ocid_link_maker

router = Router(tags=["flags"])
FlagCode = Literal[LOCAL_CODES]  # type: ignore[valid-type]


class FlagQuery(KnownParams):
    code: FlagCode = Field(description="kode indikator / indicator code (docs/flags.md)")
    agency: str = Field("", max_length=80, description="Kode perangkat daerah / agency code")
    limit: int = Field(1000, ge=1, le=10_000, description="baris maksimum / most rows returned")


class FlagAgency(Schema):
    code: str
    name: str


class FlaggedProcess(Schema):
    ocid: str
    title: str
    agency: FlagAgency | None
    fiscal_year: int
    method: str
    code: str
    value: float | None = Field(description="nilai indikator / indicator value; null if not finite")
    url: str


@router.get("", response={200: list[FlaggedProcess], **ERRORS})
def flags_list(request: HttpRequest, query: Query[FlagQuery]) -> list[dict[str, Any]]:
    """Daftar proses bertanda / published processes flagged by one indicator (of one agency)."""
    page_url = ocid_link_maker("portal:process", request.build_absolute_uri)
    rows = flagged_processes(code=query.code, agency=query.agency.strip(), limit=query.limit)
    return [
        {
            "ocid": row["process__ocid"],
            "title": row["process__title"],
            "agency": (
                {"code": row["process__agency__code"], "name": row["process__agency__name"]}
                if row["process__agency__code"] is not None
                else None
            ),
            "fiscal_year": row["process__fiscal_year"],
            "method": row["process__method"],
            "code": row["code"],
            "value": row["value"],
            "url": page_url(row["process__ocid"]),
        }
        for row in rows
    ]
