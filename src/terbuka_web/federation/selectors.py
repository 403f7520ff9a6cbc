"""Selectors of the federation app: harvested processes (with their origin), remotes, alerts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from terbuka_web.federation.models import HarvestedRelease, Remote, RemoteAlert


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
