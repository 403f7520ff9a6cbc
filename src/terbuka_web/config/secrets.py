"""Load secrets from the environment or from files readable only by their owner (0600)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from terbuka.errors import SecretFileError
from terbuka.secrets import read_secret_file as core_read_secret_file


def read_secret_file(path: Path) -> str:
    """Return the stripped content of a secret file after checking it is 0600 or stricter.

    Raises ImproperlyConfigured when group or others may access it or it cannot be read.
    """
    try:
        return core_read_secret_file(path)
    except SecretFileError as exc:
        raise ImproperlyConfigured(f"{exc.message_id} / {exc.message_en}") from exc


def load_secret(name: str, *, default_file: Path, generate: bool) -> str:
    """Return secret NAME from $NAME, from the file named by $NAME_FILE, or from default_file.

    With generate, a missing default_file is created with 0600 and a fresh random secret
    (development and demo only); production sets $NAME or $NAME_FILE.
    """
    if value := os.environ.get(name):
        return value
    if file_name := os.environ.get(f"{name}_FILE"):
        return read_secret_file(Path(file_name))
    if default_file.exists():
        return read_secret_file(default_file)
    if not generate:
        raise ImproperlyConfigured(f"{name} atau {name}_FILE wajib diisi / must be set")
    default_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(default_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_urlsafe(50))
    return read_secret_file(default_file)
