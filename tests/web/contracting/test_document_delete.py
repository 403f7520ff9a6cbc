"""Deleting a draft document: own agency's drafters only, never a published document."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from terbuka.errors import ValidationError
from terbuka_web.accounts.models import AuditEvent, Role
from terbuka_web.accounts.services import PermissionDenied
from terbuka_web.contracting import services
from terbuka_web.contracting.models import Document, Process

from .conftest import draft_document


def test_drafter_deletes_a_draft_and_its_file_after_commit(
    users: dict, process: Process, django_capture_on_commit_callbacks: Any
) -> None:
    document = draft_document(users, process)
    name = document.file.name
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.document_delete(user=users[Role.PPTK], document=document)
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not default_storage.exists(name)
    event = AuditEvent.objects.get(action="contracting:document:delete")
    assert event.data["sha256"] == document.sha256


@pytest.mark.parametrize(
    "role", ["admin", "auditor", Role.PA, Role.PPK, "operator_other", "pptk_other"]
)
def test_others_cannot_delete_a_draft(users: dict, process: Process, role: str) -> None:
    document = draft_document(users, process)
    with pytest.raises(PermissionDenied):
        services.document_delete(user=users[role], document=document)
    assert Document.objects.filter(pk=document.pk).exists()
    assert default_storage.exists(document.file.name)


def test_a_published_document_is_never_deleted(users: dict, process: Process) -> None:
    document = draft_document(users, process)
    services.stage_publish(user=users[Role.PPK], process=process, stage="planning")
    document.refresh_from_db()
    with pytest.raises(ValidationError, match="published"):
        services.document_delete(user=users[Role.OPERATOR], document=document)
    assert Document.objects.filter(pk=document.pk).exists()


def test_delete_over_http_asks_first_then_needs_post_and_csrf(
    users: dict, process: Process
) -> None:
    document = draft_document(users, process)
    url = f"/kelola/proses/{process.pk}/dokumen/{document.pk}/hapus/"
    client = Client(enforce_csrf_checks=True)
    client.force_login(users[Role.OPERATOR])
    page = client.get(f"/kelola/proses/{process.pk}/")
    assert f'href="{url}"' in page.content.decode()  # "Hapus" is a link to the question
    confirm = client.get(url)  # the question deletes nothing
    assert confirm.status_code == 200
    assert "Ya, hapus dokumen" in confirm.content.decode()
    assert Document.objects.filter(pk=document.pk).exists()
    assert client.post(url).status_code == 403  # no CSRF token
    done = client.post(url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    assert done.status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()


def test_another_agencys_operator_gets_403_over_http(users: dict, process: Process) -> None:
    document = draft_document(users, process)
    client = Client()
    client.force_login(users["operator_other"])
    response = client.post(f"/kelola/proses/{process.pk}/dokumen/{document.pk}/hapus/")
    assert response.status_code == 403
    assert Document.objects.filter(pk=document.pk).exists()
