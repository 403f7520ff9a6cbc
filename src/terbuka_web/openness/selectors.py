"""Read the raw counts of the openness index (terbuka.openness) per agency and period — fiscal
year ("2026") or quarter ("2026-Q3") — and sum them per region (the agency's government): five
GROUP BY queries (one plain column read) per kind of period over the whole data, never one
query per process, cached per publication stamp and day. On the 1,200-process demo (SQLite,
2 shared cores under load) a page takes 60–105 ms when it must recompute and 12–25 ms from the
cache (docs/openness.md).

A year counts the processes of its fiscal year. A quarter places each counted thing by its own
day (Indonesia's fiscal year is the calendar year): an obligatory stage by its deadline, a
process (stages, documents, flags) by its first publication, a report by its receipt.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils import timezone

from terbuka.ocds.codes import STAGES
from terbuka.openness import WEIGHTS, Component, Index, index
from terbuka_web.accounts.models import Agency
from terbuka_web.common.cache import cache_through
from terbuka_web.contracting.models import Document, Process
from terbuka_web.flags.models import FlagSubject
from terbuka_web.flags.selectors import FLAGGED
from terbuka_web.participation.models import Case, Rating
from terbuka_web.participation.survey_selectors import answers_public
from terbuka_web.portal.selectors import publication_stamp
from terbuka_web.scope.models import StageDue
from terbuka_web.scope.selectors import _counts as stage_counts

Counts = dict[str, list[int]]  # component key → [numerator, denominator]
Key = tuple[int, str]  # (agency id, period)
YEAR, QUARTER = "year", "quarter"  # the kinds of period


def period_name(year: int, quarter: int | None = None) -> str:
    """Return the name of a fiscal year ("2026") or of one of its quarters ("2026-Q3")."""
    return f"{year}-Q{quarter}" if quarter else str(year)


@dataclass(frozen=True)
class Scored:
    """Name one agency or region of one period (period_name) with its index."""

    key: str
    name: str
    period: str
    index: Index

    @property
    def year(self) -> int:
        """Return the fiscal year of the period."""
        return int(self.period[:4])

    @property
    def quarter(self) -> int | None:
        """Return the quarter (1–4) of a quarterly period, None for a year."""
        return int(self.period[-1]) if "-Q" in self.period else None


def _add(table: dict[Any, Counts], key: Any, component: str, n: int, d: int) -> None:
    cell = table[key].setdefault(component, [0, 0])
    cell[0] += n
    cell[1] += d


def _grouped(
    rows: QuerySet[Any], owner: str, by: str, fiscal: Any, day: str, *fields: str
) -> QuerySet[Any]:
    """Return rows as values() of fields, the agency (owner) and the period: the fiscal year (a
    column name or expression), or the year and quarter of day (rows without that day left out)."""
    if by == YEAR:
        year = F(fiscal) if isinstance(fiscal, str) else fiscal
        return rows.values(*fields, owner=F(owner), y=year)
    dated = rows.filter(**{f"{day}__isnull": False})
    return dated.values(*fields, owner=F(owner), y=ExtractYear(day), q=ExtractQuarter(day))


def _key(row: dict[str, Any]) -> Key:
    return row["owner"], period_name(row["y"], row.get("q"))


def _scope(table: dict[Key, Counts], today: date, by: str) -> None:
    rows = StageDue.objects.filter(agency__isnull=False)
    grouped = _grouped(rows, "agency_id", by, "process__fiscal_year", "due_on")
    for r in grouped.annotate(**stage_counts(today)).order_by():
        published = r["on_time"] + r["late"]
        _add(table, _key(r), "coverage", published, published + r["missing"])
        _add(table, _key(r), "timeliness", r["on_time"], published)


def _stages(table: dict[Key, Counts], by: str) -> None:
    """Count stage slots published (Process.stages_published, kept with every publication) and
    those with a document of a published release: distinct (process, stage) per group."""
    public = Process.objects.filter(first_published_at__isnull=False, agency__isnull=False)
    rows = _grouped(
        public, "agency_id", by, "fiscal_year", "first_published_at", "stages_published"
    )
    for r in rows:
        n = len(set(r["stages_published"] or ()) & set(STAGES))
        _add(table, _key(r), "completeness", n, len(STAGES))
        _add(table, _key(r), "documents", 0, n)
    documents = Document.objects.filter(
        process__first_published_at__isnull=False,
        process__agency__isnull=False,
        release__isnull=False,
        stage__in=STAGES,
    )
    grouped = _grouped(
        documents,
        "process__agency_id",
        by,
        "process__fiscal_year",
        "process__first_published_at",
        "stage",
    )
    counted = grouped.annotate(n=Count("process", distinct=True))
    for r in counted.order_by():
        _add(table, _key(r), "documents", r["n"], 0)


def _flags(table: dict[Key, Counts], by: str) -> None:
    rows = FlagSubject.objects.filter(agency__isnull=False)
    grouped = _grouped(rows, "agency_id", by, "fiscal_year", "process__first_published_at")
    for r in grouped.annotate(judged=Count("pk"), flagged=FLAGGED).order_by():
        _add(table, _key(r), "flags", r["flagged"], r["judged"])


def _complaints(table: dict[Key, Counts], by: str) -> None:
    """Count public reports (rahasia ones count nowhere) followed up, and on time, per year
    (or quarter) they were received."""
    rows = Case.objects.filter(rahasia=False, agency__isnull=False, answered_on_time__isnull=False)
    grouped = _grouped(rows, "agency_id", by, ExtractYear("received_at"), "received_at")
    counted = grouped.annotate(
        done=Count("pk"), on_time=Count("pk", filter=Q(answered_on_time=True))
    )
    for r in counted.order_by():
        _add(table, _key(r), "complaints", r["on_time"], r["done"])


def _satisfaction(table: dict[Key, Counts], by: str) -> None:
    """Count satisfaction survey answers that count in public (not a rahasia case's) and those
    Sangat Puas or Puas, per calendar year (or quarter) they were given."""
    rows = answers_public()
    grouped = _grouped(rows, "agency_id", by, ExtractYear("answered_at"), "answered_at")
    counted = grouped.annotate(
        answers=Count("pk"), satisfied=Count("pk", filter=Q(rating__gte=Rating.PUAS))
    )
    for r in counted.order_by():
        _add(table, _key(r), "satisfaction", r["satisfied"], r["answers"])


def raw_counts(today: date | None = None, by: str = YEAR) -> dict[Key, Counts]:
    """Return (agency id, period) → component → [numerator, denominator] (uncached), per
    fiscal year (by=YEAR, periods "2026") or per quarter (by=QUARTER, periods "2026-Q3")."""
    table: dict[Key, Counts] = defaultdict(dict)
    _scope(table, today or timezone.localdate(), by)
    _stages(table, by)
    _flags(table, by)
    _complaints(table, by)
    _satisfaction(table, by)
    for counts in table.values():
        for cell in counts.values():
            cell[0] = min(cell[0], cell[1])  # a stage with a document is a published stage
    return dict(table)


def _index_of(counts: Counts) -> Index:
    return index(Component(k, *counts[k]) for k in WEIGHTS if k in counts)


def _compute() -> dict[str, list[Scored]]:
    table = {**raw_counts(by=YEAR), **raw_counts(by=QUARTER)}
    agencies = {
        a["id"]: a
        for a in Agency.objects.values("id", "code", "name", "government__code", "government__name")
    }
    by_region: dict[tuple[str, str], Counts] = defaultdict(dict)
    agency_rows = []
    for (agency_id, period), counts in table.items():
        a = agencies[agency_id]
        agency_rows.append(Scored(a["code"], a["name"], period, _index_of(counts)))
        if a["government__code"]:
            for k, (n, d) in counts.items():
                _add(by_region, (a["government__code"], period), k, n, d)
    names = {a["government__code"]: a["government__name"] for a in agencies.values()}
    region_rows = [
        Scored(code, names[code], period, _index_of(counts))
        for (code, period), counts in by_region.items()
    ]
    return {"agency": agency_rows, "region": region_rows}


def scored_all() -> dict[str, list[Scored]]:
    """Return every agency's and region's index per year and quarter, cached per publication
    stamp and day."""
    stamp = publication_stamp()
    seed = f"{timezone.localdate()}|{stamp}"
    key = "openness-periods:" + hashlib.sha256(seed.encode()).hexdigest()
    found: dict[str, list[Scored]] = cache_through(key, _compute)
    return found


def periods() -> list[str]:
    """Return the periods that have an index: the fiscal years newest first, then the quarters
    newest first ("2026", "2025", "2026-Q3", "2026-Q2", …)."""
    found = {s.period for s in scored_all()["agency"]}
    return sorted(found - {p for p in found if "-Q" in p}, reverse=True) + sorted(
        (p for p in found if "-Q" in p), reverse=True
    )


def years() -> list[int]:
    """Return the fiscal years that have an index, newest first."""
    return sorted({s.year for s in scored_all()["agency"] if s.quarter is None}, reverse=True)


def ranking(*, year: int, quarter: int | None = None, by: str = "agency") -> list[Scored]:
    """Return the agencies (or regions, by="region") of year (or of its quarter), best score
    first; those without a score last, by name."""
    period = period_name(year, quarter)
    rows = [s for s in scored_all()[by] if s.period == period]
    return sorted(rows, key=lambda s: (s.index.score is None, -(s.index.score or 0), s.name))


def agency_trend(code: str, *, by: str = YEAR) -> list[Scored]:
    """Return one agency's index per year (or per quarter, by=QUARTER), oldest first."""
    rows = (s for s in scored_all()["agency"] if s.key == code)
    return sorted((s for s in rows if (s.quarter is None) == (by == YEAR)), key=lambda s: s.period)
