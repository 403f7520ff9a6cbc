"""Read what the scope needs from the contracting tables in bulk: facts, events, publication days.

Stage events (the day a stage's deadline counts from), from the operators' stage data:
planning — the day the process was registered (imported: its first release's date);
tender — the tender period's start; award — the tender period's end; contract — the award
date; implementation — the contract period's end. An event whose data is not there yet is
unknown (no deadline yet). An imported process has no stage data: its events come from its
compiled release (tender.tenderPeriod, awards[0].date, contracts[0].period.endDate).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Min
from django.utils import timezone

from terbuka.scope.evaluate import Facts
from terbuka_web.contracting.models import Process, Release, StageDraft

EVENT_SOURCES = {  # stage: (stage whose data holds the event, key)
    "tender": ("tender", "period_start"),
    "award": ("tender", "period_end"),
    "contract": ("award", "date"),
    "implementation": ("contract", "period_end"),
}


@dataclass
class ProcessFacts:
    """Hold one process's scope facts, stage events and first publication day per stage."""

    pk: int
    ocid: str
    title: str
    agency_id: int | None
    agency_code: str
    agency_name: str
    facts: Facts
    events: dict[str, dt.date]
    published: dict[str, dt.date]


def _day(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def processes_facts(process_ids: list[int] | None = None) -> list[ProcessFacts]:
    """Return the facts of the published processes (all, or those of process_ids): 4 queries."""
    rows = Process.objects.filter(first_published_at__isnull=False)
    if process_ids is not None:
        rows = rows.filter(pk__in=process_ids)
    rows = rows.select_related("agency").only(
        "id", "ocid", "title", "agency__code", "agency__name", "method", "value_idr",
        "procurement_category", "created_at", "imported", "first_published_at",
    )  # fmt: skip
    processes = list(rows.order_by("id"))
    ids = [p.pk for p in processes]
    drafts: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
    for pid, stage, data in StageDraft.objects.filter(process_id__in=ids).values_list(
        "process_id", "stage", "data"
    ):
        drafts[pid][stage] = data or {}
    imported = Process.objects.filter(pk__in=ids, imported=True)
    for pid, compiled in imported.values_list("id", "compiled_release"):
        drafts[pid] = _compiled_as_drafts(compiled or {})
    published: dict[int, dict[str, dt.date]] = defaultdict(dict)
    firsts = (
        Release.objects.filter(process_id__in=ids)
        .values("process_id", "stage")
        .annotate(first=Min("published_at"))
    )
    for row in firsts:
        published[row["process_id"]][row["stage"]] = timezone.localdate(row["first"])
    return [_one(p, drafts[p.pk], published[p.pk]) for p in processes]


def _compiled_as_drafts(compiled: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return the event dates of an imported process's compiled release, shaped as stage data."""
    tender = compiled.get("tender") or {}
    period = tender.get("tenderPeriod") or {}
    awards = compiled.get("awards") or [{}]
    contracts = compiled.get("contracts") or [{}]
    return {
        "tender": {"period_start": period.get("startDate"), "period_end": period.get("endDate")},
        "award": {"date": awards[0].get("date")},
        "contract": {"period_end": (contracts[0].get("period") or {}).get("endDate")},
    }


def _one(
    process: Process, drafts: dict[str, dict[str, Any]], published: dict[str, dt.date]
) -> ProcessFacts:
    registered = process.first_published_at if process.imported else process.created_at
    events = {"planning": timezone.localdate(registered)}
    for stage, (source, key) in EVENT_SOURCES.items():
        day = _day(drafts.get(source, {}).get(key))
        if day is not None:
            events[stage] = day
    amount = drafts.get("planning", {}).get("amount")
    value = process.value_idr if process.value_idr is not None else amount
    agency = process.agency
    facts = Facts(
        category=process.procurement_category or None,
        method=process.method or drafts.get("tender", {}).get("method") or None,
        value=value if isinstance(value, int) else None,
        agency=agency.code if agency else None,
    )
    return ProcessFacts(
        process.pk, process.ocid, process.title, process.agency_id,
        agency.code if agency else "", agency.name if agency else "",
        facts, events, published,
    )  # fmt: skip
