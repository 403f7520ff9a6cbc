"""Services of the contracting app: permission matrix, uploads, atomic immutable publication."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import os
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from hypothesis import given
from hypothesis import strategies as st

from terbuka.canonical import canonical_json
from terbuka.errors import ValidationError
from terbuka.ocds.codes import STAGES
from terbuka.ocds.stage_examples import EXAMPLE_STAGE_DATA
from terbuka.ocds.validate import validate_release
from terbuka_web.accounts.models import AuditEvent, Role
from terbuka_web.accounts.services import PermissionDenied
from terbuka_web.contracting import services
from terbuka_web.contracting.models import Document, Process, Release, StageDraft
from terbuka_web.contracting.uploads import UploadRefused, filename_check
from terbuka_web.transparency.models import LogEntry

from .conftest import pdf_bytes

ROLES = ("admin", "pa", "ppk", "pptk", "operator", "auditor", "anonymous")
ACTIONS = ("create", "edit", "upload", "publish")
ALLOWED = {
    "create": {"pptk", "operator"},
    "edit": {"pptk", "operator"},
    "upload": {"pptk", "operator"},
    "publish": {"pa", "ppk"},
}


def state() -> tuple[Any, ...]:
    """Return every row count a write could change, plus the drafts' content."""
    return (
        Process.objects.count(),
        Release.objects.count(),
        Document.objects.count(),
        LogEntry.objects.count(),
        AuditEvent.objects.count(),
        json.dumps(sorted((d.stage, d.data) for d in StageDraft.objects.all()), sort_keys=True),
    )


def actor(users: dict, role: str, where: str) -> Any:
    if role == "anonymous":
        return AnonymousUser()
    if role in {"admin", "auditor"}:
        return users[role]
    return users[role if where == "own" else f"{role}_other"]


def perform(action: str, user: Any, process: Process) -> None:
    if action == "create":
        services.process_create(
            user=user, agency=process.agency, title="Paket baru", fiscal_year=2026
        )
    elif action == "edit":
        data = dict(EXAMPLE_STAGE_DATA["planning"], amount=1_000)
        services.stage_draft_save(user=user, process=process, stage="planning", data=data)
    elif action == "upload":
        services.document_upload(
            user=user,
            process=process,
            stage="planning",
            document_type="procurementPlan",
            title="DPA",
            stream=io.BytesIO(pdf_bytes()),
            filename="dpa.pdf",
        )
    else:
        services.stage_publish(user=user, process=process, stage="planning")


@pytest.mark.parametrize("where", ["own", "other"])
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(
    users: dict, process: Process, role: str, action: str, where: str
) -> None:
    user = actor(users, role, where)
    allowed = role in ALLOWED[action] and where == "own"
    before = state()
    if allowed:
        perform(action, user, process)
        assert state() != before
        assert AuditEvent.objects.count() == before[4] + 1
    else:
        with pytest.raises(PermissionDenied) as info:
            perform(action, user, process)
        assert info.value.message_id != info.value.message_en
        assert state() == before


class CountingFile(io.RawIOBase):
    """Wrap a file and count the bytes read from it."""

    def __init__(self, path: Path) -> None:
        self.inner = path.open("rb")
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.inner.seek(offset, whence)

    def tell(self) -> int:
        return self.inner.tell()

    def readinto(self, buffer: Any) -> int:
        data = self.inner.read(len(buffer))
        self.read_bytes += len(data)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.inner.close()
        super().close()


def upload(users: dict, process: Process, stream: Any, filename: str = "dpa.pdf") -> Document:
    return services.document_upload(
        user=users[Role.OPERATOR],
        process=process,
        stage="planning",
        document_type="procurementPlan",
        title="DPA 2026",
        stream=stream,
        filename=filename,
    )


def test_upload_stores_pdf_with_sha256_and_size(users: dict, process: Process) -> None:
    content = pdf_bytes(2)
    document = upload(users, process, io.BytesIO(content))
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.size == len(content)
    assert document.release is None
    with default_storage.open(document.file.name) as stored:
        assert stored.read() == content
    event = AuditEvent.objects.get(action="contracting:document:upload")
    assert event.data["sha256"] == document.sha256


def test_upload_of_200_mb_is_refused_before_reading(
    users: dict, process: Process, tmp_path: Path
) -> None:
    big = tmp_path / "besar.pdf"
    with big.open("wb") as handle:  # sparse: 200 MB on paper, nothing in memory
        handle.write(b"%PDF-1.7\n")
        handle.truncate(200 * 1024 * 1024)
    stream = CountingFile(big)
    before = state()
    with pytest.raises(UploadRefused) as info:
        upload(users, process, stream, "besar.pdf")
    stream.close()
    assert "melebihi batas" in info.value.message_id
    assert "exceeds" in info.value.message_en
    assert stream.read_bytes == 0
    assert state() == before


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "bukan PDF"),
        (b"MZ\x90\x00 renamed.exe", "bukan PDF"),
        (b"%PDF-1.7\n garbage that is no pdf at all", "rusak"),
        (b"", "bukan PDF"),
    ],
)
def test_renamed_or_broken_non_pdf_is_refused(
    users: dict, process: Process, content: bytes, reason: str
) -> None:
    before = state()
    with pytest.raises(UploadRefused) as info:
        upload(users, process, io.BytesIO(content), "laporan.pdf")
    assert reason in info.value.message_id
    assert state() == before
    media = Path(default_storage.location)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


@pytest.mark.parametrize(
    "name",
    [
        "../dpa.pdf",
        "..\\dpa.pdf",
        "/etc/dpa.pdf",
        "docs/dpa.pdf",
        "dpa\x00.pdf",
        "dpa\n.pdf",
        "dpa.exe",
        "dpa.pdf.exe",
        ".pdf",
        "",
    ],
)
def test_unsafe_file_names_are_refused(users: dict, process: Process, name: str) -> None:
    before = state()
    with pytest.raises(UploadRefused) as info:
        upload(users, process, io.BytesIO(pdf_bytes()), name)
    assert info.value.where == "file"
    assert state() == before


def test_document_type_must_fit_the_stage(users: dict, process: Process) -> None:
    with pytest.raises(ValidationError):
        services.document_upload(
            user=users[Role.OPERATOR],
            process=process,
            stage="planning",
            document_type="contractSigned",
            title="SPK",
            stream=io.BytesIO(pdf_bytes()),
            filename="spk.pdf",
        )


@pytest.mark.parametrize(
    ("change", "where"),
    [({"amount": -5}, "/amount"), ({"amount": 10**16}, "/amount"), ({"rationale": ""}, None)],
)
def test_bad_draft_data_writes_nothing(
    users: dict, process: Process, change: dict, where: str | None
) -> None:
    before = state()
    with pytest.raises(ValidationError) as info:
        services.stage_draft_save(
            user=users[Role.OPERATOR],
            process=process,
            stage="planning",
            data={**EXAMPLE_STAGE_DATA["planning"], **change},
        )
    if where:
        assert info.value.where == where
    assert state() == before


def test_publish_writes_one_release_log_entries_and_audit(users: dict, process: Process) -> None:
    first = upload(users, process, io.BytesIO(pdf_bytes(1)), "dpa.pdf")
    second = upload(users, process, io.BytesIO(pdf_bytes(3)), "renja.pdf")
    before_audit = AuditEvent.objects.count()
    release = services.stage_publish(user=users[Role.PPK], process=process, stage="planning")
    assert Release.objects.count() == 1
    assert release.tags == ["planning"]
    assert release.sha256 == hashlib.sha256(canonical_json(release.data)).hexdigest()
    assert validate_release(release.data, prefixes=["ocds-demo00"], links=False) == []
    entries = list(LogEntry.objects.order_by("id"))
    assert [e.kind for e in entries] == ["ocds.release", "document.sha256", "document.sha256"]
    assert bytes(entries[0].data) == canonical_json(
        {"kind": "ocds.release", "release": release.data}
    )
    logged = {json.loads(bytes(e.data))["sha256"] for e in entries[1:]}
    assert logged == {first.sha256, second.sha256}
    assert set(Document.objects.values_list("release_id", flat=True)) == {release.pk}
    shown = {d["description"] for d in release.data["planning"]["documents"]}
    assert f"SHA-256: {first.sha256}; {first.size} bytes" in shown
    urls = {d["url"] for d in release.data["planning"]["documents"]}
    assert f"{settings.TERBUKA['BASE_URL']}{first.file.url}" in urls
    assert AuditEvent.objects.count() == before_audit + 1
    process.refresh_from_db()
    assert process.compiled_release["planning"]["budget"]["id"] == "5.02.02.2.01.0001"
    assert process.stages_published == ["planning"]
    assert process.value_idr == 1_500_000_000
    assert process.first_published_at is not None


def test_invalid_draft_at_publication_writes_nothing(users: dict, process: Process) -> None:
    upload(users, process, io.BytesIO(pdf_bytes()), "dpa.pdf")
    StageDraft.objects.filter(process=process, stage="planning").update(
        data={**EXAMPLE_STAGE_DATA["planning"], "amount": -1}
    )
    before = state()
    with pytest.raises(ValidationError):
        services.stage_publish(user=users[Role.PPK], process=process, stage="planning")
    assert state() == before
    assert Document.objects.filter(release__isnull=False).count() == 0
    process.refresh_from_db()
    assert process.compiled_release == {}


def test_publish_refuses_a_stage_before_its_predecessors(users: dict, process: Process) -> None:
    before = state()
    with pytest.raises(ValidationError) as info:
        services.stage_publish(user=users[Role.PA], process=process, stage="award")
    assert "Perencanaan, Pemilihan Penyedia" in info.value.message_id
    assert state() == before


def test_correction_is_a_new_release_and_the_old_one_is_untouched(
    users: dict, process: Process
) -> None:
    first = services.stage_publish(user=users[Role.PPK], process=process, stage="planning")
    original = (copy.deepcopy(first.data), first.sha256, first.release_id)
    services.stage_draft_save(
        user=users[Role.OPERATOR],
        process=process,
        stage="planning",
        data={**EXAMPLE_STAGE_DATA["planning"], "amount": 1_600_000_000},
    )
    second = services.stage_publish(user=users[Role.PPK], process=process, stage="planning")
    first.refresh_from_db()
    assert (first.data, first.sha256, first.release_id) == original
    assert second.tags == ["planningUpdate"]
    assert second.release_id != first.release_id
    assert Release.objects.count() == 2
    process.refresh_from_db()
    assert process.compiled_release["planning"]["budget"]["amount"]["amount"] == 1_600_000_000


def test_five_stages_compile_into_the_process(users: dict, process: Process) -> None:
    for stage in STAGES:
        services.stage_publish(user=users[Role.PPK], process=process, stage=stage)
    process.refresh_from_db()
    compiled = process.compiled_release
    assert {"planning", "tender", "awards", "contracts"} <= set(compiled)
    assert compiled["contracts"][0]["implementation"]["transactions"]
    assert process.stages_published == list(STAGES)
    assert process.stage_reached == "implementation"
    assert process.method == "tender"
    assert process.value_idr == 1_398_000_000
    assert "cv maju jaya" in process.search_text
    ids = list(Release.objects.values_list("release_id", flat=True))
    assert len(ids) == len(set(ids)) == 5
    assert LogEntry.objects.filter(kind="ocds.release").count() == 5


def test_amended_contract_republication(users: dict, process: Process) -> None:
    for stage in STAGES[:4]:
        services.stage_publish(user=users[Role.PPK], process=process, stage=stage)
    services.stage_draft_save(
        user=users[Role.PPTK],
        process=process,
        stage="contract",
        data={**EXAMPLE_STAGE_DATA["contract"], "amendment_rationale": "Adendum waktu"},
    )
    release = services.stage_publish(user=users[Role.PPK], process=process, stage="contract")
    assert release.tags == ["contractAmendment"]
    assert release.data["contracts"][0]["amendments"][0]["rationale"] == "Adendum waktu"


def test_process_create_assigns_prefixed_ocid(users: dict, agencies: dict) -> None:
    process = services.process_create(
        user=users[Role.PPTK], agency=agencies["own"], title="Paket", fiscal_year=2026
    )
    assert process.ocid == f"ocds-demo00-dinas-pupr-2026-{process.pk:06d}"
    assert os.path.basename(process.ocid) == process.ocid


def test_the_database_refuses_to_edit_a_published_release(users: dict, process: Process) -> None:
    from django.db import DatabaseError, transaction

    release = services.stage_publish(user=users[Role.PPK], process=process, stage="planning")
    for change in ({"data": {"ocid": "x"}}, {"sha256": "0" * 64}, {"tags": ["planningUpdate"]}):
        with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
            Release.objects.filter(pk=release.pk).update(**change)
    stored = Release.objects.get(pk=release.pk)
    assert (stored.data, stored.sha256) == (release.data, release.sha256)
    Release.objects.filter(pk=release.pk).update(published_by=None)  # not content: allowed


@given(st.one_of(st.text(max_size=80), st.text(max_size=40).map(lambda t: t + ".pdf")))
def test_filename_check_accepts_only_plain_pdf_names(name: str) -> None:
    try:
        accepted = filename_check(name)
    except UploadRefused as exc:
        assert exc.where == "file" and exc.message_id != exc.message_en
    else:
        assert accepted == unicodedata.normalize("NFC", name)
        assert name.lower().endswith(".pdf")
        assert not {"/", "\\", "\0"} & set(name) and ".." not in name
        assert all(32 <= ord(ch) != 127 for ch in name)
        assert not any(unicodedata.category(ch).startswith("C") for ch in name)
        assert not name.startswith(".")


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("ünï.pdf", "ünï.pdf"),
        ("u\u0308ni\u0308.pdf", "ünï.pdf"),  # decomposed (macOS) → NFC
        ("Laporan (Mei), tahap 1 & 2.PDF", "Laporan (Mei), tahap 1 & 2.PDF"),
        ("Surat Keputusan 日本.pdf", "Surat Keputusan 日本.pdf"),
    ],
)
def test_filename_check_keeps_letters_of_any_script_in_nfc(name: str, kept: str) -> None:
    assert filename_check(name) == kept


@pytest.mark.parametrize(
    "name",
    [
        "rapor\u202efdp.exe.pdf",
        "a\u200bb.pdf",
        "a\u00a0b.pdf",
        "tanda<tangan>.pdf",
        ".pdf",
        "x" * 147 + ".pdf",
    ],
)
def test_filename_check_refuses_invisible_and_symbol_characters(name: str) -> None:
    with pytest.raises(UploadRefused) as info:
        filename_check(name)
    assert info.value.where == "file" and "nama berkas" in info.value.message_id
