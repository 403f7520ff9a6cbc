"""Upload, delete and protect the PDFs of a stage.

Part of contracting.services (see its docstring).
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction

from terbuka.errors import ValidationError
from terbuka.ocds.build import STAGE_DOCUMENT_TYPES
from terbuka_web.accounts.models import User
from terbuka_web.accounts.selectors import Action
from terbuka_web.accounts.services import audit_record, permission_require
from terbuka_web.contracting.labels import label_pair
from terbuka_web.contracting.models import Document, Process
from terbuka_web.contracting.services.checks import _native_require, _process_lock, _stage_check
from terbuka_web.contracting.uploads import UploadRefused, filename_check, pdf_check


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
    if document_type not in STAGE_DOCUMENT_TYPES[stage]:
        (kind_id, kind_en), (stage_id, stage_en) = (
            label_pair(document_type, "documentType"),
            label_pair(stage, "stage"),
        )
        raise ValidationError(
            f"jenis dokumen {kind_id} tidak berlaku untuk tahap {stage_id}",
            f"the document type {kind_en} does not belong to the {stage_en} stage",
            where="document_type",
        )
    filename = filename_check(filename)
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
