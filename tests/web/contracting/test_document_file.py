"""Check uploaded PDFs are served by Terbuka: drafts only to their officials, published to all.

Before, files sat in DATA_DIR/media, which the reverse proxy (or Django in debug mode)
served to anyone who had the URL, drafts included.
"""

from __future__ import annotations

import io
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from terbuka_web.accounts.models import Role
from terbuka_web.contracting import services
from terbuka_web.contracting.apps import old_public_media_check
from terbuka_web.contracting.models import Document, Process

from .conftest import pdf_bytes
from .test_services import upload
from .test_views import client_for

CONTENT = pdf_bytes(pages=2)


@pytest.fixture
def draft(users: dict, process: Process) -> Document:
    return upload(users, process, io.BytesIO(CONTENT), "DPA 2026.pdf")


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_a_draft_is_served_only_to_officials_who_may_see_it(
    users: dict, draft: Document, settings: Any
) -> None:
    url = draft.get_absolute_url()
    assert url == f"/media/{draft.file.name}"
    assert not Path(draft.file.path).is_relative_to(settings.OLD_PUBLIC_MEDIA_ROOT)
    assert Client().get(url).status_code == 404  # a citizen, or a guessed URL
    assert client_for(users[f"{Role.OPERATOR}_other"]).get(url).status_code == 404
    for role in (Role.OPERATOR, Role.PPK, "auditor"):
        response = client_for(users[role]).get(url)
        assert response.status_code == 200, role
        assert _body(response) == CONTENT
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="DPA 2026.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"


def test_a_published_document_is_served_to_anyone_and_cacheable(
    users: dict, process: Process, draft: Document, settings: Any
) -> None:
    release = services.stage_publish(user=users[Role.PPK], process=process, stage="planning")
    (entry,) = release.data["planning"]["documents"]
    base = settings.TERBUKA["BASE_URL"].rstrip("/")
    assert entry["url"] == f"{base}/media/{draft.file.name}"
    response = Client().get(entry["url"].removeprefix(base))
    assert response.status_code == 200
    assert _body(response) == CONTENT
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"


@pytest.mark.django_db
def test_unknown_or_forged_names_are_404() -> None:
    for name in ("documents/2026/11/" + "0" * 64 + ".pdf", "../settings.py", "x"):
        assert Client().get(f"/media/{name}").status_code == 404


def test_protect_moves_files_out_of_the_old_public_folder(
    users: dict, draft: Document, settings: Any, tmp_path: Path
) -> None:
    """An upgraded installation: its files still in DATA_DIR/media, where the proxy served them."""
    old = tmp_path / "old-media"
    settings.OLD_PUBLIC_MEDIA_ROOT = old
    stored = Path(draft.file.path)
    (old / draft.file.name).parent.mkdir(parents=True)
    stored.rename(old / draft.file.name)
    stray = str(Path(draft.file.name).parent / "stray.pdf")
    (old / stray).write_bytes(b"%PDF-1.7 orphan")
    (warning,) = old_public_media_check()
    assert warning.id == "terbuka.W001" and "terbuka documents protect" in warning.hint
    out = StringIO()
    call_command("terbuka_documents", "protect", stdout=out)
    assert "1 berkas dipindahkan" in out.getvalue()
    assert stray in out.getvalue()
    assert stored.read_bytes() == CONTENT
    assert not (old / draft.file.name).exists()
    assert client_for(users[Role.OPERATOR]).get(draft.get_absolute_url()).status_code == 200
    call_command("terbuka_documents", "protect", stdout=StringIO())  # again: nothing to do
    assert stored.read_bytes() == CONTENT
