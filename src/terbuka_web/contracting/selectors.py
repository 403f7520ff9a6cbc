"""Selectors of the contracting app: which processes and drafts a user may see, stage status."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from terbuka.ocds.codes import STAGES
from terbuka.ocds.extensions import EXTENSIONS
from terbuka_web.accounts.models import User
from terbuka_web.accounts.selectors import GLOBAL_ACTIONS, Action, user_can
from terbuka_web.contracting.labels import code_label
from terbuka_web.contracting.models import Document, Process, Release, StageDraft


def process_list_visible(*, user: User) -> QuerySet[Process]:
    """Return the processes whose drafts user may see: own agency, or all for admin/auditor."""
    processes = Process.objects.select_related("agency").order_by("-created_at", "-id")
    if not user.is_authenticated or not user.is_active:
        return processes.none()
    if Action.DRAFT_VIEW in GLOBAL_ACTIONS.get(user.role, frozenset()):
        return processes
    if user.agency_id is None or not user_can(user, Action.DRAFT_VIEW, user.agency):
        return processes.none()
    return processes.filter(agency_id=user.agency_id)


# Dashboard status filter: what a process still waits for.
PROCESS_STATUSES = {
    "unpublished": Q(first_published_at__isnull=True),
    "published": Q(first_published_at__isnull=False),
    "new_documents": Q(
        Exists(Document.objects.filter(process=OuterRef("pk"), release__isnull=True))
    ),
}


@dataclass(frozen=True)
class ProcessListFilters:
    """Hold the dashboard's search and filters; empty strings and None mean "all"."""

    q: str = ""
    stage: str = ""
    status: str = ""
    agency: str = ""
    year: int | None = None

    @property
    def active(self) -> bool:
        """Report whether any filter or search term is set."""
        return any((self.q, self.stage, self.status, self.agency, self.year))


def process_list_filtered(*, user: User, filters: ProcessListFilters) -> QuerySet[Process]:
    """Return the processes user may see that match filters: q in title or ocid, stage reached
    ("none" for nothing published), status (PROCESS_STATUSES), agency code and fiscal year.

    Unknown stage or status values match nothing rather than everything.
    """
    processes = process_list_visible(user=user)
    if filters.q:
        processes = processes.filter(Q(title__icontains=filters.q) | Q(ocid__icontains=filters.q))
    if filters.stage:
        processes = processes.filter(stage_reached="" if filters.stage == "none" else filters.stage)
    if filters.status:
        processes = processes.filter(PROCESS_STATUSES.get(filters.status, Q(pk__in=[])))
    if filters.agency:
        processes = processes.filter(agency__code=filters.agency)
    if filters.year is not None:
        processes = processes.filter(fiscal_year=filters.year)
    return processes


def process_years_visible(*, user: User) -> list[int]:
    """Return the fiscal years of the processes user may see, newest first."""
    years = process_list_visible(user=user).order_by().values_list("fiscal_year", flat=True)
    return sorted(set(years.distinct()), reverse=True)


def process_draft_visible(*, user: User, process: Process) -> bool:
    """Report whether user may see process's drafts."""
    return user_can(user, Action.DRAFT_VIEW, process.agency)


@dataclass(frozen=True)
class StageStatus:
    """Summarise one stage of a process for the dashboard."""

    stage: str
    label: str
    has_draft: bool
    published: bool
    releases: int
    documents: int
    documents_unpublished: int
    draft: dict[str, Any]
    fields: tuple[tuple[str, list[str]], ...] = ()  # the draft in words (contracting.forms)


def process_stage_status(*, process: Process) -> list[StageStatus]:
    """Return the five stages of process with their draft, release and document counts."""
    return process_stage_statuses(processes=[process])[process.pk]


def process_stage_statuses(*, processes: list[Process]) -> dict[int, list[StageStatus]]:
    """Return, by process pk, the five stages of each process with their draft, release and
    document counts, in three queries whatever the number of processes (a dashboard page)."""
    pks = [p.pk for p in processes]
    drafts: dict[int, dict[str, dict[str, Any]]] = {pk: {} for pk in pks}
    for pk, stage, data in StageDraft.objects.filter(process_id__in=pks).values_list(
        "process_id", "stage", "data"
    ):
        drafts[pk][stage] = data
    releases: dict[tuple[int, str], int] = {}
    for key in Release.objects.filter(process_id__in=pks).values_list("process_id", "stage"):
        releases[key] = releases.get(key, 0) + 1
    documents: dict[tuple[int, str], list[bool]] = {}
    for pk, stage, release_id in Document.objects.filter(process_id__in=pks).values_list(
        "process_id", "stage", "release_id"
    ):
        documents.setdefault((pk, stage), []).append(release_id is None)
    return {
        p.pk: [
            StageStatus(
                stage=stage,
                label=code_label(stage, "stage"),
                has_draft=stage in drafts[p.pk],
                published=stage in p.stages_published,
                releases=releases.get((p.pk, stage), 0),
                documents=len(documents.get((p.pk, stage), [])),
                documents_unpublished=sum(documents.get((p.pk, stage), [])),
                draft=drafts[p.pk].get(stage, {}),
            )
            for stage in STAGES
        ]
        for p in processes
    }


def release_log_ref(ocid: str, release_id: str) -> str:
    """Return the log-entry ref of one release: "<ocid>/<release id>" (publish and import)."""
    return f"{ocid}/{release_id}"


def releases_extensions() -> tuple[str, ...]:
    """Return the OCDS extensions the published releases use, for a streamed package's
    "extensions": the budget extensions once any release has planning.budget.budgetBreakdown."""
    with_breakdown = Release.objects.filter(data__planning__budget__has_key="budgetBreakdown")
    return EXTENSIONS if with_breakdown.exists() else ()
