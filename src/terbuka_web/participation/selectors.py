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
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from django.db.models import Count, Q, QuerySet

from terbuka_web.accounts.models import Role, User
from terbuka_web.accounts.selectors import Action, user_can
from terbuka_web.common.cache import cache_through
from terbuka_web.participation.models import LEVELS, Case, CaseEvent, Coordinator
from terbuka_web.participation.survey_selectors import (
    Satisfaction,
    satisfaction_by,
    satisfaction_results,
)
from terbuka_web.participation.tally import NO_DAYS, tally_fold, tally_groups

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


Counted = dict[str, int]  # CaseStats count field → number
Days = dict[int, int]  # working days to the follow-up → cases
COUNTS = {
    "received": Count("pk"),
    "forwarded": Count("pk", filter=Q(forwarded_on_time__isnull=False)),
    "forwarded_on_time": Count("pk", filter=Q(forwarded_on_time=True)),
    "answered": Count("pk", filter=Q(answered_on_time__isnull=False)),
    "answered_on_time": Count("pk", filter=Q(answered_on_time=True)),
    "escalated": Count("pk", filter=Q(escalations__gt=0)),
}
_STATS_LOCK = threading.Lock()
_LATEST: dict[str, Any] = {}  # this worker's last figures ("stats") and renders ("html|…")


def _median(days: Days) -> float | None:
    """Return the median of a histogram as statistics.median gives it of the values."""
    n = sum(days.values())
    if not n:
        return None
    values = sorted(days)
    wanted = (n - 1) // 2, n // 2  # the middle one, or the middle two
    found, seen = [], 0
    for value in values:
        for position in wanted:
            if seen <= position < seen + days[value]:
                found.append(value)
        seen += days[value]
    return found[0] if n % 2 else (found[0] + found[1]) / 2


def _stats(key: str, label: str, counted: Counted, days: Days) -> CaseStats:
    return CaseStats(key, label, **counted, median_days=_median(days))


def _grouped(by: Literal["agency_pk", "district"]) -> dict[Any, tuple[Counted, Days]]:
    """Return key → (counts, follow-up days histogram) from the folded tally."""
    found: dict[Any, tuple[Counted, Days]] = defaultdict(lambda: ({}, {}))
    for key, days, counts in tally_groups(by):
        counted, histogram = found[key]
        for name, n in zip(COUNTS, counts, strict=True):
            counted[name] = counted.get(name, 0) + n
        if days != NO_DAYS:
            histogram[days] = counts[0]  # received: every case of the group
    return found


def stats_compute() -> tuple[CaseStats, list[CaseStats], list[CaseStats]]:
    """Return the figures of every public case, per agency and per kecamatan (by code), from
    the maintained tally (participation.tally: folded first, then a few hundred rows read):
    never a read of every case (stats_public caches it).

    Rahasia cases count nowhere: a count per agency could reveal that one exists.
    """
    from terbuka_web.accounts.models import Agency
    from terbuka_web.regions.models import Region

    tally_fold()
    per_agency, per_district = _grouped("agency_pk"), _grouped("district")
    total: Counted = {n: sum(c.get(n, 0) for c, _d in per_agency.values()) for n in COUNTS}
    all_days: Days = defaultdict(int)
    for _counted, histogram in per_agency.values():
        for value, n in histogram.items():
            all_days[value] += n
    known = Agency.objects.filter(pk__in=per_agency).values_list("pk", "code", "name")
    agency_of = {pk: (code, name) for pk, code, name in known}
    agencies = [
        _stats(code, name, *per_agency[pk])
        for (code, name), pk in sorted((key, pk) for pk, key in agency_of.items())
    ]
    districts = {k: v for k, v in per_district.items() if k.count(".") >= 2}
    names = dict(Region.objects.filter(code__in=districts).values_list("code", "name"))
    by_district = [
        _stats(code, names.get(code, code), *districts[code]) for code in sorted(districts)
    ]
    everything = _stats("", "", total, all_days)
    _satisfaction_add(everything, agencies, by_district)
    return everything, agencies, by_district


Stats = tuple[CaseStats, list[CaseStats], list[CaseStats]]  # everything, agencies, districts


def _stats_key() -> str:
    from terbuka_web.portal.selectors import publication_stamp

    seed = f"lapor-stats|{publication_stamp()}"
    return "lapor-stats:" + hashlib.sha256(seed.encode()).hexdigest()


def _stats_current() -> tuple[Stats, str | None]:
    """Return the figures and their cache key (per publication stamp); the key is None when
    they are this worker's previous figures, served stale while another of its threads
    recomputes (a thread with nothing served yet waits for that recompute)."""
    key = _stats_key()
    if not _STATS_LOCK.acquire(blocking="stats" not in _LATEST):
        return _LATEST["stats"], None
    try:  # one recompute per worker at a time
        found: Stats = cache_through(key, stats_compute)
        _LATEST["stats"] = found
        return found, key
    finally:
        _STATS_LOCK.release()


def stats_public() -> Stats:
    """Return stats_compute(), cached per publication stamp: every public change of a case
    appends a transparency log entry, which moves the stamp (a change shows within a second,
    portal.selectors.STAMP_TTL); stale while one thread of the worker recomputes."""
    return _stats_current()[0]


def stats_public_rendered(variant: str, render: Callable[[Stats], str]) -> str:
    """Return render(stats_public()), cached per publication stamp and variant (the page's
    language): the figures' tables and charts are rendered once per change, not per request;
    while the figures are stale, this worker's last render of them."""
    stats, key = _stats_current()
    if key is None and f"html|{variant}" in _LATEST:
        found: str = _LATEST[f"html|{variant}"]
        return found
    if key is None:
        return render(stats)
    found = cache_through(f"{key}|{variant}", lambda: render(stats))
    _LATEST[f"html|{variant}"] = found
    return found


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
    public = Case.objects.filter(rahasia=False).filter(area(region_code))
    counted = public.aggregate(**COUNTS)
    dated = public.filter(followup_days__isnull=False).order_by()
    days = dict(dated.values_list("followup_days").annotate(n=Count("pk")))
    stats = _stats(region_code, region_code, counted, days)
    total, _agencies = satisfaction_results(region_code=region_code)
    stats.rated, stats.satisfied = total.answers, total.satisfied
    return stats
