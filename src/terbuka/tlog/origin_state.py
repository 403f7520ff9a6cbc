"""Keep durable per-origin tree state: the last size and root accepted for each log origin.

A witness (last tree it cosigned) and `terbuka verify` (last tree it saw) both must never accept
a later tree inconsistent with it. The state is one small JSON file, rewritten atomically
(temporary file, fsync, rename, fsync of the directory) before the witness answers, so a crash
never lets it cosign a fork of a tree it already cosigned (C2SP tlog-witness: the witness
persists the new checkpoint before returning the cosignature).

File format (UTF-8 JSON, roots in standard base64):

    {"origins": {"terbuka.example/log":
                 {"size": 42, "root": "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="}}}
"""

from __future__ import annotations

import base64
import json
import os
import tempfile
import threading
from pathlib import Path

from terbuka.tlog.errors import MalformedError


def default_state_path(name: str) -> Path:
    """Return $XDG_STATE_HOME/terbuka/name, by default ~/.local/state/terbuka/name."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "terbuka" / name


class OriginState:
    """Hold the last cosigned (size, root) per origin, persisted in one JSON file."""

    def __init__(self, path: Path, origins: dict[str, tuple[int, bytes]]) -> None:
        self.path = path
        self._origins = origins
        self.lock = threading.Lock()

    @classmethod
    def load(cls, path: Path) -> OriginState:
        """Read the state file at path, or start empty when it does not exist yet.

        Raises MalformedError when the file cannot be read or is not a valid state file.
        """
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path, {})
        except (OSError, UnicodeDecodeError) as exc:
            raise MalformedError(
                f"berkas status {path} tidak dapat dibaca: {exc}",
                f"state file {path} cannot be read: {exc}",
                where=str(path),
            ) from exc
        return cls(path, parse_state(text, where=str(path)))

    def get(self, origin: str) -> tuple[int, bytes | None]:
        """Return the last cosigned (size, root) for origin, or (0, None) if never cosigned."""
        size, root = self._origins.get(origin, (0, None))
        return size, root

    def put(self, origin: str, size: int, root: bytes) -> None:
        """Record (size, root) for origin and persist the whole state durably before returning.

        Raises OSError when the file cannot be written (the caller must then not answer 200).
        """
        updated = {**self._origins, origin: (size, root)}
        write_atomically(self.path, format_state(updated).encode("utf-8"))
        self._origins = updated


def format_state(origins: dict[str, tuple[int, bytes]]) -> str:
    """Return the JSON text of a state mapping origin → (size, root)."""
    data = {
        origin: {"size": size, "root": base64.b64encode(root).decode("ascii")}
        for origin, (size, root) in sorted(origins.items())
    }
    return json.dumps({"origins": data}, indent=1, sort_keys=True) + "\n"


def parse_state(text: str, *, where: str = "") -> dict[str, tuple[int, bytes]]:
    """Parse a state file's text into origin → (size, root).

    Raises MalformedError naming the file when the JSON or a field is wrong.
    """
    try:
        raw = json.loads(text)["origins"]
        origins = {
            str(origin): (entry["size"], base64.b64decode(entry["root"], validate=True))
            for origin, entry in raw.items()
        }
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise MalformedError(
            f"berkas status tidak sah: {exc}",
            f"the state file is malformed: {exc}",
            where=where,
        ) from exc
    for origin, (size, root) in origins.items():
        if type(size) is not int or size < 0 or len(root) != 32:
            raise MalformedError(
                f"status untuk {origin} harus berisi size ≥ 0 dan root 32 bita",
                f"the state for {origin} needs a size ≥ 0 and a 32-byte root",
                where=where,
            )
    return origins


def write_atomically(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Replace path with data so that readers see the old or the new content, never a mix.

    Writes a temporary file in the same directory, fsyncs it, renames it over path and
    fsyncs the directory, so the new content survives a power loss once this returns.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
