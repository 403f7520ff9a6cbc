"""Selectors of the participation app: who sees which case, public pages, statistics.

Need to know: a verifier (REPORT_VERIFY) sees every case; an agency's officials see the
cases forwarded to it, a *rahasia* one only its PA and PPK (field staff leaked before); a
coordinator sees the cases in its region, a *rahasia* one only once escalated to its
level; an auditor sees the cases that are not *rahasia*. An *anonim* reporter's name and
contact are shown to no officer. The public sees verified cases (not rejected) that are not
*rahasia*, without any reporter's identity.
"""

from __future__ import annotations

import hashlib
import hmac
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from terbuka_web.accounts.models import Role, User
from terbuka_web.accounts.selectors import Action, user_can
from terbuka_web.participation.models import LEVELS, Case, CaseEvent, Coordinator
from terbuka_web.participation.survey_selectors import (
    Satisfaction,
    satisfaction_by,
    satisfaction_results,
)

PUBLIC_HIDDEN_STATES = (Case.State.RECEIVED, Case.State.REJECTED)  # unverified, or abuse
RAHASIA_AGENCY_ROLES = (Role.PA, Role.PPK)


def area(region_code: str | None) -> Q:
    """Return the filter of cases in region_code or below it (None: everywhere)."""
    if region_code is None:
        return Q()
    return Q(region_id=region_code) | Q(region__code__startswith=f"{region_code}.")


def _coordinator_filter(coordination: Coordinator) -> Q:
    higher = LEVELS[LEVELS.index(coordination.level) :]
    return area(coordination.region_id) & (Q(rahasia=False) | Q(level__in=higher))


def cases_visible(*, user: User | None) -> QuerySet[Case]:
    """Return the cases user has a need to know (module docstring), newest first."""
    cases = Case.objects.select_related("agency", "category", "region")
    if user is None or not user.is_authenticated or not user.is_active:
        return cases.none()
    if user_can(user, Action.REPORT_VERIFY):
        return cases
    seen = Q(pk__in=[])
    if user.agency_id is not None and user_can(user, Action.REPORT_ANSWER, user.agency):
        own = Q(agency_id=user.agency_id)
        seen |= own if user.role in RAHASIA_AGENCY_ROLES else own & Q(rahasia=False)
    for coordination in user.coordinations.all():  # type: ignore[attr-defined]
        seen |= _coordinator_filter(coordination)
    if user.role == Role.AUDITOR:
        seen |= Q(rahasia=False)
    return cases.filter(seen)


def case_visible_get(*, user: User | None, tracking_id: str) -> Case | None:
    """Return the case with tracking_id when user may see it, else None."""
    return cases_visible(user=user).filter(tracking_id=tracking_id[:16]).first()


def case_coordinated_by(*, user: User, case: Case) -> bool:
    """Report whether user coordinates complaints over case (region and level)."""
    return any(
        Case.objects.filter(pk=case.pk).filter(_coordinator_filter(c)).exists()
        for c in Coordinator.objects.filter(user=user)
    )


def identity_visible(*, case: Case) -> bool:
    """Report whether officers who see case may see its reporter's name and contact."""
    return not case.anonim


def cases_public() -> QuerySet[Case]:
    """Return the cases the public may see: past verification and not rahasia."""
    return (
        Case.objects.filter(rahasia=False)
        .exclude(state__in=PUBLIC_HIDDEN_STATES)
        .select_related("agency", "category", "region")
    )


def case_public_get(tracking_id: str) -> Case | None:
    """Return the public case with tracking_id, or None."""
    return cases_public().filter(tracking_id=tracking_id[:16]).first()


def case_by_secret(tracking_id: str, secret: str) -> Case | None:
    """Return the case with tracking_id when secret is its follow secret (any state)."""
    case = Case.objects.filter(tracking_id=tracking_id.strip().upper()[:16]).first()
    return case if case is not None and secret_matches(case, secret) else None


def secret_hash(secret: str) -> str:
    """Return the SHA-256 hex of a follow secret (high-entropy: no slow hash needed)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(case: Case, secret: str) -> bool:
    """Report, in constant time, whether secret is case's follow secret."""
    return hmac.compare_digest(case.secret_hash, secret_hash(secret.strip()))


def case_timeline(*, case: Case, public: bool) -> list[CaseEvent]:
    """Return case's steps; public leaves out reminders (internal)."""
    events = case.events.select_related("agency")
    if public:
        events = events.exclude(kind=CaseEvent.Kind.REMINDER)
    return list(events)


@dataclass
class CaseStats:
    """Hold the public figures of a group of cases (an agency, a region, everything)."""

    key: str
    label: str
    received: int = 0
    forwarded: int = 0
    forwarded_on_time: int = 0
    answered: int = 0
    answered_on_time: int = 0
    escalated: int = 0
    median_days: float | None = None
    rated: int = 0  # satisfaction survey answers (cases and visits)
    satisfied: Decimal | None = None  # percent Sangat Puas + Puas


STAT_FIELDS = (
    "agency__code", "agency__name", "region_id", "forwarded_on_time", "answered_on_time",
    "followup_days", "escalations",
)  # fmt: skip


def _stats(key: str, label: str, rows: Iterable[dict[str, object]]) -> CaseStats:
    stats = CaseStats(key, label)
    days = []
    for row in rows:
        stats.received += 1
        stats.forwarded += row["forwarded_on_time"] is not None
        stats.forwarded_on_time += row["forwarded_on_time"] is True
        stats.answered += row["answered_on_time"] is not None
        stats.answered_on_time += row["answered_on_time"] is True
        stats.escalated += bool(row["escalations"])
        if row["followup_days"] is not None:
            days.append(int(row["followup_days"]))  # type: ignore[call-overload]
    stats.median_days = statistics.median(days) if days else None
    return stats


def stats_public() -> tuple[CaseStats, list[CaseStats], list[CaseStats]]:
    """Return the figures of every public case, per agency and per kecamatan (by code).

    Rahasia cases count nowhere: a count per agency could reveal that one exists.
    """
    rows = list(Case.objects.filter(rahasia=False).values(*STAT_FIELDS))
    by_agency: dict[tuple[str, str], list[dict[str, object]]] = defaultdict(list)
    by_district: dict[str, list[dict[str, object]]] = defaultdict(list)
    for row in rows:
        if row["agency__code"]:
            by_agency[(str(row["agency__code"]), str(row["agency__name"]))].append(row)
        region = str(row["region_id"] or "")
        if region.count(".") >= 2:
            by_district[".".join(region.split(".")[:3])].append(row)
    from terbuka_web.regions.models import Region

    names = dict(Region.objects.filter(code__in=by_district).values_list("code", "name"))
    agencies = [_stats(code, name, r) for (code, name), r in sorted(by_agency.items())]
    districts = [_stats(code, names.get(code, code), r) for code, r in sorted(by_district.items())]
    total = _stats("", "", rows)
    _satisfaction_add(total, agencies, districts)
    return total, agencies, districts


def _satisfaction_add(
    total: CaseStats, agencies: list[CaseStats], districts: list[CaseStats]
) -> None:
    """Set the survey answers and the share satisfied of each row (districts by prefix)."""
    by_agency = satisfaction_by("agency__code")
    per_district: dict[str, Satisfaction] = defaultdict(lambda: Satisfaction("", ""))
    everything = Satisfaction("", "")
    for region, counted in satisfaction_by("region_id").items():
        district = per_district[".".join(region.split(".")[:3])]
        for i, n in enumerate(counted.counts):
            district.counts[i] += n
            everything.counts[i] += n
    for row, counted in (
        *((r, by_agency.get(r.key)) for r in agencies),
        *((r, per_district.get(r.key)) for r in districts),
        (total, everything),
    ):
        if counted is not None:
            row.rated, row.satisfied = counted.answers, counted.satisfied


def stats_region(region_code: str) -> CaseStats:
    """Return the public figures of the cases and survey answers in region_code and below."""
    rows = Case.objects.filter(rahasia=False).filter(area(region_code)).values(*STAT_FIELDS)
    stats = _stats(region_code, region_code, rows)
    total, _agencies = satisfaction_results(region_code=region_code)
    stats.rated, stats.satisfied = total.answers, total.satisfied
    return stats
