"""Check request bodies are refused by their declared size before anything reads or spools them."""

from __future__ import annotations

import contextlib
import secrets
import socket
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.test import Client
from pytest_django.fixtures import Settings

from terbuka.human import size_words
from terbuka_web.accounts.models import Role
from terbuka_web.contracting.models import Document, Process

from .test_views import client_for

MIB = 1024 * 1024


def _post_head(path: str, length: int, cookie: str = "") -> bytes:
    """Return the request line, headers and start of a multipart PDF upload declaring length."""
    boundary = "terbuka" + secrets.token_hex(8)
    start = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nBesar\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="besar.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-1.7\n"
    )
    head = (
        f"POST {path} HTTP/1.1\r\nHost: localhost\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {length}\r\n" + (f"Cookie: {cookie}\r\n" if cookie else "") + "\r\n"
    )
    return (head + start).encode()


def _send_and_watch(live_server: Any, path: str, length: int, spool: Path, cookie: str = "") -> str:
    """Send the head and 1 MiB of a body declaring length; return the status line.

    Fails when, meanwhile, a temporary upload file appears in spool (the body was spooled).
    """
    url = urlparse(live_server.url)
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(_post_head(path, length, cookie))
        with contextlib.suppress(OSError):  # the server may answer and close unread: fine
            sock.sendall(b"\0" * MIB)
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            assert list(spool.iterdir()) == [], "the body was spooled to a temporary file"
            time.sleep(0.05)
        answer = sock.recv(4096).decode("utf-8", "replace")
    return answer


@pytest.mark.parametrize(("who", "mib"), [("anonymous", 300), ("operator", 200)])
@pytest.mark.django_db(transaction=True)
def test_a_huge_post_is_refused_unread(
    live_server: Any,
    users: dict,
    process: Process,
    settings: Settings,
    tmp_path: Path,
    who: str,
    mib: int,
) -> None:
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    # anyone gets a CSRF cookie, and then the CSRF check reads the body
    cookie = f"{settings.CSRF_COOKIE_NAME}={secrets.token_hex(16)}"
    limit = settings.ANONYMOUS_BODY_MAX_BYTES
    if who == "operator":
        session = client_for(users[Role.OPERATOR]).cookies[settings.SESSION_COOKIE_NAME].value
        cookie += f"; {settings.SESSION_COOKIE_NAME}={session}"
        limit = settings.MAX_UPLOAD_BYTES + settings.UPLOAD_OVERHEAD_BYTES
    upload = f"/kelola/proses/{process.pk}/planning/dokumen/"
    answer = _send_and_watch(live_server, upload, mib * MIB, tmp_path, cookie)
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
    assert "Permintaan terlalu besar" in answer and "Request too large" in answer
    assert f"melebihi batas {size_words(limit)[0]}" in answer and " MB" in answer
    assert Document.objects.count() == 0


@pytest.mark.django_db
def test_each_path_has_its_limit(users: dict, process: Process) -> None:
    upload = f"/kelola/proses/{process.pk}/planning/dokumen/"
    body = b"x" * (settings.ANONYMOUS_BODY_MAX_BYTES + 1)
    anonymous = Client().post("/akun/masuk/", body, content_type="text/plain")
    assert anonymous.status_code == 413
    assert Client().post(upload, body, content_type="text/plain").status_code == 413
    operator = client_for(users[Role.OPERATOR])
    form = b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    edit = f"/kelola/proses/{process.pk}/planning/"
    assert operator.post(edit, form, content_type="text/plain").status_code == 413
    # the same size is an ordinary (here: invalid) upload request, not refused by its size
    assert operator.post(upload, form, content_type="text/plain").status_code == 400
