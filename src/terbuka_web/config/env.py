"""Read settings from the environment, refusing a bad value with one line naming the variable.

Every function raises SettingError (an ImproperlyConfigured) naming the variable;
`terbuka` prints it as one line and exits 2 (terbuka_web.cli.run_django). Nothing here
creates a file or directory: the data directory is made when something is first written
into it (directory_make).
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from terbuka.errors import FormatError
from terbuka.workdays import days_off_parse

DATABASE_ENGINES = ("django.db.backends.sqlite3", "django.db.backends.postgresql")


class SettingError(ImproperlyConfigured):
    """Report a variable (name) whose value is wrong or missing, in Indonesian and English.

    Its text is the one line `terbuka` prints: `name: message_id / message_en`.
    """

    def __init__(self, name: str, message_id: str, message_en: str) -> None:
        self.name, self.message_id, self.message_en = name, message_id, message_en
        super().__init__(f"{name}: {message_id} / {message_en}")


def env_flag(name: str, default: bool = False) -> bool:
    """Return the boolean value of environment variable name ("1", "true", "yes" are true)."""
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int, *, minimum: int) -> int:
    """Return $name as a whole number of at least minimum (default when unset or empty)."""
    raw = os.environ.get(name, "").strip()
    try:
        value: int | None = int(raw) if raw else default
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise SettingError(
            name,
            f"harus bilangan bulat ≥ {minimum}, bukan {raw!r}",
            f"must be a whole number ≥ {minimum}, not {raw!r}",
        )
    return value


def env_float(name: str, default: float, *, minimum: float) -> float:
    """Return $name as a finite number of at least minimum (default when unset or empty)."""
    raw = os.environ.get(name, "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        value = float("nan")
    if not minimum <= value < float("inf"):
        raise SettingError(
            name,
            f"harus angka ≥ {minimum:g}, bukan {raw!r}",
            f"must be a number ≥ {minimum:g}, not {raw!r}",
        )
    return value


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """Return $name when it is one of choices (default when unset or empty)."""
    value = os.environ.get(name, "").strip() or default
    if value not in choices:
        allowed = ", ".join(choices)
        raise SettingError(
            name,
            f"harus salah satu dari {allowed}, bukan {value!r}",
            f"must be one of {allowed}, not {value!r}",
        )
    return value


def env_days_off(name: str) -> frozenset[datetime.date]:
    """Return $name as a set of extra days off, a comma-separated list of YYYY-MM-DD dates."""
    try:
        return days_off_parse(os.environ.get(name, ""))
    except FormatError as exc:
        raise SettingError(name, exc.message_id, exc.message_en) from exc


def env_required(name: str, because: str) -> str:
    """Return $name, which must be set because of the setting named in because."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise SettingError(name, f"wajib diisi bila {because}", f"must be set when {because}")
    return value


def data_dir_from_env() -> Path:
    """Return TERBUKA_DATA_DIR (default ./var) as an absolute path, without creating it.

    Refuses a path that is, or lies under, something other than a directory.
    """
    path = Path(os.environ.get("TERBUKA_DATA_DIR") or Path.cwd() / "var").resolve()
    existing = next(p for p in (path, *path.parents) if p.exists())
    if not existing.is_dir():
        raise SettingError(
            "TERBUKA_DATA_DIR",
            f"{existing} bukan direktori",
            f"{existing} is not a directory",
        )
    return path


def directory_make(path: Path, name: str) -> None:
    """Create directory path (and its parents) unless it exists; name is its setting.

    Raises SettingError naming the setting when it cannot be created or written.
    """
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SettingError(
            name,
            f"direktori {path} tidak dapat dibuat: {exc.strerror}",
            f"directory {path} cannot be created: {exc.strerror}",
        ) from exc
    if not os.access(path, os.W_OK | os.X_OK):
        raise SettingError(
            name,
            f"direktori {path} tidak dapat ditulisi",
            f"directory {path} is not writable",
        )


def database_from_env(default_url: str) -> dict[str, Any]:
    """Return Django's database settings from DATABASE_URL (default_url when unset).

    Only PostgreSQL and SQLite are supported; the error never repeats the URL, which may
    hold a password.
    """
    url = os.environ.get("DATABASE_URL", "").strip() or default_url
    scheme = url.split("://", 1)[0] if "://" in url else ""
    try:
        database: dict[str, Any] = dj_database_url.parse(url, conn_max_age=60)
    except ValueError as exc:
        raise SettingError(
            "DATABASE_URL",
            f"bukan URL basis data yang sah (skema {scheme!r})",
            f"is not a valid database URL (scheme {scheme!r})",
        ) from exc
    if database["ENGINE"] not in DATABASE_ENGINES:
        raise SettingError(
            "DATABASE_URL",
            f"hanya postgres:// dan sqlite:// yang didukung, bukan {scheme}://",
            f"only postgres:// and sqlite:// are supported, not {scheme}://",
        )
    return database
