"""Check the security headers: a strict CSP with no inline script or style, HSTS, deploy check."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from terbuka_web.accounts.models import Role, User
from tests.web.factories import site_pages_create

SETTINGS_PROBE = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps([s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD,
                  s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE]))
"""
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=|\son[a-z]+=", re.I)


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """Return a production-like environment (no debug) for a settings subprocess."""
    # The browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE in this process (xdist may run
    # them in the same worker); a deployment never has it, and check --deploy reports it.
    skip = ("TERBUKA_", "DATABASE_", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    env.update(
        DJANGO_SETTINGS_MODULE="terbuka_web.config.settings",
        TERBUKA_DATA_DIR=str(tmp_path),
        TERBUKA_SECRET_KEY=secrets.token_urlsafe(50),
        TERBUKA_ALLOWED_HOSTS="terbuka.example.go.id",
        PYTHONPATH="src",
        **extra,
    )
    return env


def _probe(tmp_path: Path, **extra: str) -> list[Any]:
    done = subprocess.run(
        [sys.executable, "-c", SETTINGS_PROBE],
        env=_production_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        check=True,
    )
    return list(json.loads(done.stdout))


def test_hsts_on_with_subdomains_in_production_and_configurable(tmp_path: Path) -> None:
    assert _probe(tmp_path) == [31536000, True, False, True, True]
    assert _probe(tmp_path, TERBUKA_DEBUG="1") == [0, True, False, False, False]
    assert _probe(
        tmp_path, TERBUKA_HSTS_SECONDS="300", TERBUKA_HSTS_SUBDOMAINS="0", TERBUKA_HSTS_PRELOAD="1"
    ) == [300, False, True, True, True]


def test_deploy_check_is_clean_with_the_documented_production_settings(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(tmp_path, TERBUKA_SSL_REDIRECT="1"),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.django_db
def test_hsts_header_on_https_requests(settings: Any) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = Client().get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.fixture
def pages(db: Any, settings: Any) -> list[tuple[Client, str]]:
    """Return (client, path) of the portal, log, API docs, login and every operator form."""
    published, staff = site_pages_create(settings)
    agency = published.agency
    draft = published.pk
    public = [
        "/",
        "/?q=jalan",
        f"/proses/{published.ocid}/",
        "/kelengkapan/",
        "/log/saksi/",
        "/api/docs",
        "/akun/masuk/",
    ]
    operator_pages = [
        "/kelola/",
        "/kelola/proses/baru/",
        f"/kelola/proses/{draft}/",
        f"/kelola/proses/{draft}/award/",
        f"/kelola/proses/{draft}/award/dokumen/",
    ]
    ppk = Client()
    ppk.force_login(User.objects.create_user("ppk1", role=Role.PPK, agency=agency))
    return (
        [(Client(), p) for p in public]
        + [(staff, p) for p in operator_pages]
        + [(ppk, f"/kelola/proses/{draft}/award/terbitkan/")]
    )


def test_every_page_has_a_strict_csp_and_no_inline_script_or_style(
    pages: list[tuple[Client, str]],
) -> None:
    for client, path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        csp = response["Content-Security-Policy"]
        assert "script-src 'self';" in csp and "style-src 'self';" in csp, path
        assert "unsafe" not in csp and "frame-ancestors 'none'" in csp, path
        assert "camera=()" in response["Permissions-Policy"], path
        assert response["X-Frame-Options"] == "DENY", path
        assert response["Referrer-Policy"] == "same-origin", path
        assert response["X-Content-Type-Options"] == "nosniff", path
        page = response.content.decode()
        assert INLINE_SCRIPT.findall(page) == [], path
        assert INLINE_STYLE.findall(page) == [], path
