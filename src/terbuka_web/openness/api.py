"""JSON API of the openness index: GET /api/openness?year=2026[&quarter=3] (mounted by the api
app).

Answers a JSON list of the agencies with an index in that fiscal year (default the newest) or,
with quarter, in that quarter of it, best score first, e.g. [{"agency": {"code": "dinas-pu",
"name": "…"}, "year": 2026, "quarter": null, "period": "2026", "score": 74.2, "components":
[{"key": "coverage", "weight": 25, "numerator": 8, "denominator": 10, "score": 80.0}, …],
"missing": ["complaints"]}]. A component without data has score null and is left out of the
weighted mean (docs/openness.md).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from terbuka_web.api.errors import ERRORS, KnownParams
from terbuka_web.openness import selectors

router = Router(tags=["openness"])


class OpennessQuery(KnownParams):
    year: int | None = Field(
        None, ge=2000, le=2100, description="tahun anggaran / fiscal year (default newest)"
    )
    quarter: int | None = Field(
        None, ge=1, le=4, description="triwulan 1–4 / quarter of the year (default: whole year)"
    )


class OpennessAgency(Schema):
    code: str
    name: str


class OpennessComponent(Schema):
    key: str
    weight: int
    numerator: int
    denominator: int
    score: float | None = Field(description="0–100; null: no data, left out")


class OpennessRow(Schema):
    agency: OpennessAgency
    year: int
    quarter: int | None = Field(description="1–4; null: the whole fiscal year")
    period: str = Field(description='"2026" or "2026-Q3"')
    score: float | None
    components: list[OpennessComponent]
    missing: list[str]


@router.get("", response={200: list[OpennessRow], **ERRORS})
def openness_list(request: HttpRequest, query: Query[OpennessQuery]) -> list[dict[str, Any]]:
    """Indeks keterbukaan per perangkat daerah / openness index per agency of a fiscal year or
    one of its quarters."""
    years = selectors.years()
    year = query.year if query.year is not None else (years[0] if years else None)
    if year is None:
        return []
    return [
        {
            "agency": {"code": s.key, "name": s.name},
            "year": s.year,
            "quarter": s.quarter,
            "period": s.period,
            "score": s.index.score,
            "components": [
                {
                    "key": c.key,
                    "weight": c.weight,
                    "numerator": c.numerator,
                    "denominator": c.denominator,
                    "score": c.score,
                }
                for c in s.index.components
            ],
            "missing": list(s.index.missing),
        }
        for s in selectors.ranking(year=year, quarter=query.quarter)
    ]
