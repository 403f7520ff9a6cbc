"""Evaluate a programme's rules over the registry: per-village totals, stored or compared.

Only aggregates leave here (terbuka.rules.dryrun): counts and Rupiah per village code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Sequence

from django.db.models import Q
from django.utils import timezone

from terbuka.rules import dryrun
from terbuka.rules.environment import Registrant as RuleRegistrant
from terbuka.rules.evaluate import CompiledRules, context_for
from terbuka.rules.ruleset import RuleSet, ruleset_parse
from terbuka_web.benefits.disasters import declared_zones
from terbuka_web.benefits.models import Programme, Registrant, RuleVersion, VillageTotal

FIELDS = (
    "source_id", "row", "village_code", "desil", "household",
    "disabilitas", "lansia", "meninggal", "duplicate",
)  # fmt: skip


def within(programme: Programme) -> Q:
    """Return the filter of registrants living in programme's regions (code prefixes)."""
    found = Q()
    for prefix in programme.regions:
        found |= Q(village_code__startswith=f"{prefix}.") | Q(village_code=prefix)
    return found


def registrants_of(programme: Programme) -> Generator[RuleRegistrant, None, None]:
    """Yield the rule attributes of every registrant in programme's regions (no identity)."""
    rows = Registrant.objects.filter(within(programme)).order_by("id").values_list(*FIELDS)
    for source, row, village, desil, household, disab, lansia, dead, dup in rows.iterator(2000):
        yield RuleRegistrant(
            f"impor {source} baris {row}", village, desil, household, disab, lansia, dead, dup
        )


def programme_dry_run(
    programme: Programme, rules: RuleSet, today: dt.date | None = None,
    zones: Sequence[str] = (),
) -> dict[str, dryrun.VillageTotal]:  # fmt: skip
    """Return rules' totals per village over programme's registrants; moves no money.

    zones: region codes taken as declared besides those in force (a declaration's preview).
    Raises RuleEvaluationError naming the registrant row whose evaluation failed.
    """
    day = today or timezone.localdate()
    compiled = CompiledRules(rules, context_for(rules, day, [*declared_zones(day), *zones]))
    rows = registrants_of(programme)
    try:
        return dryrun.dry_run(compiled, rows)
    finally:  # a failed evaluation leaves PostgreSQL's server-side cursor open: close it now
        rows.close()


def version_totals(version: RuleVersion) -> dict[str, dryrun.VillageTotal]:
    """Return the stored totals of version as dry-run totals, by village code."""
    return {
        t.village_code: dryrun.VillageTotal(
            t.village_code, t.eligible, t.amount, t.ineligible, t.deceased, t.duplicate
        )
        for t in version.totals.all()
    }


def totals_store(version: RuleVersion) -> int:
    """Recompute and replace version's per-village totals; return the number of villages."""
    totals = programme_dry_run(version.programme, ruleset_parse(version.rules))
    VillageTotal.objects.filter(version=version).delete()
    VillageTotal.objects.bulk_create(
        VillageTotal(version=version, **{k: v for k, v in t.as_data().items()})
        for t in totals.values()
    )
    return len(totals)


def totals_refresh_all() -> None:
    """Recompute the totals of every programme's rule version in force (after an import)."""
    for programme in Programme.objects.filter(current__isnull=False).select_related("current"):
        assert programme.current is not None
        totals_store(programme.current)
