"""JSON API of the budget app at /api/budget/: region roll-ups and village pushes.

GET /api/budget/regions/{code}?year=YYYY → {code, level, year, planned, adjusted, realised,
children: [{code, planned, adjusted, realised}]}, spending (belanja) in integer Rupiah.
POST /api/budget/villages/{code}/lines with "Authorization: Bearer <village token>" publishes
APBDes rows for that village only (the token is stored hashed).
GET /api/budget/batches?after=CURSOR → {batches: [{entry, lines}], links: {next}}, 204 when
nothing is newer: every published batch with its "budget.batch" log entry, for harvesters.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import Field, Query, Router, Schema, Status

from terbuka.budget.errors import BudgetFileError
from terbuka.budget.rows import rows_check
from terbuka.errors import ValidationError
from terbuka.regions.codes import code_parse
from terbuka_web.api.auth import TokenBearer
from terbuka_web.api.errors import ERRORS, ErrorOut, KnownParams, Unauthorised
from terbuka_web.budget.selectors import Totals, batches_logged, region_rollup, village_of_token
from terbuka_web.budget.services import budget_rows_publish
from terbuka_web.regions.models import Region

router = Router(tags=["budget"])


class HarvestedOut(Schema):
    origin: str
    url: str
    planned: int
    adjusted: int
    realised: int


class ChildOut(Schema):
    code: str
    planned: int
    adjusted: int
    realised: int
    harvested: list[HarvestedOut] = []


class RegionBudgetOut(Schema):
    code: str
    level: str
    year: int
    planned: int
    adjusted: int
    realised: int
    children: list[ChildOut]
    harvested: list[HarvestedOut] = []


class YearIn(Schema):
    year: int


class LinesIn(Schema):
    rows: list[dict[str, str]]


class PublishedOut(Schema):
    batches: int
    lines: int


@router.get("/regions/{code}", response={200: RegionBudgetOut, **ERRORS}, exclude_unset=True)
def region_budget(request: HttpRequest, code: str, params: Query[YearIn]) -> Any:
    """Return a region's spending of a year and its children's, computed from the children.

    Figures include the totals harvested from other instances, each also listed in harvested
    with its origin (the remote log's name) and URL; harvested is absent when there are none,
    so the shape stays exactly the documented one on an instance that harvests nothing.
    """
    dotted = str(code_parse(code))
    region = Region.objects.filter(code=dotted).first()
    if region is None:
        raise Http404(f"wilayah {dotted} tidak ditemukan / region {dotted} was not found")
    totals, children = region_rollup(code=dotted, year=params.year)
    return {
        "code": dotted,
        "level": region.level,
        "year": params.year,
        "planned": totals.planned,
        "adjusted": totals.adjusted,
        "realised": totals.realised,
        "children": [
            {
                "code": c.code,
                "planned": c.planned,
                "adjusted": c.adjusted,
                "realised": c.realised,
                **_harvested(c),
            }
            for c in children
        ],
        **_harvested(totals),
    }


def _harvested(totals: Totals) -> dict[str, Any]:
    """Return {"harvested": [...]} for totals holding harvested figures, else {}."""
    return {"harvested": [asdict(h) for h in totals.harvested]} if totals.harvested else {}


class BatchQuery(KnownParams):
    after: int = Field(0, ge=0, description="cursor from links.next (a log entry id)")
    limit: int = Field(100, ge=1, le=500)


@router.get("/batches", response={200: dict[str, Any], 204: None, **ERRORS})
def budget_batches(request: HttpRequest, query: Query[BatchQuery]) -> HttpResponse:
    """Return published batches logged after the cursor, each with its log entry and lines.

    Follow links.next until the answer is 204 No Content; keep the last links.next to get
    later only what was published since. A batch's lines hash (SHA-256 of their RFC 8785
    JSON) to its entry's sha256, and the entry is in /log/: a harvester checks both.
    """
    items, last = batches_logged(after=query.after, limit=query.limit)
    if not items:
        return HttpResponse(status=204)
    params = request.GET.copy()
    params["after"] = str(last)
    following = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    return JsonResponse({"batches": items, "links": {"next": following}})


VILLAGE_REFUSAL = ("token desa tidak sah", "the village token is not valid")
VILLAGE = TokenBearer(lambda request, token: village_of_token(token), VILLAGE_REFUSAL)


@router.post(
    "/villages/{code}/lines", response={201: PublishedOut, 401: ErrorOut, **ERRORS}, auth=VILLAGE
)
def village_lines_push(request: HttpRequest, code: str, body: LinesIn) -> Any:
    """Publish APBDes rows pushed by a village system holding that village's token.

    Every row's wilayah must be the village of the token. All or nothing; errors name the
    row and field ("baris 2, jumlah": row 1 of rows is "baris 2", as in a file).
    """
    dotted = str(code_parse(code, level="village"))
    if request.auth != dotted:  # type: ignore[attr-defined]
        raise Unauthorised(*VILLAGE_REFUSAL)
    rows = rows_check([{**row, "wilayah": row.get("wilayah", dotted)} for row in body.rows])
    strangers = [row for row in rows if row.region != dotted]
    if strangers:
        raise BudgetFileError(
            [
                ValidationError(
                    "baris untuk desa lain",
                    "a row for another village",
                    where=f"baris {row.number}, wilayah",
                )
                for row in strangers
            ]
        )
    result = budget_rows_publish(actor=None, rows=rows, source=f"api:{dotted}")
    return Status(201, {"batches": result.batches, "lines": result.lines})
