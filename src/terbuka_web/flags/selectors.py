"""Read the stored red flags: the flagged published processes of an indicator, and the
aggregates of the flag dashboards (counts, rates and trends per agency, region, supplier).

Every dashboard figure is one GROUP BY over FlagSubject (one row per process the indicators
can judge: it has a tender), FlagSupplier or ProcessFlag, never a loop over processes: about
12–60 ms per page on the 1,200-process demo (SQLite, busy), a few table scans at 100k.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Avg, Count, F, Q

from terbuka_web.flags.models import FlagSubject, FlagSupplier, ProcessFlag

FLAG_FIELDS = (
    "process__ocid",
    "process__title",
    "process__agency__code",
    "process__agency__name",
    "process__fiscal_year",
    "process__method",
    "process__last_published_at",
    "code",
    "value",
)
TOP_SUPPLIERS = 30


def flagged_processes(*, code: str, agency: str = "", limit: int = 1000) -> list[dict[str, Any]]:
    """Return the published processes flagged by code (of agency, when given), newest first.

    Each row holds FLAG_FIELDS. Example: flagged_processes(code="R018", agency="dinas-pu").
    """
    rows = ProcessFlag.objects.filter(code=code, process__first_published_at__isnull=False)
    if agency:
        rows = rows.filter(process__agency__code=agency)
    ordered = rows.order_by("-process__last_published_at", "-process_id")
    return list(ordered.values(*FLAG_FIELDS)[:limit])


def process_flag_values(process_id: int) -> dict[str, float | None]:
    """Return the stored flags of one process: code → value, in code order."""
    rows = ProcessFlag.objects.filter(process_id=process_id).order_by("code")
    return dict(rows.values_list("code", "value"))


@dataclass(frozen=True)
class Rate:
    """Count a group's judged processes (eligible) and those with at least one flag."""

    key: str
    name: str
    eligible: int
    flagged: int

    @property
    def rate(self) -> float:
        """Return flagged / eligible (0.0 for an empty group)."""
        return self.flagged / self.eligible if self.eligible else 0.0


FLAGGED = Count("pk", filter=Q(flag_count__gt=0))


def totals(*, agency_id: int | None = None) -> Rate:
    """Return the judged and flagged processes of everything (or of one agency)."""
    rows = FlagSubject.objects.all()
    if agency_id is not None:
        rows = rows.filter(agency_id=agency_id)
    found = rows.aggregate(eligible=Count("pk"), flagged=FLAGGED)
    return Rate("", "", found["eligible"], found["flagged"])


def code_counts(*, agency_id: int | None = None) -> dict[str, int]:
    """Return code → number of flagged processes (of one agency), largest first."""
    rows = ProcessFlag.objects.all()
    if agency_id is not None:
        rows = rows.filter(process__agency_id=agency_id)
    counted = rows.values("code").annotate(n=Count("pk")).order_by("-n", "code")
    return {row["code"]: row["n"] for row in counted}


# The grouping of a dashboard dimension: the path from FlagSubject to its code and name. A
# process's region is where it is delivered when an item says so, else its agency's government.
GROUPINGS = {"agency": "agency", "region": "region"}


def rates_by(group: str) -> list[Rate]:
    """Return each agency's (group="agency") or region's (group="region": the delivery region,
    else the agency's government) judged and flagged processes, highest rate first."""
    prefix = GROUPINGS[group]
    rows = (
        FlagSubject.objects.filter(**{f"{prefix}__isnull": False})
        .values(f"{prefix}__code", f"{prefix}__name")
        .annotate(eligible=Count("pk"), flagged=FLAGGED)
    )
    found = [
        Rate(r[f"{prefix}__code"], r[f"{prefix}__name"], r["eligible"], r["flagged"]) for r in rows
    ]
    return sorted(found, key=lambda r: (-r.rate, -r.eligible, r.name))


def rates_by_supplier(limit: int = TOP_SUPPLIERS) -> list[Rate]:
    """Return the limit suppliers with the most flagged processes (then most won)."""
    rows = (
        FlagSupplier.objects.values("key")
        .annotate(
            eligible=Count("subject_id"),
            flagged=Count("subject_id", filter=Q(subject__flag_count__gt=0)),
        )
        .order_by("-flagged", "-eligible", "key")[:limit]
    )
    keys = [r["key"] for r in rows]
    names = dict(
        FlagSupplier.objects.filter(key__in=keys).values_list("key", "name").order_by("key")
    )
    return [
        Rate(r["key"], names.get(r["key"], r["key"]), r["eligible"], r["flagged"]) for r in rows
    ]


def trend_by_year(*, agency_id: int | None = None, code: str = "") -> list[Rate]:
    """Return per fiscal year the judged processes and those flagged (by code, if given)."""
    rows = FlagSubject.objects.all()
    if agency_id is not None:
        rows = rows.filter(agency_id=agency_id)
    counted = rows.values("fiscal_year").annotate(eligible=Count("pk"), flagged=FLAGGED)
    by_code: dict[int, int] = {}
    if code:
        flags = ProcessFlag.objects.filter(code=code)
        if agency_id is not None:
            flags = flags.filter(process__agency_id=agency_id)
        years = flags.values("process__fiscal_year").annotate(n=Count("pk")).order_by()
        by_code = {r["process__fiscal_year"]: r["n"] for r in years}
    return [
        Rate(
            str(r["fiscal_year"]),
            str(r["fiscal_year"]),
            r["eligible"],
            by_code.get(r["fiscal_year"], 0) if code else r["flagged"],
        )
        for r in counted.order_by("fiscal_year")
    ]


def trend_by_quarter(*, agency_id: int | None = None) -> list[Rate]:
    """Return per quarter of the tender's start the judged and flagged processes ("2024-3")."""
    rows = FlagSubject.objects.filter(tender_year__isnull=False)
    if agency_id is not None:
        rows = rows.filter(agency_id=agency_id)
    counted = rows.values("tender_year", "tender_quarter").annotate(
        eligible=Count("pk"), flagged=FLAGGED
    )
    return [
        Rate(f"{r['tender_year']}-{r['tender_quarter']}", "", r["eligible"], r["flagged"])
        for r in counted.order_by("tender_year", "tender_quarter")
    ]


@dataclass(frozen=True)
class Monitoring:
    """Count a group's contracts, those past their end date not completed, those with a
    milestone past its due date not met, and those paid ahead of the work (financial above
    physical progress), with the mean physical and financial progress (%) of the contracts that
    publish both (None without) — issue 15 part 3, as of a day."""

    key: str
    name: str
    contracts: int
    overdue: int
    late_milestones: int
    paid_ahead: int = 0
    measured: int = 0
    physical: float | None = None
    financial: float | None = None


def _monitoring_counts(today: date) -> dict[str, Any]:
    both = Q(physical__isnull=False, financial__isnull=False)
    return {
        "contracts": Count("pk", filter=Q(contract_end__isnull=False)),
        "overdue": Count("pk", filter=Q(contract_end__lt=today, completed=False)),
        "late_milestones": Count("pk", filter=Q(open_due__lt=today)),
        "paid_ahead": Count("pk", filter=both & Q(financial__gt=F("physical"))),
        "measured": Count("pk", filter=both),
        "mean_physical": Avg("physical", filter=both),
        "mean_financial": Avg("financial", filter=both),
    }


def _monitoring(key: str, name: str, found: dict[str, Any]) -> Monitoring:
    fields = ("contracts", "overdue", "late_milestones", "paid_ahead", "measured")
    return Monitoring(
        key,
        name,
        *(found[f] for f in fields),
        physical=found["mean_physical"],
        financial=found["mean_financial"],
    )


def monitoring_of(agency_id: int, today: date) -> Monitoring:
    """Return one agency's contracts and late items as of today."""
    found = FlagSubject.objects.filter(agency_id=agency_id).aggregate(**_monitoring_counts(today))
    return _monitoring("", "", found)


def monitoring_by(group: str, today: date) -> list[Monitoring]:
    """Return each agency's (group="agency") or region's (group="region") contracts and late
    items as of today, most overdue first."""
    prefix = GROUPINGS[group]
    rows = (
        FlagSubject.objects.filter(**{f"{prefix}__isnull": False, "contract_end__isnull": False})
        .values(f"{prefix}__code", f"{prefix}__name")
        .annotate(**_monitoring_counts(today))
    )
    found = [_monitoring(r[f"{prefix}__code"], r[f"{prefix}__name"], r) for r in rows]
    return sorted(found, key=lambda m: (-m.overdue, -m.late_milestones, -m.paid_ahead, m.name))


def late_processes(agency_id: int, today: date, limit: int = 20) -> dict[str, list[dict[str, Any]]]:
    """Return one agency's processes past the contract end not completed ("overdue") and with
    a milestone past due ("late"), oldest first: ocid, title, the date and days late."""
    mine = FlagSubject.objects.filter(agency_id=agency_id)
    lists = {
        "overdue": mine.filter(contract_end__lt=today, completed=False).order_by("contract_end"),
        "late": mine.filter(open_due__lt=today).order_by("open_due"),
    }
    found: dict[str, list[dict[str, Any]]] = {}
    for name, rows in lists.items():
        day = "contract_end" if name == "overdue" else "open_due"
        found[name] = [
            {
                "ocid": r["process__ocid"],
                "title": r["process__title"],
                "date": r[day],
                "days": (today - r[day]).days,
            }
            for r in rows.values("process__ocid", "process__title", day)[:limit]
        ]
    return found


@dataclass(frozen=True)
class Progress:
    """Name one contract with its physical progress (%) and financial progress (paid / value, %),
    None when the data does not say (issue 15 part 3)."""

    ocid: str
    title: str
    physical: int | None
    financial: float | None

    @property
    def paid_ahead(self) -> bool:
        """Report whether more is paid than built (financial above physical progress)."""
        return (
            self.physical is not None
            and self.financial is not None
            and self.financial > self.physical
        )


def contract_progress(agency_id: int, limit: int = 200) -> list[Progress]:
    """Return the agency's published contracts with physical against financial progress, those
    paid ahead of the work first (largest gap), then by title, the first limit of them; one
    query over their stored subjects (an agency has tens to a few hundred contracts)."""
    rows = FlagSubject.objects.filter(agency_id=agency_id, contract_end__isnull=False)
    fields = ("process__ocid", "process__title", "physical", "financial")
    found = [Progress(*row) for row in rows.values_list(*fields)]
    ordered = sorted(
        found,
        key=lambda p: (
            not p.paid_ahead,
            -((p.financial or 0) - (p.physical or 0)) if p.paid_ahead else 0,
            p.title,
        ),
    )
    return ordered[:limit]  # sorted first: a paid-ahead contract is never cut off
