"""Evaluate a programme's rules over the registry: per-village totals, stored or compared.

Only aggregates leave here (terbuka.rules.dryrun): counts and Rupiah per village code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Generator, Sequence

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from terbuka.canonical import canonical_json
from terbuka.errors import TerbukaError
from terbuka.rules import dryrun
from terbuka.rules.compile import rule_compile
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
    zones: Sequence[str] | None = None,
) -> dict[str, dryrun.VillageTotal]:  # fmt: skip
    """Return rules' totals per village over programme's registrants; moves no money.

    zones: the region codes declared (a declaration's preview: its own, as its cycle reads
    them); None: the zones in force on today.
    Raises RuleEvaluationError naming the registrant row whose evaluation failed.
    """
    day = today or timezone.localdate()
    declared = declared_zones(day) if zones is None else zones
    compiled = CompiledRules(rules, context_for(rules, day, declared))
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


def totals_basis(rules: RuleSet, day: dt.date, declared: Sequence[str]) -> str:
    """Return the SHA-256 of what rules' totals on day depend on besides the registry: the
    zones declared (those in force on day) if the rules read disaster_zones, day if they
    read today."""
    names = (
        rule_compile(rules.eligibility, name="eligibility").names
        | rule_compile(rules.entitlement, name="entitlement").names
    )
    zones = context_for(rules, day, declared).disaster_zones
    basis = {
        "disaster_zones": list(zones) if "disaster_zones" in names else None,
        "today": day.isoformat() if "today" in names else None,
    }
    return hashlib.sha256(canonical_json(basis)).hexdigest()


@transaction.atomic
def totals_store(version: RuleVersion, today: dt.date | None = None) -> int:
    """Recompute and replace version's per-village totals on today (default: the local date)
    and note their basis; return the number of villages. The version's row lock serialises
    two ticks recomputing it at once (PostgreSQL), so readers see whole totals only."""
    list(RuleVersion.objects.select_for_update().filter(pk=version.pk).values_list("pk"))
    day = today or timezone.localdate()
    rules, zones = ruleset_parse(version.rules), declared_zones(day)
    totals = programme_dry_run(version.programme, rules, day, zones)
    version.totals_basis = totals_basis(rules, day, zones)
    version.save(update_fields=["totals_basis"])
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


def totals_refresh_stale(day: dt.date, report: Callable[[str], None] | None = None) -> int:
    """Recompute the totals of every rule version in force whose basis changed by day (a
    disaster declared, in force or ended; a new day for rules reading today); return how
    many. Public pages then show what the rules in force give on day.

    A version whose rules fail on day for one registrant keeps its totals, is reported
    through report and is not tried again until its basis changes once more.
    """
    stale, zones = 0, declared_zones(day)
    for programme in Programme.objects.filter(current__isnull=False).select_related("current"):
        version = programme.current
        assert version is not None
        basis = totals_basis(ruleset_parse(version.rules), day, zones)
        if version.totals_basis == basis:
            continue
        version.programme = programme
        try:
            totals_store(version, day)
        except TerbukaError as error:
            version.totals_basis = basis
            version.save(update_fields=["totals_basis"])
            if report is not None:
                report(f"{programme.slug}: {error.message_id} / {error.message_en}")
            continue
        stale += 1
    return stale
