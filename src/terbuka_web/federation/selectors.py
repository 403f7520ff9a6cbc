"""Selectors of the federation app: harvested processes and region budget totals (with their
origin), remotes, alerts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from terbuka_web.federation.models import (
    HarvestedRegionBreakdown,
    HarvestedRegionBudget,
    HarvestedRelease,
    Remote,
    RemoteAlert,
)


@dataclass(frozen=True)
class HarvestedProcess:
    """Hold one harvested process: its ocid, title, buyer, latest date and origin."""

    ocid: str
    title: str
    buyer: str
    date: str
    origin: str
    url: str


def harvested_processes(*, q: str = "", limit: int = 20) -> list[HarvestedProcess]:
    """Return up to limit harvested processes whose title, buyer or ocid holds q, newest first.

    One row per (remote, ocid): its latest release with a title; origin names the remote log.
    """
    releases = HarvestedRelease.objects.select_related("remote").exclude(title="")
    if q:
        releases = releases.filter(
            Q(title__icontains=q) | Q(buyer__icontains=q) | Q(ocid__icontains=q)
        )
    seen: dict[tuple[int, str], HarvestedProcess] = {}
    for r in releases.order_by("-date", "-id").only(
        "ocid", "title", "buyer", "date", "remote__origin", "remote__url"
    )[: limit * 20]:
        key = (r.remote_id, r.ocid)
        if key not in seen:
            url = f"{r.remote.url}proses/{r.ocid}/"
            seen[key] = HarvestedProcess(r.ocid, r.title, r.buyer, r.date, r.remote.origin, url)
        if len(seen) >= limit:
            break
    return list(seen.values())


def remotes() -> QuerySet[Remote]:
    """Return every remote with its number of harvested releases, by origin."""
    return Remote.objects.annotate(harvested=Count("releases")).order_by("origin")


def alerts_latest(limit: int = 50) -> QuerySet[RemoteAlert]:
    """Return the latest alerts (harvests stopped), newest first."""
    return RemoteAlert.objects.select_related("remote").order_by("-created_at", "-id")[:limit]


@dataclass(frozen=True)
class HarvestedTotals:
    """Hold one remote's spending totals of a region's subtree, in integer Rupiah."""

    origin: str
    url: str
    planned: int
    adjusted: int
    realised: int


def harvested_region_totals(*, codes: list[str], year: int) -> dict[str, list[HarvestedTotals]]:
    """Return, per region code of codes, every remote's harvested totals of year, by origin."""
    out: dict[str, list[HarvestedTotals]] = {}
    rows = (
        HarvestedRegionBudget.objects.filter(region__in=codes, year=year)
        .select_related("remote")
        .order_by("region", "remote__origin")
    )
    for row in rows:
        out.setdefault(row.region, []).append(
            HarvestedTotals(
                row.remote.origin, row.remote.url, row.planned, row.adjusted, row.realised
            )
        )
    return out


def budgets_harvested() -> bool:
    """Report whether any remote's budget totals were harvested (else none need be sought)."""
    return HarvestedRegionBudget.objects.exists()


def harvested_budget_years(*, code: str) -> set[int]:
    """Return the years in which some remote's harvested budget covers region code."""
    return set(HarvestedRegionBudget.objects.filter(region=code).values_list("year", flat=True))


@dataclass(frozen=True)
class HarvestedBreakdown:
    """Hold one remote's spending of a region's subtree under one breakdown key and phase."""

    origin: str
    url: str
    by: str
    key: str
    phase: str
    amount: int


def harvested_region_breakdowns(*, code: str, year: int) -> list[HarvestedBreakdown]:
    """Return every remote's harvested breakdown rows of region code's subtree in year, by
    origin (those whose lines were all superseded are left out)."""
    rows = (
        HarvestedRegionBreakdown.objects.filter(region=code, year=year, lines__gt=0)
        .order_by("remote__origin", "by", "key", "phase")
        .values_list("remote__origin", "remote__url", "by", "key", "phase", "amount")
    )
    return [HarvestedBreakdown(*row) for row in rows]
