"""Read secrets (signing keys, Django's secret key) from files only their owner may access."""

from __future__ import annotations

import stat
from pathlib import Path

from terbuka.errors import SecretFileError


def read_secret_file(path: Path, *, where: str = "") -> str:
    """Return the stripped UTF-8 text of path after checking it is mode 0600 or stricter.

    Raises SecretFileError when group or others have any access to the file (the fix is
    `chmod 600 PATH`) or when it cannot be read; where names the option or setting.
    """
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise SecretFileError(
                f"berkas rahasia {path} dapat diakses orang lain (mode {mode:o}), harus 0600; "
                f"jalankan chmod 600 {path}",
                f"secret file {path} is accessible to others (mode {mode:o}), must be 0600; "
                f"run chmod 600 {path}",
                where=where or str(path),
            )
        return path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise SecretFileError(
            f"berkas rahasia {path} tidak dapat dibaca: {exc.strerror}",
            f"secret file {path} cannot be read: {exc.strerror}",
            where=where or str(path),
        ) from exc
