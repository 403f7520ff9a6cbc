"""Selectors of the contracting app: which processes and drafts a user may see, stage status."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from terbuka.ocds.codes import STAGE_LABELS_ID, STAGES
from terbuka_web.accounts.models import User
from terbuka_web.accounts.selectors import GLOBAL_ACTIONS, Action, user_can
from terbuka_web.contracting.models import Process
from terbuka_web.transparency.selectors import entry_index_for


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

    def fields(self) -> list[tuple[str, list[str]]]:
        """Return the draft as (key, lines) pairs, one line per row of a list field."""
        out = []
        for key, value in self.draft.items():
            if isinstance(value, list):
                lines = ["; ".join(f"{k}: {v}" for k, v in row.items()) for row in value]
            else:
                lines = [str(value)]
            out.append((key, lines))
        return out


def process_stage_status(*, process: Process) -> list[StageStatus]:
    """Return the five stages of process with their draft, release and document counts."""
    drafts = {d.stage: d.data for d in process.drafts.all()}
    releases: dict[str, int] = {}
    for stage in process.releases.values_list("stage", flat=True):
        releases[stage] = releases.get(stage, 0) + 1
    documents: dict[str, list[bool]] = {}
    for stage, release_id in process.documents.values_list("stage", "release_id"):
        documents.setdefault(stage, []).append(release_id is None)
    return [
        StageStatus(
            stage=stage,
            label=STAGE_LABELS_ID[stage],
            has_draft=stage in drafts,
            published=stage in process.stages_published,
            releases=releases.get(stage, 0),
            documents=len(documents.get(stage, [])),
            documents_unpublished=sum(documents.get(stage, [])),
            draft=drafts.get(stage, {}),
        )
        for stage in STAGES
    ]


def release_log_ref(ocid: str, release_id: str) -> str:
    """Return the log-entry ref of one release: "<ocid>/<release id>" (publish and import)."""
    return f"{ocid}/{release_id}"


def process_log_index(*, process: Process) -> int | None:
    """Return the log index of process's latest release once sequenced, else None."""
    latest = process.releases.order_by("-published_at", "-id").values_list("release_id", flat=True)
    release_id = latest.first()
    if release_id is None:
        return None
    return entry_index_for(release_log_ref(process.ocid, release_id), kind="ocds.release")
