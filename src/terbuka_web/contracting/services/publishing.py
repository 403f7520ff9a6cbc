"""Publish a stage's draft as an immutable release, logged in the same transaction.

Part of contracting.services (see its docstring).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from terbuka.canonical import canonical_json
from terbuka.errors import ValidationError
from terbuka.ocds.build import release_build, release_validate
from terbuka.ocds.codes import STAGES
from terbuka.ocds.merge import compile_release
from terbuka.ocds.summary import summarize
from terbuka.ocds.validate import raise_for_issues, validate_release
from terbuka_web.accounts.models import User
from terbuka_web.accounts.selectors import Action
from terbuka_web.accounts.services import audit_record, permission_require
from terbuka_web.budget.selectors import budget_breakdown_for
from terbuka_web.contracting.labels import label_pair
from terbuka_web.contracting.models import Document, Process, Release, StageDraft
from terbuka_web.contracting.selectors import release_log_ref
from terbuka_web.contracting.services.checks import (
    _native_require,
    _prefix_of,
    _process_info,
    _stage_check,
    _warnings_given,
)
from terbuka_web.flags.services import process_flags_recompute
from terbuka_web.scope.services import process_scope_refresh
from terbuka_web.transparency.services import entry_append

# The columns stage_publish sets: an UPDATE of these alone leaves the rest (and the indexes
# on them) untouched.
PUBLISHED_FIELDS = (
    "compiled_release",
    "stages_published",
    "stage_reached",
    "method",
    "value_idr",
    "search_text",
    "first_published_at",
    "last_published_at",
)


def _publish_guard(process: Process, stage: str) -> StageDraft:
    """Return the stage's draft, raising ValidationError when it or an earlier stage is missing."""
    earlier = [s for s in STAGES[: STAGES.index(stage)] if s not in process.stages_published]
    stage_id, stage_en = label_pair(stage, "stage")
    if earlier:
        earlier_id, earlier_en = label_pair(earlier, "stage")
        raise ValidationError(
            f"terbitkan dulu tahap sebelumnya: {earlier_id}",
            f"publish the earlier stages first: {earlier_en}",
            where=stage,
        )
    up_to = process.drafts.filter(stage__in=STAGES[: STAGES.index(stage) + 1])
    drafts = {d.stage: d for d in up_to}  # the stage's draft and the earlier ones: one query
    draft = drafts.pop(stage, None)
    if draft is None:
        raise ValidationError(
            f"tahap {stage_id} belum memiliki draf; isi dan simpan dulu",
            f"the {stage_en} stage has no draft; fill it in and save it first",
            where=stage,
        )
    confirmed = {c["key"] for c in draft.confirmations}
    earlier_data = {name: d.data for name, d in drafts.items()}
    warnings = _warnings_given(process, stage, draft.data, earlier_data)
    missing = [w for w in warnings if w.key not in confirmed]
    if missing:
        raise ValidationError(
            f"nilai tidak lazim di tahap {stage_id} belum dikonfirmasi "
            f"({'; '.join(w.message_id for w in missing)}); buka isiannya, periksa dan "
            "konfirmasi, lalu simpan ulang draf",
            f"implausible values of the {stage_en} stage are not confirmed "
            f"({'; '.join(w.message_en for w in missing)}); open its form, check and confirm "
            "them, then save the draft again",
            where=stage,
        )
    return draft


def _document_entries(documents: list[Document]) -> list[dict[str, Any]]:
    """Return the builder's view of documents (a stage's, published or new)."""
    base = settings.TERBUKA["BASE_URL"].rstrip("/")
    return [
        {
            "sha256": d.sha256,
            "size": d.size,
            "document_type": d.document_type,
            "title": d.title,
            "url": f"{base}{d.get_absolute_url()}",
            "date": d.uploaded_at.isoformat(),
        }
        for d in documents
    ]


def _with_budget(process: Process, stage: str, data: dict[str, Any]) -> dict[str, Any]:
    """Return a planning draft with the APBD lines of its sub-kegiatan (budget breakdown).

    The lines are the agency's published budget of the process's fiscal year whose
    sub-kegiatan is the draft's budget_line; none found leaves the draft as it is.
    """
    if stage != "planning" or not isinstance(data.get("budget_line"), str):
        return data
    breakdown = budget_breakdown_for(
        agency_id=process.agency_id, year=process.fiscal_year, programme=data["budget_line"]
    )
    return {**data, "budget_breakdown": breakdown} if breakdown else data


def _change_require(
    previous: list[tuple[str, dict[str, Any]]],
    stage: str,
    build: Callable[[str, str], dict[str, Any]],
) -> None:
    """Raise ValidationError when publishing would repeat the stage's latest release.

    previous holds the process's (stage, release data) in publication order; build(date, id)
    builds the stage's next release from its draft. Built with the latest release's own date
    and id, a release equal to it but for its tag (e.g. tender → tenderUpdate) means that
    neither the draft, the stage's documents nor the process facts changed since.
    """
    latest = next((data for s, data in reversed(previous) if s == stage), None)
    if latest is None:
        return
    again = build(latest["date"], latest["id"])
    if {**again, "tag": latest["tag"]} == latest:
        raise ValidationError(
            f"tidak ada perubahan sejak rilis {latest['id']}; tahap ini sudah terbit apa adanya",
            f"nothing changed since release {latest['id']}; the stage is already published "
            "as it is",
            where=stage,
        )


@transaction.atomic
def stage_publish(*, user: User, process: Process, stage: str) -> Release:
    """Publish process's stage draft as a new immutable release, logged in the same transaction.

    Builds and validates the release (OCDS 1.1.5), stores it with the SHA-256 of its RFC 8785
    bytes, marks the stage's new documents published, appends one "ocds.release" and one
    "document.sha256" log entry per new document, recompiles the process and records an
    audit event. Publications of one process run one at a time (its row is locked), so a
    double click or concurrent requests publish once: the next finds nothing changed.
    Raises PermissionDenied or ValidationError (also for an imported process, or when
    nothing changed since the stage's latest release), writing nothing.
    """
    permission_require(user=user, action=Action.STAGE_PUBLISH, agency=process.agency)
    _stage_check(stage)
    locked = Process.objects.select_for_update(of=("self",)).select_related("agency")
    process = locked.defer("compiled_release").get(pk=process.pk)  # compiled again below
    _native_require(process)
    draft = _publish_guard(process, stage)
    published = list(process.releases.order_by("id").values_list("stage", "data"))
    previous = [data for _stage, data in published]
    stage_documents = list(process.documents.filter(stage=stage).order_by("id"))
    info, documents = _process_info(process), _document_entries(stage_documents)
    data_in = _with_budget(process, stage, draft.data)

    def build(date: str, release_id: str) -> dict[str, Any]:
        return release_build(
            ocid=process.ocid,
            stage=stage,
            data=data_in,
            previous_tags=[tag for r in previous for tag in r.get("tag", [])],
            process_info=info,
            date=date,
            release_id=release_id,
            documents=documents,
        )

    _change_require(published, stage, build)
    now = timezone.now()
    release_id = f"{process.ocid}-{stage}-{len(previous) + 1}"
    data = build(now.isoformat(timespec="seconds"), release_id)
    release_validate(data, prefixes=_prefix_of(process))
    compiled = compile_release([*previous, data])
    raise_for_issues(validate_release(compiled, prefixes=_prefix_of(process)))
    release = Release.objects.create(
        process=process,
        ocid=process.ocid,
        release_id=release_id,
        date=now,
        tags=data["tag"],
        stage=stage,
        data=data,
        sha256=hashlib.sha256(canonical_json(data)).hexdigest(),
        published_by=user,
        confirmations=draft.confirmations,
    )
    entry_append(
        kind="ocds.release",
        ref=release_log_ref(process.ocid, release_id),
        payload={"release": data},
    )
    new_documents = [d for d in stage_documents if d.release_id is None]
    for document in new_documents:
        entry_append(
            kind="document.sha256",
            ref=process.ocid,
            payload={
                "ocid": process.ocid,
                "releaseID": release_id,
                "sha256": document.sha256,
                "size": document.size,
                "documentType": document.document_type,
            },
        )
    process.documents.filter(pk__in=[d.pk for d in new_documents]).update(release=release)
    process.compiled_release = compiled
    summary = summarize(compiled)
    process.stages_published = summary.stages_published
    process.stage_reached = summary.stage_reached
    process.method = summary.method
    process.value_idr = summary.value_idr
    process.search_text = summary.search_text
    process.first_published_at = process.first_published_at or now
    process.last_published_at = now
    process.save(update_fields=PUBLISHED_FIELDS)
    process_flags_recompute(process_ids=[process.pk])
    process_scope_refresh(process_ids=[process.pk])
    audit_record(
        actor=user,
        action="contracting:stage:publish",
        target=release_id,
        agency=process.agency,
        data={
            "sha256": release.sha256,
            "tags": data["tag"],
            "documents": len(new_documents),
            "confirmed": [c["key"] for c in draft.confirmations],
        },
    )
    return release
