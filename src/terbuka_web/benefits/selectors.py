"""Read the benefits app: public programme aggregates (small counts suppressed), officers'
dry runs, and a registrant's identity for officers of its region only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from terbuka.registry.identity import nik_hash, unseal
from terbuka.rules import dryrun
from terbuka.rules.ruleset import RuleSet, ruleset_parse
from terbuka_web.accounts.models import Role, User
from terbuka_web.accounts.selectors import Action, user_can
from terbuka_web.benefits.keys import hmac_key, seal_key
from terbuka_web.benefits.models import (
    CycleItem,
    CycleVillage,
    Programme,
    Registrant,
    RuleVersion,
)
from terbuka_web.benefits.totals import programme_dry_run, version_totals
from terbuka_web.governance.models import Proposal
from terbuka_web.regions.models import Region

SMALL_COUNT = 5  # fewer eligible registrants than this in a village are not shown


def programmes_list() -> QuerySet[Programme]:
    """Return every programme with its rule version in force, by name."""
    return Programme.objects.select_related("current", "agency").order_by("name")


def programme_get(slug: str) -> Programme | None:
    """Return the programme with slug, or None."""
    return Programme.objects.select_related("current", "agency").filter(slug=slug).first()


@dataclass
class VillageRow:
    """Hold one public row: a village (or the suppressed remainder) and its shown figures."""

    code: str
    name: str
    district: str
    eligible: int | None
    amount: int | None


@dataclass
class PublicTotals:
    """Hold a programme's public per-village figures: small counts folded or suppressed."""

    rows: list[VillageRow] = field(default_factory=list)
    suppressed_villages: int = 0
    eligible: int | None = 0
    amount: int | None = 0


def region_names(codes: list[str]) -> dict[str, tuple[str, str]]:
    """Return {code: (name, parent's name)} of the regions among codes."""
    regions = Region.objects.filter(code__in=codes).select_related("parent")
    return {r.code: (r.name, r.parent.name if r.parent else "") for r in regions}


def public_totals(version: RuleVersion | None) -> PublicTotals:
    """Return version's per-village eligible counts and Rupiah for public pages.

    A village with 1–4 eligible registrants is not shown alone: such villages are summed into
    one remainder row, itself suppressed (None) when it also holds fewer than 5, and then
    the grand total is suppressed too (it would give the remainder away). Villages with no
    eligible registrant are left out.
    """
    result = PublicTotals()
    if version is None:
        return result
    totals = [t for t in version_totals(version).values() if t.eligible > 0]
    names = region_names([t.village_code for t in totals])
    small = [t for t in totals if t.eligible < SMALL_COUNT]
    for t in totals:
        if t.eligible >= SMALL_COUNT:
            name, district = names.get(t.village_code, (t.village_code, ""))
            result.rows.append(VillageRow(t.village_code, name, district, t.eligible, t.amount))
    result.suppressed_villages = len(small)
    rest = sum(t.eligible for t in small)
    result.eligible = sum(t.eligible for t in totals)
    result.amount = sum(t.amount for t in totals)
    if small and rest >= SMALL_COUNT:
        result.rows.append(VillageRow("", "", "", rest, sum(t.amount for t in small)))
    elif small:
        result.rows.append(VillageRow("", "", "", None, None))
        result.eligible = result.amount = None
    return result


@dataclass
class RegionProgramme:
    """Hold a programme active in a region and what its latest cycle reaching it credited
    there."""

    programme: Programme
    cycle: int | None
    credited: int
    villages: int


def _covers(prefixes: list[str], code: str) -> bool:
    """Report whether code lies within a prefix, or a prefix within code."""
    return any(code == p or code.startswith(p + ".") or p.startswith(code + ".") for p in prefixes)


def _latest_reaching(programme: Programme, code: str) -> int | None:
    """Return the number of programme's latest cycle that allocated money to a village within
    code, else of its latest cycle (None: no cycle yet). A disaster's cycle pays its own
    zones only, so the latest cycle of a programme may not have reached code at all."""
    within = Q(village_code=code) | Q(village_code__startswith=code + ".")
    reached = CycleVillage.objects.filter(within, cycle__programme=programme, allocated__gt=0)
    found = reached.order_by("-cycle__number").values_list("cycle__number", flat=True).first()
    if found is None:
        found = programme.cycles.order_by("-number").values_list("number", flat=True).first()
    return found


def region_programmes(code: str) -> list[RegionProgramme]:
    """Return the programmes whose regions overlap region code, each with the Rupiah credited
    to the villages within code by its latest cycle that reached them, and how many villages
    (aggregates only)."""
    found = []
    for programme in programmes_list():
        if not _covers(programme.regions, code):
            continue
        number = _latest_reaching(programme, code)
        credited, villages = 0, 0
        if number is not None:
            items = (
                CycleItem.objects.filter(cycle__programme=programme, cycle__number=number)
                .credited()
                .filter(Q(village_code=code) | Q(village_code__startswith=code + "."))
            )
            figures = items.aggregate(
                total=Sum("amount"), villages=Count("village_code", distinct=True)
            )
            credited, villages = figures["total"] or 0, figures["villages"]
        found.append(RegionProgramme(programme, number, credited, villages))
    return found


def dry_run_viewer(user: Any, programme: Programme) -> bool:
    """Report whether user may see programme's dry runs: its agency's managers, auditors."""
    if getattr(user, "role", None) == Role.AUDITOR and user.is_active:
        return True
    return user_can(user, Action.PROGRAMME_MANAGE, programme.agency)


def proposals_pending(programme: Programme) -> list[Proposal]:
    """Return the undecided programme_rules proposals of programme, newest first."""
    found = Proposal.objects.filter(type="programme_rules", decision__isnull=True)
    return [p for p in found if p.canonical["payload"].get("programme") == programme.slug]


@dataclass
class DryRun:
    """Hold a dry run: candidate rules, their totals, the current version's and the changes."""

    rules: RuleSet
    totals: dict[str, dryrun.VillageTotal]
    current: dict[str, dryrun.VillageTotal]
    changes: list[dryrun.VillageChange]

    def sums(self) -> dict[str, int]:
        """Return eligible and amount summed, before (current) and after (candidate)."""
        return {
            "eligible": sum(t.eligible for t in self.totals.values()),
            "amount": sum(t.amount for t in self.totals.values()),
            "eligible_current": sum(t.eligible for t in self.current.values()),
            "amount_current": sum(t.amount for t in self.current.values()),
            "deceased": sum(t.deceased for t in self.totals.values()),
            "duplicate": sum(t.duplicate for t in self.totals.values()),
        }


def dry_run_candidate(
    programme: Programme, pending: list[Proposal] | None = None
) -> RuleSet | None:
    """Return the rules to try: the newest pending proposal's, else the version in force.

    pending: programme's proposals_pending when the caller has them already.
    """
    pending = proposals_pending(programme) if pending is None else pending
    if pending:
        return ruleset_parse(pending[0].canonical["payload"]["rules"])
    if programme.current is not None:
        return ruleset_parse(programme.current.rules)
    return None


def programme_dry_run_compare(
    programme: Programme, rules: RuleSet, today: dt.date | None = None
) -> DryRun:
    """Return the dry run of rules against the current version; moves no money, names no one.

    Raises RuleEvaluationError naming the registrant row whose evaluation failed.
    """
    totals = programme_dry_run(programme, rules, today)
    current = (
        programme_dry_run(programme, ruleset_parse(programme.current.rules), today)
        if programme.current is not None
        else {}
    )
    return DryRun(rules, totals, current, dryrun.dry_run_diff(current, totals))


def identity_visible(user: User | None, registrant: Registrant) -> bool:
    """Report whether user may see registrant's name and address: an official holding
    REGISTRY_IDENTITY_VIEW whose agency governs the registrant's village."""
    if user is None or getattr(user, "agency", None) is None:
        return False
    assert user.agency is not None
    if not user_can(user, Action.REGISTRY_IDENTITY_VIEW, user.agency):
        return False
    return registrant.village_code.startswith(user.agency.government.code + ".")


def registrant_identity(user: User | None, registrant: Registrant) -> dict[str, str] | None:
    """Return {"nama", "alamat"} of registrant unsealed for user, or None when not allowed."""
    if not identity_visible(user, registrant):
        return None
    key = seal_key()
    return {
        "nama": unseal(key, bytes(registrant.name_sealed), field="nama"),
        "alamat": unseal(key, bytes(registrant.address_sealed), field="alamat"),
    }


def registrant_by_nik(nik: str) -> Registrant | None:
    """Return the registrant whose NIK (read off the identity card) is nik, not a duplicate;
    None when the registry holds none. Looked up by keyed hash: the NIK itself is not stored."""
    rows = Registrant.objects.filter(nik_hash=nik_hash(hmac_key(), nik.strip()), duplicate=False)
    return rows.order_by("id").first()


def registry_counts() -> dict[str, int]:
    """Return the registry's size and its refusals: deceased and duplicate registrants."""
    rows = Registrant.objects
    return {
        "registrants": rows.count(),
        "deceased": rows.filter(meninggal=True).count(),
        "duplicate": rows.filter(duplicate=True).count(),
    }


def village_identities(user: User, village_code: str) -> list[dict[str, Any]] | None:
    """Return the registrants of a village with name and address unsealed, for an officer of
    its region holding REGISTRY_IDENTITY_VIEW; None when user may not see them."""
    probe = Registrant(village_code=village_code)
    if not identity_visible(user, probe):
        return None
    key = seal_key()
    return [
        {
            "nama": unseal(key, bytes(r.name_sealed), field="nama"),
            "alamat": unseal(key, bytes(r.address_sealed), field="alamat"),
            "registrant": r,
        }
        for r in Registrant.objects.filter(village_code=village_code).order_by("id")
    ]
