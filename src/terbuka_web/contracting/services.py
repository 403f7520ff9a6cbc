"""Services of the contracting app: create processes, save drafts, upload PDFs, publish stages.

Every write checks role and agency (accounts.services.permission_require), runs in one
transaction and records an audit event; publishing also appends the release and the hashes
of newly published documents to the transparency log in that same transaction.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Collection
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from terbuka.bounds import json_faults, pointer
from terbuka.canonical import canonical_json
from terbuka.errors import ValidationError
from terbuka.ocds.build import STAGE_DOCUMENT_TYPES, release_build, release_validate
from terbuka.ocds.codes import STAGES
from terbuka.ocds.merge import compile_release
from terbuka.ocds.plausibility import Concern, stage_concerns
from terbuka.ocds.summary import summarize
from terbuka.ocds.validate import raise_for_issues, validate_release
from terbuka_web.accounts.models import Agency, User
from terbuka_web.accounts.selectors import Action
from terbuka_web.accounts.services import audit_record, permission_require
from terbuka_web.contracting.models import Document, Process, Release, StageDraft
from terbuka_web.contracting.selectors import release_log_ref
from terbuka_web.contracting.uploads import UploadRefused, filename_check, pdf_check
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


def _stage_check(stage: str) -> None:
    """Raise ValidationError unless stage is one of the five stages."""
    if stage not in STAGES:
        raise ValidationError(f"tahap {stage!r} tidak dikenal", f"unknown stage {stage!r}")


def _native_require(process: Process) -> None:
    """Raise ValidationError when process was imported: its own publisher publishes it.

    Imports never change a process published through Terbuka (contracting.imports), and
    Terbuka never publishes into an imported one: the two never share an ocid or a release id.
    """
    if process.imported:
        raise ValidationError(
            "proses ini diimpor dari penerbit lain; perubahannya diterbitkan penerbit itu, "
            "bukan lewat Terbuka",
            "this process was imported from another publisher, which publishes its changes; "
            "Terbuka does not",
            where="process",
        )


def _prefix_of(process: Process) -> list[str]:
    """Return the ocid prefix process's releases carry: the instance's when it was created.

    An ocid is permanent (OCDS 1.1.5 §Open Contracting ID): a process created before
    TERBUKA_OCID_PREFIX changed keeps its ocid and is still published under it; new
    processes take the new prefix. Example: "ocds-demo00-dpu-2026-000001" → ["ocds-demo00"].
    """
    return ["-".join(process.ocid.split("-", 2)[:2])]


def _process_info(process: Process) -> dict[str, Any]:
    """Return the process facts the release builder needs (title and buyer)."""
    agency = process.agency
    buyer = {"id": agency.code, "name": agency.name} if agency else {"id": "", "name": ""}
    return {"title": process.title, "description": process.description, "buyer": buyer}


class UnconfirmedWarnings(ValidationError):
    """Report implausible values of a stage that the operator has not confirmed yet."""

    code = "unconfirmed_warnings"

    def __init__(self, warnings: list[Concern]) -> None:
        keys = ", ".join(w.key for w in warnings)
        super().__init__(
            f"nilai tidak lazim perlu dikonfirmasi: {keys}",
            f"implausible values need a confirmation: {keys}",
            where=f"/{warnings[0].field}",
        )
        self.warnings = warnings


def stage_warnings(*, process: Process, stage: str, data: dict[str, Any]) -> list[Concern]:
    """Return the implausible values of data for process's stage (terbuka.ocds.plausibility).

    Raises ValidationError (where = the field) for the first impossible value.
    """
    earlier = dict(
        StageDraft.objects.filter(
            process=process, stage__in=STAGES[: STAGES.index(stage)]
        ).values_list("stage", "data")
    )
    return _warnings_given(process, stage, data, earlier)


def _warnings_given(
    process: Process, stage: str, data: dict[str, Any], earlier: dict[str, Any]
) -> list[Concern]:
    """Return stage_warnings of data given earlier, the drafts of the stages before stage."""
    concerns = stage_concerns(stage, data, earlier, process.fiscal_year)
    for concern in concerns:
        if concern.severity == "error":
            where = f"/{concern.field}"
            raise ValidationError(concern.message_id, concern.message_en, where=where)
    return concerns


def stage_data_check(*, process: Process, stage: str, data: dict[str, Any]) -> None:
    """Raise ValidationError unless data builds a schema-valid release of stage."""
    text_check(data)
    release = release_build(
        ocid=process.ocid,
        stage=stage,
        data=data,
        previous_tags=[],
        process_info=_process_info(process),
        date=timezone.now().isoformat(),
        release_id=f"{process.ocid}-check",
    )
    release_validate(release, prefixes=_prefix_of(process))


def _process_lock(process: Process) -> None:
    """Lock process's row until the transaction ends, so its writes run one at a time.

    SQLite needs no query: its transactions begin IMMEDIATE (settings), holding the database's
    write lock from the start, and it has no SELECT … FOR UPDATE.
    """
    if connection.features.has_select_for_update:
        Process.objects.select_for_update().filter(pk=process.pk).values_list("pk").first()


@transaction.atomic
def process_create(
    *, user: User, agency: Agency, title: str, description: str = "", fiscal_year: int
) -> Process:
    """Create a draft process of agency and give it an ocid "<prefix>-<agency>-<year>-<id>".

    Raises PermissionDenied unless user may create processes for agency.
    """
    permission_require(user=user, action=Action.PROCESS_CREATE, agency=agency)
    process = Process.objects.create(
        ocid=f"pending-{uuid.uuid4().hex}",
        agency=agency,
        buyer_name=agency.name,
        title=title,
        description=description,
        fiscal_year=fiscal_year,
        created_by=user,
    )
    prefix = settings.TERBUKA["OCID_PREFIX"]
    process.ocid = f"{prefix}-{agency.code}-{fiscal_year}-{process.pk:06d}"
    process.save(update_fields=["ocid"])
    audit_record(
        actor=user,
        action="contracting:process:create",
        target=process.ocid,
        agency=agency,
        data={"title": title, "fiscal_year": fiscal_year},
    )
    return process


def text_check(value: Any) -> None:
    """Raise ValidationError at the pointer of value's first NUL, lone surrogate, bad number."""
    for fault in json_faults(value):
        raise ValidationError(fault.message_id, fault.message_en, where=pointer(fault.path))


@transaction.atomic
def stage_draft_save(
    *,
    user: User,
    process: Process,
    stage: str,
    data: dict[str, Any],
    confirmed: Collection[str] = (),
) -> StageDraft:
    """Save data as the draft of process's stage, after checking it builds a valid release.

    confirmed holds the keys of the implausible values the user confirmed (Concern.key, e.g.
    "zero_value:amount"); each is recorded with the draft: key, messages, user, time.
    Raises PermissionDenied, ValidationError for invalid or impossible data, or
    UnconfirmedWarnings listing the implausible values not confirmed (nothing written).
    """
    permission_require(user=user, action=Action.STAGE_EDIT, agency=process.agency)
    _native_require(process)
    _stage_check(stage)
    stage_data_check(process=process, stage=stage, data=data)
    warnings = stage_warnings(process=process, stage=stage, data=data)
    missing = [w for w in warnings if w.key not in confirmed]
    if missing:
        raise UnconfirmedWarnings(missing)
    now = timezone.now().isoformat(timespec="seconds")
    confirmations = [
        {
            "key": w.key,
            "message_id": w.message_id,
            "message_en": w.message_en,
            "user": user.username,
            "at": now,
        }
        for w in warnings
    ]
    draft, _created = StageDraft.objects.update_or_create(
        process=process,
        stage=stage,
        defaults={"data": data, "updated_by": user, "confirmations": confirmations},
    )
    audit_record(
        actor=user,
        action="contracting:stage:save",
        target=f"{process.ocid}/{stage}",
        agency=process.agency,
        data={"confirmed": [w.key for w in warnings]} if warnings else None,
    )
    return draft


@transaction.atomic
def document_upload(
    *,
    user: User,
    process: Process,
    stage: str,
    document_type: str,
    title: str,
    stream: IO[bytes],
    filename: str,
) -> Document:
    """Store an uploaded PDF of process's stage with its SHA-256 and size, as a draft document.

    Raises PermissionDenied, or UploadRefused / ValidationError (nothing stored), also when
    the stage already holds the same file (same SHA-256: one document id in the release).
    """
    permission_require(user=user, action=Action.DOCUMENT_UPLOAD, agency=process.agency)
    _native_require(process)
    _stage_check(stage)
    if document_type not in {code for code, _label in STAGE_DOCUMENT_TYPES[stage]}:
        raise ValidationError(
            f"jenis dokumen {document_type!r} tidak berlaku untuk tahap {stage}",
            f"document type {document_type!r} does not belong to the {stage} stage",
            where="document_type",
        )
    filename_check(filename)
    sha256, size = pdf_check(stream)
    _process_lock(process)  # one upload at a time
    same = process.documents.filter(stage=stage, sha256=sha256)
    same_title = same.values_list("title", flat=True).first()
    if same_title is not None:
        raise UploadRefused(
            f"berkas yang sama (SHA-256 {sha256}) sudah diunggah ke tahap ini sebagai "
            f"{same_title!r}",
            f"the same file (SHA-256 {sha256}) is already uploaded to this stage as {same_title!r}",
            where="file",
        )
    document = Document(
        process=process,
        stage=stage,
        document_type=document_type,
        title=title,
        filename=filename,
        sha256=sha256,
        size=size,
        uploaded_by=user,
    )
    document.file.save(f"{sha256}.pdf", File(stream), save=False)
    document.save()
    audit_record(
        actor=user,
        action="contracting:document:upload",
        target=f"{process.ocid}/{stage}",
        agency=process.agency,
        data={"sha256": sha256, "size": size, "filename": filename},
    )
    return document


def documents_protect() -> tuple[int, list[str]]:
    """Move every document's file from OLD_PUBLIC_MEDIA_ROOT into the documents' storage.

    Before this version uploads were stored in DATA_DIR/media, which the reverse proxy served
    to anyone, drafts included. Returns (files moved, names of files there that no document
    refers to, left in place). A file already in the storage is only removed from the old
    folder. Safe to run again; a file is removed only after its copy is saved.
    """
    old = Path(settings.OLD_PUBLIC_MEDIA_ROOT)
    moved = 0
    known: set[str] = set()
    for name in Document.objects.values_list("file", flat=True):
        known.add(name)
        source = old / name
        if not source.is_file():
            continue
        if not default_storage.exists(name):
            with source.open("rb") as handle:
                default_storage.save(name, File(handle))
        source.unlink()
        moved += 1
    left = sorted(
        str(p.relative_to(old))
        for p in (old / "documents").rglob("*")
        if p.is_file() and str(p.relative_to(old)) not in known
    )
    return moved, left


@transaction.atomic
def document_delete(*, user: User, document: Document) -> None:
    """Delete a draft (unpublished) document and, once the transaction commits, its file.

    Published documents are part of an immutable release and its log entry: they are never
    deleted (publish a correcting document instead). Raises PermissionDenied or
    ValidationError (nothing deleted).
    """
    process = document.process
    permission_require(user=user, action=Action.DOCUMENT_UPLOAD, agency=process.agency)
    if document.release_id is not None:
        raise ValidationError(
            "dokumen sudah terbit dan tidak dapat dihapus; unggah dokumen koreksi",
            "the document is published and cannot be deleted; upload a correcting document",
            where="document",
        )
    storage, name = document.file.storage, document.file.name
    audit_record(
        actor=user,
        action="contracting:document:delete",
        target=f"{process.ocid}/{document.stage}",
        agency=process.agency,
        data={"sha256": document.sha256, "filename": document.filename},
    )
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def process_delete(*, user: User, process: Process) -> None:
    """Delete a process that has published nothing, with its drafts and draft documents (their
    files once the transaction commits); audited as contracting:process:delete.

    A process with any release (published or imported) is part of the public record and its
    log: it is never deleted. Raises PermissionDenied unless user may delete its agency's
    processes, ValidationError when something is published (nothing deleted).
    """
    permission_require(user=user, action=Action.PROCESS_DELETE, agency=process.agency)
    process = Process.objects.select_for_update().get(pk=process.pk)
    if process.imported or process.releases.exists():
        raise ValidationError(
            "paket ini sudah menerbitkan rilis dan tidak dapat dihapus; terbitkan koreksi",
            "this process has published releases and cannot be deleted; publish a correction",
            where="process",
        )
    files = [(d.file.storage, d.file.name) for d in process.documents.all()]
    audit_record(
        actor=user,
        action="contracting:process:delete",
        target=process.ocid,
        agency=process.agency,
        data={"title": process.title, "drafts": process.drafts.count(), "documents": len(files)},
    )
    process.documents.all().delete()
    process.delete()
    for storage, name in files:
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))


def _publish_guard(process: Process, stage: str) -> StageDraft:
    """Return the stage's draft, raising ValidationError when it or an earlier stage is missing."""
    earlier = [s for s in STAGES[: STAGES.index(stage)] if s not in process.stages_published]
    if earlier:
        raise ValidationError(
            f"tahap sebelumnya belum diterbitkan: {', '.join(earlier)}",
            f"earlier stages are not published yet: {', '.join(earlier)}",
            where=stage,
        )
    up_to = process.drafts.filter(stage__in=STAGES[: STAGES.index(stage) + 1])
    drafts = {d.stage: d for d in up_to}  # the stage's draft and the earlier ones: one query
    draft = drafts.pop(stage, None)
    if draft is None:
        raise ValidationError(
            f"tahap {stage} belum memiliki draf", f"the {stage} stage has no draft", where=stage
        )
    confirmed = {c["key"] for c in draft.confirmations}
    earlier_data = {name: d.data for name, d in drafts.items()}
    missing = [w.key for w in _warnings_given(process, stage, draft.data, earlier_data)]
    missing = [key for key in missing if key not in confirmed]
    if missing:
        raise ValidationError(
            f"nilai tidak lazim belum dikonfirmasi ({', '.join(missing)}); simpan ulang draf",
            f"implausible values are not confirmed ({', '.join(missing)}); save the draft again",
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

    def build(date: str, release_id: str) -> dict[str, Any]:
        return release_build(
            ocid=process.ocid,
            stage=stage,
            data=draft.data,
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
