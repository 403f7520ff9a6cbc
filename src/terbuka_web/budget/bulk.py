"""Publish many budget batches at once (demo seeding, bulk loads) and rebuild region totals.

The same records as services.budget_rows_publish (batches, lines, one "budget.batch" log
entry per batch), written with bulk_create and entry_append_many in one transaction.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Sum

from terbuka.budget.publication import ENTRY_KIND, batch_entry, lines_sha256
from terbuka.budget.rollup import totals_roll
from terbuka.canonical import canonical_json
from terbuka_web.accounts.models import User
from terbuka_web.accounts.services import audit_record
from terbuka_web.budget.breakdowns import region_breakdowns_rebuild
from terbuka_web.budget.models import BudgetBatch, BudgetLine, RegionBudget
from terbuka_web.common.bulk import rows_insert
from terbuka_web.regions.models import Region
from terbuka_web.transparency.services import entry_append_many


@dataclass
class BatchSpec:
    """Describe one batch to publish: government, agency, year, phase, semester and lines.

    Each line: {"programme", "account", "fungsi", "name", "amount"} (codes already checked).
    """

    kind: str
    region: str
    agency_id: int | None
    agency_code: str | None
    year: int
    phase: str
    semester: int = 0
    lines: list[dict[str, Any]] = field(default_factory=list)


@transaction.atomic
def batches_bulk_publish(*, actor: User | None, specs: list[BatchSpec], source: str) -> int:
    """Publish specs as new current batches (no superseding: for empty years), logged.

    Returns the number of lines written. Region totals of the touched years are rebuilt.
    """
    batches = BudgetBatch.objects.bulk_create(
        [
            BudgetBatch(
                kind=spec.kind,
                region_id=spec.region,
                agency_id=spec.agency_id,
                year=spec.year,
                phase=spec.phase,
                semester=spec.semester,
                source=source,
                sha256=lines_sha256(spec.lines),
                rows=len(spec.lines),
            )
            for spec in specs
        ],
        batch_size=500,
    )
    if any(batch.pk is None for batch in batches):  # a backend without RETURNING ids
        raise RuntimeError("bulk_create gave no ids")
    lines = [
        (
            batch.pk,
            spec.region,
            spec.agency_id,
            spec.year,
            spec.phase,
            True,
            spec.kind == BudgetBatch.Kind.SUMMARY,
            line["programme"],
            line["account"],
            line["fungsi"],
            line["name"],
            int(line["amount"]),
        )
        for batch, spec in zip(batches, specs, strict=True)
        for line in spec.lines
    ]
    rows_insert(BudgetLine, list(LINE_COLUMNS), lines)
    entry_append_many(
        kind=ENTRY_KIND,
        entries=[_entry(batch, spec) for batch, spec in zip(batches, specs, strict=True)],
    )
    audit_record(
        actor=actor,
        action="budget:batch:bulk_publish",
        target=source,
        data={"batches": len(batches), "lines": len(lines)},
    )
    for year in {spec.year for spec in specs}:
        region_totals_rebuild(year=year)
    return len(lines)


LINE_COLUMNS = (
    "batch_id",
    "region_id",
    "agency_id",
    "year",
    "phase",
    "current",
    "summary",
    "programme",
    "account",
    "fungsi",
    "name",
    "amount",
)


def _entry(batch: BudgetBatch, spec: BatchSpec) -> tuple[str, bytes]:
    ref, payload = batch_entry(
        batch=batch.pk,
        kind=spec.kind,
        region=spec.region,
        agency=spec.agency_code,
        key=(spec.year, spec.phase, spec.semester),
        lines=spec.lines,
        sha256=batch.sha256,
        supersedes=[],
    )
    return ref, canonical_json({"kind": ENTRY_KIND, **payload})


@transaction.atomic
def region_totals_rebuild(*, year: int) -> int:
    """Recompute every region's totals of year from the current detailed lines.

    Own totals per government and subtree totals up the code prefixes, by
    terbuka.budget.rollup.totals_roll (the rule of terbuka.budget.publication.own_totals).
    Returns the number of RegionBudget rows written.
    """
    sums: dict[tuple[str, int | None, str], int] = defaultdict(int)
    rows = (
        BudgetLine.objects.filter(year=year, current=True, summary=False, account__startswith="5")
        .values_list("region_id", "agency_id", "phase")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for region, agency, phase, total in rows:
        sums[(region, agency, phase)] = int(total or 0)
    own, subtree = totals_roll(sums)
    present = set(Region.objects.filter(code__in=list(subtree)).values_list("code", flat=True))
    RegionBudget.objects.filter(year=year).delete()
    made = RegionBudget.objects.bulk_create(
        [
            RegionBudget(
                region_id=code,
                year=year,
                own_planned=own[code][0] if code in own else 0,
                own_adjusted=own[code][1] if code in own else 0,
                own_realised=own[code][2] if code in own else 0,
                planned=figures[0],
                adjusted=figures[1],
                realised=figures[2],
            )
            for code, figures in subtree.items()
            if code in present
        ],
        batch_size=2000,
    )
    region_breakdowns_rebuild(year=year)
    return len(made)
