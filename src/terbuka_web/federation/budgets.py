"""Store harvested budget batches and keep each remote's region totals (called by services).

Every batch is kept as the remote logged it (its entry and lines), with its remote; a later
batch of the same government, agency, year, phase and semester supersedes it, as on the
remote. The remote's region totals and breakdowns (by urusan, bidang and account group: the
charts) of the touched years are then recomputed from its current batches with the same rules
as this instance's own (terbuka.budget.rollup, terbuka_web.budget.breakdowns).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import models
from django.db.models import Sum

from terbuka.budget.rollup import code_chain, totals_roll
from terbuka_web.budget.breakdowns import breakdown_keys
from terbuka_web.federation.models import (
    HarvestedBudget,
    HarvestedRegionBreakdown,
    HarvestedRegionBudget,
    Remote,
)

SUMMARY = "summary"


def _row(remote: Remote, item: dict[str, Any], index: int) -> HarvestedBudget:
    """Return the row keeping one harvested batch (checked by terbuka.federation.feed)."""
    entry, lines = item["entry"], item["lines"]
    spending = sum(
        int(line["amount"])
        for line in lines
        if entry["type"] != SUMMARY and str(line.get("account", "")).startswith("5")
    )
    return HarvestedBudget(
        remote=remote,
        batch=entry["batch"],
        kind=str(entry["type"])[:8],
        region=str(entry["region"])[:40],
        agency=str(entry.get("agency") or "")[:40],
        year=entry["year"],
        phase=str(entry["phase"])[:10],
        semester=entry["semester"],
        spending=spending,
        entry=entry,
        lines=lines,
        log_index=index,
    )


def budgets_store(remote: Remote, items: list[tuple[dict[str, Any], int]]) -> int:
    """Store harvested batches (one seen before is skipped), supersede, refresh region totals.

    Returns how many batches are new. Runs inside the harvest's transaction.
    """
    if not items:
        return 0
    rows = [_row(remote, item, index) for item, index in items]
    before = HarvestedBudget.objects.filter(remote=remote).count()
    HarvestedBudget.objects.bulk_create(rows, ignore_conflicts=True, batch_size=200)
    years = {row.year for row in rows}
    _supersede(remote, years)
    for year in years:
        _totals_rebuild(remote, year)
        harvested_breakdowns_rebuild(remote_id=remote.pk, year=year)
    return HarvestedBudget.objects.filter(remote=remote).count() - before


def _supersede(remote: Remote, years: set[int]) -> None:
    """Keep current only the latest logged batch of each key of remote's years."""
    latest: dict[tuple[Any, ...], tuple[int, int]] = {}
    stale: list[int] = []
    fields = ("kind", "region", "agency", "year", "phase", "semester")
    rows = HarvestedBudget.objects.filter(remote=remote, year__in=years, current=True)
    for pk, index, *key in rows.values_list("pk", "log_index", *fields).order_by("log_index"):
        earlier = latest.get(tuple(key))
        if earlier is not None:
            stale.append(earlier[0])
        latest[tuple(key)] = (pk, index)
    HarvestedBudget.objects.filter(pk__in=stale).update(current=False)


def _totals_rebuild(remote: Remote, year: int) -> None:
    """Recompute remote's region totals of year from its current detailed batches."""
    sums: dict[tuple[str, str, str], int] = defaultdict(int)
    rows = (
        HarvestedBudget.objects.filter(remote=remote, year=year, current=True)
        .exclude(kind=SUMMARY)
        .values_list("region", "agency", "phase")
        .annotate(total=Sum("spending"))
        .order_by()
    )
    for region, agency, phase, total in rows:
        sums[(region, agency, phase)] += int(total or 0)
    _own, subtree = totals_roll(sums)
    HarvestedRegionBudget.objects.filter(remote=remote, year=year).delete()
    HarvestedRegionBudget.objects.bulk_create(
        [
            HarvestedRegionBudget(
                remote=remote,
                region=code,
                year=year,
                planned=figures[0],
                adjusted=figures[1],
                realised=figures[2],
            )
            for code, figures in subtree.items()
        ],
        batch_size=1000,
    )


def harvested_breakdowns_rebuild(
    *,
    remote_id: int,
    year: int,
    budget_model: type[models.Model] = HarvestedBudget,
    breakdown_model: type[models.Model] = HarvestedRegionBreakdown,
) -> int:
    """Recompute a remote's region breakdowns of year from its current detailed batches'
    belanja (akun 5) lines, each added to its region and every ancestor; the models are the
    migration's when it fills the table. Returns the rows written."""
    sums: dict[tuple[str, str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    batches = (
        budget_model.objects.filter(remote_id=remote_id, year=year, current=True)  # type: ignore[attr-defined]
        .exclude(kind=SUMMARY)
        .values_list("region", "phase", "lines")
    )
    for region, phase, lines in batches.iterator(chunk_size=200):
        for line in lines:
            account = str(line.get("account", ""))
            if not account.startswith("5"):
                continue
            keys = breakdown_keys(
                region=region, programme=str(line.get("programme", "")), account=account
            )
            for code in code_chain(region):
                for by, key in keys.items():
                    figures = sums[(code, by, key, phase)]
                    figures[0] += int(line["amount"])
                    figures[1] += 1
    breakdown_model.objects.filter(remote_id=remote_id, year=year).delete()  # type: ignore[attr-defined]
    made = breakdown_model.objects.bulk_create(  # type: ignore[attr-defined]
        [
            breakdown_model(
                remote_id=remote_id, region=code, year=year, by=by, key=key, phase=phase,
                amount=amount, lines=count,
            )
            for (code, by, key, phase), (amount, count) in sums.items()
        ],
        batch_size=1000,
    )  # fmt: skip
    return len(made)
