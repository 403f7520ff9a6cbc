"""Load secrets from the environment or from files readable only by their owner (0600)."""

from __future__ import annotations

import functools
import os
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.utils.functional import lazy

from terbuka.errors import SecretFileError
from terbuka.secrets import read_secret_file as core_read_secret_file
from terbuka_web.config.env import SettingError, directory_make


def read_secret_file(path: Path, *, where: str = "") -> str:
    """Return the stripped content of a secret file after checking it is 0600 or stricter.

    Raises SettingError naming where (the setting that gives the file; default the
    path) when group or others may access it or it cannot be read.
    """
    try:
        return core_read_secret_file(path)
    except SecretFileError as exc:
        raise SettingError(where or str(path), exc.message_id, exc.message_en) from exc


def setting_secret(
    name: str, *, default_file: Path, generate: Callable[[Path], str], words: tuple[str, str],
    default_where: str = "",
) -> str:  # fmt: skip
    """Return secret TERBUKA_NAME from the setting, the 0600 file of TERBUKA_NAME_FILE, or
    default_file; when none exists, generate(default_file) in debug or demo mode.

    words names the secret in errors, e.g. ("kunci log", "log key"); default_where names the
    default file in them (default its path). Raises SettingError naming the variable when no
    secret is configured outside debug/demo or a file is readable by others or unreadable.
    """
    conf = settings.TERBUKA
    if conf.get(name):
        return str(conf[name]).strip()
    if conf.get(f"{name}_FILE"):
        return read_secret_file(Path(conf[f"{name}_FILE"]), where=f"TERBUKA_{name}_FILE")
    if default_file.exists():
        return read_secret_file(default_file, where=default_where)
    if not conf.get("LOG_KEY_GENERATE"):
        raise SettingError(
            f"TERBUKA_{name}",
            f"{words[0]} belum diatur: isi TERBUKA_{name} atau TERBUKA_{name}_FILE",
            f"no {words[1]}: set TERBUKA_{name} or TERBUKA_{name}_FILE",
        )
    return generate(default_file)


def load_secret(name: str, *, default_file: Path) -> str:
    """Return secret NAME from $NAME, from the file named by $NAME_FILE, or from default_file.

    A missing default_file is made (0600, a fresh random secret) when the secret is first
    used, not now, so a command that signs nothing creates no file. Raises
    SettingError naming the variable when a file is readable by others or unreadable.
    """
    if value := os.environ.get(name):
        return value
    if file_name := os.environ.get(f"{name}_FILE"):
        return read_secret_file(Path(file_name), where=f"{name}_FILE")
    if default_file.exists():
        return read_secret_file(default_file, where=f"{name}_FILE")
    first_use = functools.cache(functools.partial(secret_file_generate, default_file))
    text: str = lazy(first_use, str)()
    return text


def secret_fallbacks_load(name: str) -> list[str]:
    """Return the former secret keys in the file $NAME names, one per line ([] when unset).

    Raises SettingError naming the variable when the file is readable by others or unreadable.
    """
    if not (file_name := os.environ.get(name)):
        return []
    text = read_secret_file(Path(file_name), where=name)
    return [line.strip() for line in text.splitlines() if line.strip()]


def secret_file_generate(path: Path) -> str:
    """Write a fresh random secret to path (0600) unless it exists; return the file's secret.

    Two processes racing both return the secret of the one that linked its file first.
    Raises SettingError naming TERBUKA_DATA_DIR when the directory cannot be made.
    """
    directory_make(path.parent, "TERBUKA_DATA_DIR")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(50))
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(tmp)
    return read_secret_file(path, where="TERBUKA_DATA_DIR")
