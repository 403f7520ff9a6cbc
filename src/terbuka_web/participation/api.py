"""JSON API of the citizens' reports at /api/lapor/: public cases, statistics and satisfaction
survey results (read-only).

The same cases as the public pages: verified, not rejected, not *rahasia*, and never a
reporter's name or contact. Filing goes through /lapor/baru/ or Open311 POST (/open311/v2/).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.timezone import localtime
from ninja import Field, Query, Router, Schema

from terbuka_web.api.errors import ERRORS
from terbuka_web.participation.models import RATINGS, Case, Rating
from terbuka_web.participation.selectors import (
    CaseStats,
    case_public_get,
    case_timeline,
    cases_public,
    stats_public,
)
from terbuka_web.participation.survey_selectors import (
    Satisfaction,
    comments_published,
    period_parse,
    satisfaction_results,
)

router = Router(tags=["lapor"])
MAX_LIMIT = 200


class EventOut(Schema):
    at: datetime
    kind: str
    state: str
    level: str
    agency: str | None
    answer: str | None


class CaseOut(Schema):
    tracking_id: str
    kind: str
    category: str
    title: str
    state: str
    level: str
    agency: str | None
    region: str | None
    ocid: str
    received_at: datetime
    due_on: date | None
    escalations: int


class CaseDetailOut(CaseOut):
    text: str
    answer: str
    timeline: list[EventOut]


class StatsOut(Schema):
    key: str
    label: str
    received: int
    forwarded: int
    forwarded_on_time: int
    answered: int
    answered_on_time: int
    escalated: int
    median_days: float | None
    rated: int
    satisfied: str | None


class StatisticsOut(Schema):
    total: StatsOut
    agencies: list[StatsOut]
    districts: list[StatsOut]


class CaseFilters(Schema):
    agency: str = Field("", max_length=80, pattern=r"^[A-Za-z0-9._-]*$")  # an agency code
    state: str = Field("", max_length=12, pattern=r"^[a-z_]*$")  # a workflow state code
    limit: int = Field(50, ge=1, le=MAX_LIMIT)


def _case_out(case: Case) -> dict[str, Any]:
    return {
        "tracking_id": case.tracking_id, "kind": case.kind, "category": case.category.code,
        "title": case.title, "state": case.state, "level": case.level,
        "agency": case.agency.code if case.agency else None, "region": case.region_id,
        "ocid": case.ocid, "received_at": case.received_at, "due_on": case.due_on,
        "escalations": case.escalations,
    }  # fmt: skip


@router.get("/cases", response={200: list[CaseOut], **ERRORS})
def cases_list(request: HttpRequest, filters: Query[CaseFilters]) -> list[dict[str, Any]]:
    """Public cases, newest first; filter by agency code and state; limit ≤ 200."""
    cases = cases_public()
    if filters.agency:
        cases = cases.filter(agency__code=filters.agency)
    if filters.state:
        cases = cases.filter(state=filters.state)
    return [_case_out(c) for c in cases[: filters.limit]]


@router.get("/cases/{tracking_id}", response={200: CaseDetailOut, **ERRORS})
def case_get(request: HttpRequest, tracking_id: str) -> dict[str, Any]:
    """One public case with its text, the agency's follow-up and its timeline."""
    case = case_public_get(tracking_id)
    if case is None:
        raise Http404(tracking_id[:16])
    timeline = [
        {
            "at": e.at, "kind": e.kind, "state": e.state, "level": e.level,
            "agency": e.agency.code if e.agency else None,
            "answer": e.note if e.state == Case.State.ANSWERED else None,
        }
        for e in case_timeline(case=case, public=True)
    ]  # fmt: skip
    return {**_case_out(case), "text": case.text, "answer": case.answer, "timeline": timeline}


def _stats_out(stats: CaseStats) -> dict[str, Any]:
    satisfied = None if stats.satisfied is None else str(stats.satisfied)
    return {**stats.__dict__, "satisfied": satisfied}


@router.get("/statistics", response={200: StatisticsOut, **ERRORS})
def statistics(request: HttpRequest) -> dict[str, Any]:
    """Received, forwarded and followed up on time, escalated, median working days to the
    follow-up, survey answers and percent satisfied: in total, per agency and per kecamatan
    (rahasia cases not counted)."""
    total, agencies, districts = stats_public()
    return {
        "total": _stats_out(total),
        "agencies": [_stats_out(s) for s in agencies],
        "districts": [_stats_out(s) for s in districts],
    }


RATING_KEYS = [rating.name.lower() for rating in Rating]  # sangat_puas, puas, cukup_puas, ...


class SatisfactionOut(Schema):
    key: str
    label: str
    answers: int
    counts: dict[str, int]
    percent: dict[str, str]
    satisfied_percent: str | None


class CommentOut(Schema):
    agency: str
    month: str
    rating: str
    service: str
    comment: str


class SatisfactionResultsOut(Schema):
    period: str
    start: date
    end: date
    total: SatisfactionOut
    agencies: list[SatisfactionOut]
    comments: list[CommentOut]


class PeriodQuery(Schema):
    period: str = Field("", max_length=10, pattern=r"^[0-9Q-]*$")  # 2026, 2026-Q4, 2026-12


def _satisfaction_out(result: Satisfaction) -> dict[str, Any]:
    satisfied = result.satisfied
    return {
        "key": result.key, "label": result.label, "answers": result.answers,
        "counts": dict(zip(RATING_KEYS, result.counts, strict=True)),
        "percent": {k: str(p) for k, p in zip(RATING_KEYS, result.percents, strict=True)},
        "satisfied_percent": None if satisfied is None else str(satisfied),
    }  # fmt: skip


@router.get("/satisfaction", response={200: SatisfactionResultsOut, **ERRORS})
def satisfaction(request: HttpRequest, query: Query[PeriodQuery]) -> dict[str, Any]:
    """Satisfaction survey results of a period (2026, 2026-Q4 or 2026-12; default this year):
    counts and percentages (one decimal, adding up to 100.0) of Sangat Puas, Puas, Cukup
    Puas and Tidak Puas in total and per agency, and the moderated comments (no identity)."""
    period = period_parse(query.period)
    total, agencies = satisfaction_results(period=period)
    comments = [
        {"agency": c.agency.code, "month": f"{localtime(c.answered_at):%Y-%m}",
         "service": c.service, "rating": RATING_KEYS[RATINGS.index(c.rating)],
         "comment": c.comment}
        for c in comments_published(period=period)[:MAX_LIMIT]
    ]  # fmt: skip
    return {
        "period": period.code, "start": period.start, "end": period.end,
        "total": _satisfaction_out(total), "agencies": [_satisfaction_out(a) for a in agencies],
        "comments": comments,
    }  # fmt: skip
