"""Read the raw counts of the openness index (terbuka.openness) per agency and fiscal year, and
sum them per region (the agency's government) — five GROUP BY queries (one plain column read)
over the whole data, never one query per process, cached per publication stamp and day. On the
1,200-process demo (SQLite, 2 shared cores under load) a page takes 60–105 ms when it must
recompute and 12–25 ms from the cache (docs/openness.md).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

from terbuka.ocds.codes import STAGES
from terbuka.openness import WEIGHTS, Component, Index, index
from terbuka_web.accounts.models import Agency
from terbuka_web.contracting.models import Document, Process
from terbuka_web.flags.models import FlagSubject
from terbuka_web.flags.selectors import FLAGGED
from terbuka_web.participation.models import Case
from terbuka_web.portal.selectors import _cache_through, publication_stamp
from terbuka_web.scope.models import StageDue
from terbuka_web.scope.selectors import _counts as stage_counts

Counts = dict[str, list[int]]  # component key → [numerator, denominator]
Key = tuple[int, int]  # (agency id, fiscal year)


@dataclass(frozen=True)
class Scored:
    """Name one agency or region of one year with its index."""

    key: str
    name: str
    year: int
    index: Index


def _add(table: dict[Any, Counts], key: Any, component: str, n: int, d: int) -> None:
    cell = table[key].setdefault(component, [0, 0])
    cell[0] += n
    cell[1] += d


def _scope(table: dict[Key, Counts], today: date) -> None:
    rows = (
        StageDue.objects.filter(agency__isnull=False)
        .values("agency_id", "process__fiscal_year")
        .annotate(**stage_counts(today))
        .order_by()
    )
    for r in rows:
        key, published = (r["agency_id"], r["process__fiscal_year"]), r["on_time"] + r["late"]
        _add(table, key, "coverage", published, published + r["missing"])
        _add(table, key, "timeliness", r["on_time"], published)


def _stages(table: dict[Key, Counts]) -> None:
    """Count stage slots published (Process.stages_published, kept with every publication) and
    those with a document of a published release: distinct (process, stage) per group."""
    public = Process.objects.filter(first_published_at__isnull=False, agency__isnull=False)
    rows = public.values_list("agency_id", "fiscal_year", "stages_published").order_by()
    for agency, year, stages in rows:
        n = len(set(stages or ()) & set(STAGES))
        _add(table, (agency, year), "completeness", n, len(STAGES))
        _add(table, (agency, year), "documents", 0, n)
    documented = (
        Document.objects.filter(
            process__first_published_at__isnull=False,
            process__agency__isnull=False,
            release__isnull=False,
            stage__in=STAGES,
        )
        .values_list("process__agency_id", "process__fiscal_year", "stage")
        .annotate(n=Count("process", distinct=True))
        .order_by()
    )
    for agency, year, _stage, n in documented:
        _add(table, (agency, year), "documents", n, 0)


def _flags(table: dict[Key, Counts]) -> None:
    rows = (
        FlagSubject.objects.filter(agency__isnull=False)
        .values_list("agency_id", "fiscal_year")
        .annotate(judged=Count("pk"), flagged=FLAGGED)
        .order_by()
    )
    for agency, year, judged, flagged in rows:
        _add(table, (agency, year), "flags", flagged, judged)


def _complaints(table: dict[Key, Counts]) -> None:
    """Count public reports (rahasia ones count nowhere) followed up, and on time, per year
    they were received."""
    rows = (
        Case.objects.filter(rahasia=False, agency__isnull=False, answered_on_time__isnull=False)
        .annotate(year=ExtractYear("received_at"))
        .values_list("agency_id", "year")
        .annotate(done=Count("pk"), on_time=Count("pk", filter=Q(answered_on_time=True)))
        .order_by()
    )
    for agency, year, done, on_time in rows:
        _add(table, (agency, year), "complaints", on_time, done)


def raw_counts(today: date | None = None) -> dict[Key, Counts]:
    """Return (agency id, fiscal year) → component → [numerator, denominator] (uncached)."""
    table: dict[Key, Counts] = defaultdict(dict)
    _scope(table, today or timezone.localdate())
    _stages(table)
    _flags(table)
    _complaints(table)
    for counts in table.values():
        for cell in counts.values():
            cell[0] = min(cell[0], cell[1])  # a stage with a document is a published stage
    return dict(table)


def _index_of(counts: Counts) -> Index:
    return index(Component(k, *counts[k]) for k in WEIGHTS if k in counts)


def _compute() -> dict[str, list[Scored]]:
    table = raw_counts()
    agencies = {
        a["id"]: a
        for a in Agency.objects.values("id", "code", "name", "government__code", "government__name")
    }
    by_region: dict[tuple[str, int], Counts] = defaultdict(dict)
    agency_rows = []
    for (agency_id, year), counts in table.items():
        a = agencies[agency_id]
        agency_rows.append(Scored(a["code"], a["name"], year, _index_of(counts)))
        if a["government__code"]:
            for k, (n, d) in counts.items():
                _add(by_region, (a["government__code"], year), k, n, d)
    names = {a["government__code"]: a["government__name"] for a in agencies.values()}
    region_rows = [
        Scored(code, names[code], year, _index_of(counts))
        for (code, year), counts in by_region.items()
    ]
    return {"agency": agency_rows, "region": region_rows}


def scored_all() -> dict[str, list[Scored]]:
    """Return every agency's and region's index per year, cached per publication stamp."""
    stamp = publication_stamp()
    seed = f"{timezone.localdate()}|{stamp}"
    key = "openness:" + hashlib.sha256(seed.encode()).hexdigest()
    found: dict[str, list[Scored]] = _cache_through(key, _compute)
    return found


def years() -> list[int]:
    """Return the fiscal years that have an index, newest first."""
    return sorted({s.year for s in scored_all()["agency"]}, reverse=True)


def ranking(*, year: int, by: str = "agency") -> list[Scored]:
    """Return the agencies (or regions, by="region") of year, best score first; those without
    a score last, by name."""
    rows = [s for s in scored_all()[by] if s.year == year]
    return sorted(rows, key=lambda s: (s.index.score is None, -(s.index.score or 0), s.name))


def agency_trend(code: str) -> list[Scored]:
    """Return one agency's index per year, oldest first."""
    return sorted((s for s in scored_all()["agency"] if s.key == code), key=lambda s: s.year)
