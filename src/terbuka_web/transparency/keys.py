"""Load the transparency log's signing key: from settings, a 0600 file, or DATA_DIR/log.key.

Order: TERBUKA_LOG_KEY (the skey text), TERBUKA_LOG_KEY_FILE (must be 0600), then
DATA_DIR/log.key; in debug or demo mode a missing DATA_DIR/log.key is generated with 0600
for the configured origin. Rotation is described in docs/keys.md.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from django.conf import settings

from terbuka.cli.keys import generate_command
from terbuka.errors import TerbukaError
from terbuka.tlog.note import Signer
from terbuka_web.config.env import SettingError, directory_make
from terbuka_web.config.secrets import read_secret_file, setting_secret


def log_origin() -> str:
    """Return the log's origin line, e.g. "demo.terbuka.example/log"."""
    origin: str = settings.TERBUKA["LOG_ORIGIN"]
    return origin


def log_key_path() -> Path:
    """Return the default key file, DATA_DIR/log.key."""
    return Path(settings.DATA_DIR) / "log.key"


def log_skey() -> str:
    """Return the log's signing key text (Go note format PRIVATE+KEY+name+id+b64).

    Raises SettingError when no key is configured outside debug/demo, or when the
    key file is readable by group or others.
    """
    return setting_secret(
        "LOG_KEY", default_file=log_key_path(), generate=log_key_generate,
        words=("kunci log", "log key"),
    )  # fmt: skip


def log_key_generate(path: Path) -> str:
    """Generate a key for the configured origin into path; return it (see key_file_generate)."""
    return key_file_generate(path, name=log_origin())


def key_file_generate(path: Path, *, name: str, witness: bool = False) -> str:
    """Generate a key named name into path with `terbuka keys generate`; return it.

    witness makes a cosignature/v1 key instead of a log (Ed25519) key. The file is created
    0600 and never overwritten; the vkey is printed for the operator. Raises
    SettingError when the file cannot be written or already exists.
    """
    directory_make(path.parent, "TERBUKA_DATA_DIR")
    if generate_command(argparse.Namespace(name=name, out=path, witness=witness)) != 0:
        raise SettingError(
            str(path), f"tidak dapat membuat kunci {path}", f"cannot generate the key {path}"
        )
    return read_secret_file(path)


def log_signer() -> Signer:
    """Return the Signer of the log key.

    Raises SettingError when the key is not a signed-note key, or when its name is not the
    configured origin (C2SP tlog-checkpoint: the key name should be the origin, so verifiers
    can find it).
    """
    try:
        signer = Signer.from_skey(log_skey())
    except TerbukaError as exc:
        raise SettingError(
            "TERBUKA_LOG_KEY", f"kunci log tidak sah: {exc.message_id}", f"bad log key: {exc}"
        ) from exc
    if signer.name != log_origin():
        raise SettingError(
            "TERBUKA_LOG_ORIGIN",
            f"nama kunci log {signer.name!r} tidak sama dengan origin {log_origin()!r}",
            f"log key name {signer.name!r} differs from origin {log_origin()!r}",
        )
    return signer


def log_vkey() -> str:
    """Return the verifier key text (name+id+b64) matching the log's signing key."""
    return log_signer().vkey
