"""Deleting a mistaken draft process: only its own agency's drafters, only while nothing is
published, asked first, audited, its draft PDFs' files removed after commit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from terbuka.errors import ValidationError
from terbuka_web.accounts.models import AuditEvent, Role
from terbuka_web.accounts.services import PermissionDenied
from terbuka_web.contracting import services
from terbuka_web.contracting.models import Document, Process, StageDraft

from .conftest import draft_document


def test_drafter_deletes_an_unpublished_process_with_its_drafts_and_files(
    users: dict, process: Process, django_capture_on_commit_callbacks: Any
) -> None:
    name = draft_document(users, process).file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.process_delete(user=users[Role.PPTK], process=process)
    assert not Process.objects.filter(pk=process.pk).exists()
    assert not StageDraft.objects.filter(process_id=process.pk).exists()
    assert not default_storage.exists(name)
    event = AuditEvent.objects.get(action="contracting:process:delete")
    assert event.target == process.ocid and event.data["documents"] == 1
    assert event.data["drafts"] == 5


@pytest.mark.parametrize(
    "role", ["admin", "auditor", Role.PA, Role.PPK, "operator_other", "pptk_other"]
)
def test_others_cannot_delete_a_draft_process(users: dict, process: Process, role: str) -> None:
    with pytest.raises(PermissionDenied):
        services.process_delete(user=users[role], process=process)
    assert Process.objects.filter(pk=process.pk).exists()
    assert not AuditEvent.objects.filter(action="contracting:process:delete").exists()


def test_a_process_with_a_published_stage_is_never_deleted(users: dict, process: Process) -> None:
    document = draft_document(users, process)
    services.stage_publish(user=users[Role.PPK], process=process, stage="planning")
    with pytest.raises(ValidationError, match="published releases"):
        services.process_delete(user=users[Role.OPERATOR], process=process)
    assert Process.objects.filter(pk=process.pk).exists()
    assert default_storage.exists(Document.objects.get(pk=document.pk).file.name)


def test_delete_over_http_asks_first(users: dict, process: Process) -> None:
    client = Client()
    client.force_login(users[Role.OPERATOR])
    url = f"/kelola/proses/{process.pk}/hapus/"
    assert url in client.get(f"/kelola/proses/{process.pk}/").content.decode()
    question = client.get(url)
    assert question.status_code == 200 and "Ya, hapus paket" in question.content.decode()
    assert Process.objects.filter(pk=process.pk).exists()
    assert client.post(url)["Location"] == "/kelola/"
    assert not Process.objects.filter(pk=process.pk).exists()


def test_delete_over_http_refuses_others_and_published(users: dict, process: Process) -> None:
    url = f"/kelola/proses/{process.pk}/hapus/"
    other = Client()
    other.force_login(users["operator_other"])
    assert other.post(url).status_code == 403
    services.stage_publish(user=users[Role.PPK], process=process, stage="planning")
    own = Client()
    own.force_login(users[Role.OPERATOR])
    assert url not in own.get(f"/kelola/proses/{process.pk}/").content.decode()
    refused = own.post(url)
    assert refused.status_code == 400 and "tidak dapat dihapus" in refused.content.decode()
    assert Process.objects.filter(pk=process.pk).exists()
