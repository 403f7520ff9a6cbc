"""Selectors of the scope app: the version in force and the next, coverage in SQL aggregates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from terbuka.scope.evaluate import stage_status
from terbuka_web.accounts.models import Agency
from terbuka_web.contracting.models import Process
from terbuka_web.scope.models import Phase, ScopeVersion, StageDue


def scope_in_force(at: dt.datetime | None = None) -> ScopeVersion | None:
    """Return the scope version in force at at (default now), or None before the first."""
    moment = at or timezone.now()
    rows = ScopeVersion.objects.filter(effective_from__lte=moment).select_related(
        "decision__proposal"
    )
    return rows.order_by("-effective_from", "-id").first()


def scope_next(at: dt.datetime | None = None) -> ScopeVersion | None:
    """Return the decided version that comes into force after at (default now), or None."""
    moment = at or timezone.now()
    rows = ScopeVersion.objects.filter(effective_from__gt=moment).select_related(
        "decision__proposal"
    )
    return rows.order_by("effective_from", "id").first()


def scope_versions() -> QuerySet[ScopeVersion]:
    """Return every scope version, oldest first, with its decision."""
    return ScopeVersion.objects.select_related("decision__proposal").order_by("effective_from")


def _counts(today: dt.date) -> dict[str, Any]:
    return {
        "processes": Count("process", distinct=True),
        "stages": Count("id"),
        "on_time": Count("id", filter=Q(published_on__lte=F("due_on"))),
        "late": Count("id", filter=Q(published_on__gt=F("due_on"))),
        "missing": Count("id", filter=Q(published_on__isnull=True, due_on__lt=today)),
        "pending": Count("id", filter=Q(published_on__isnull=True, due_on__gte=today)),
    }


@dataclass
class CoverageRow:
    """Hold one agency's (or a phase total's) counts of obligatory processes and stages."""

    agency: Agency | None
    processes: int = 0
    stages: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    pending: int = 0


@dataclass
class PhaseCoverage:
    """Hold a phase's total and its agencies' rows, most missing first."""

    phase: str
    total: CoverageRow
    rows: list[CoverageRow] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(Phase(self.phase).label)


def coverage(today: dt.date | None = None) -> list[PhaseCoverage]:
    """Return per phase and agency: obligatory processes, stages on time, late, missing, pending.

    Two aggregate queries over StageDue and one for the agencies named.
    """
    day = today or timezone.localdate()
    grouped = StageDue.objects.values("phase", "agency_id").annotate(**_counts(day))
    totals = {r["phase"]: r for r in StageDue.objects.values("phase").annotate(**_counts(day))}
    agencies = Agency.objects.in_bulk({r["agency_id"] for r in grouped if r["agency_id"]})
    phases: dict[str, PhaseCoverage] = {}
    for phase in Phase.values:
        if phase in totals:
            data = {k: v for k, v in totals[phase].items() if k != "phase"}
            phases[phase] = PhaseCoverage(phase, CoverageRow(None, **data))
    for row in grouped:
        data = {k: v for k, v in row.items() if k not in ("phase", "agency_id")}
        phases[row["phase"]].rows.append(CoverageRow(agencies.get(row["agency_id"]), **data))
    for item in phases.values():
        item.rows.sort(key=lambda r: (-r.missing, -r.late, r.agency.name if r.agency else ""))
    return list(phases.values())


def agency_overdue(agency: Agency, today: dt.date | None = None) -> QuerySet[StageDue]:
    """Return the agency's obligatory stages published late or missing past their deadline."""
    day = today or timezone.localdate()
    late = Q(published_on__gt=F("due_on")) | Q(published_on__isnull=True, due_on__lt=day)
    return (
        StageDue.objects.filter(late, agency=agency)
        .select_related("process")
        .only("process__ocid", "process__title", "process__id", "stage", "phase", "event_on",
              "due_on", "published_on", "agency_id", "version_id")
        .order_by("due_on", "id")
    )  # fmt: skip


@dataclass(frozen=True)
class StageDueStatus:
    """Describe one obligatory stage of a process: its deadline and where it stands."""

    stage: str
    due_on: dt.date
    published_on: dt.date | None
    status: str


def process_stage_statuses(process: Process, today: dt.date | None = None) -> list[StageDueStatus]:
    """Return the obligatory stages of a process with their status (on_time, late, missing,
    pending); no query unless the process is wajib (its scope row read with it)."""
    scope = getattr(process, "scope", None)
    if scope is None or not scope.obligatory:
        return []
    day = today or timezone.localdate()
    rows = StageDue.objects.filter(process=process).order_by("event_on", "id")
    return [
        StageDueStatus(
            d.stage, d.due_on, d.published_on, stage_status(d.due_on, d.published_on, day)
        )
        for d in rows
    ]
