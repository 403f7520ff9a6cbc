"""Read a published log for verification: over HTTP(S) or from a directory in export layout.

Both hold the C2SP tlog-tiles layout under one prefix: `checkpoint`, `tile/<L>/<N>[.p/<W>]`
and `tile/entries/<N>[.p/<W>]`, e.g. https://terbuka.example/log/checkpoint or
./ekspor/checkpoint. Missing files and network failures raise UnavailableError, which
`terbuka verify` reports as "cannot tell" (exit 3), never as "verified".
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from terbuka.bounds import json_faults, pointer
from terbuka.canonical import canonical_json, json_loads_checked
from terbuka.tlog.errors import MalformedError, UnavailableError

MAX_FETCH_BYTES = 16 << 20
TIMEOUT_SECONDS = 30.0
RELEASE_KIND = "ocds.release"


class LogSource(Protocol):
    """Read one file of a published log by its path relative to the log's prefix."""

    location: str

    def read(self, path: str) -> bytes:
        """Return the bytes at path; raise UnavailableError when they cannot be read."""
        ...


@dataclass(frozen=True)
class HttpAnswer:
    """Hold an HTTP answer of any status: status, content type (no parameters) and body."""

    status: int
    content_type: str
    body: bytes


def http_call(url: str, data: bytes | None = None, *, limit: int = MAX_FETCH_BYTES) -> HttpAnswer:
    """GET url (or POST data to it) and return the answer, whatever its status.

    Reads at most limit + 1 bytes of the body. Raises UnavailableError when the server
    cannot be reached (refused, timed out, name unknown).
    """
    request = urllib.request.Request(
        url,
        data=data,
        method="GET" if data is None else "POST",
        headers={"User-Agent": "terbuka"},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            body: bytes = response.read(limit + 1)
            return HttpAnswer(response.status, response.headers.get_content_type(), body)
    except urllib.error.HTTPError as exc:
        return HttpAnswer(exc.code, exc.headers.get_content_type(), exc.read(limit + 1))
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise UnavailableError(
            f"{url} tidak dapat dihubungi: {reason}",
            f"{url} cannot be reached: {reason}",
            where=url,
        ) from exc


def answer_body(answer: HttpAnswer, url: str) -> bytes:
    """Return the body of a 200 answer; raise UnavailableError on another status or > 16 MiB."""
    if answer.status != 200:
        raise UnavailableError(
            f"{url} menjawab HTTP {answer.status}",
            f"{url} answered HTTP {answer.status}",
            where=url,
        )
    if len(answer.body) > MAX_FETCH_BYTES:
        raise UnavailableError(
            f"{url} lebih dari 16 MiB", f"{url} is larger than 16 MiB", where=url
        )
    return answer.body


class HttpSource:
    """Read a log served over http:// or https:// (the prefix URL, e.g. .../log/).

    fetch answers a GET (http_call by default; a harvester passes its own).
    """

    def __init__(self, url: str, fetch: Callable[[str], HttpAnswer] = http_call) -> None:
        self.location = url if url.endswith("/") else url + "/"
        self._fetch = fetch

    def read(self, path: str) -> bytes:
        """Fetch prefix + path; raise UnavailableError on any HTTP or network failure."""
        url = self.location + path
        return answer_body(self._fetch(url), url)


class DirSource:
    """Read a log exported to a directory (`terbuka log export DIR`, a mirror, a USB stick)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.location = str(root)

    def read(self, path: str) -> bytes:
        """Read root/path; raise UnavailableError when it is missing or unreadable."""
        target = self.root / path
        try:
            return target.read_bytes()
        except OSError as exc:
            raise UnavailableError(
                f"berkas {target} tidak dapat dibaca: {exc.strerror}",
                f"file {target} cannot be read: {exc.strerror}",
                where=str(target),
            ) from exc


def open_source(spec: str) -> LogSource:
    """Return the source for a URL (http/https) or an existing directory.

    Raises MalformedError (a usage error) for another URL scheme or a missing directory.
    """
    if spec.startswith(("http://", "https://")):
        return HttpSource(spec)
    if "://" in spec:
        raise MalformedError(
            f"alamat {spec} harus http:// atau https://",
            f"address {spec} must be http:// or https://",
            where="SOURCE",
        )
    root = Path(spec)
    if not root.is_dir():
        raise MalformedError(
            f"{spec} bukan URL dan bukan direktori",
            f"{spec} is neither a URL nor a directory",
            where="SOURCE",
        )
    return DirSource(root)


def _canonical_entry(entry: dict[str, Any], bounded: bool, where: str) -> bytes:
    """Return entry's canonical bytes; raise MalformedError naming the first value out of bounds.

    bounded: parsing saw that nothing can be out of bounds (no walk needed).
    """
    for fault in () if bounded else json_faults(entry):
        raise MalformedError(
            f"{pointer(fault.path)}: {fault.message_id}",
            f"{pointer(fault.path)}: {fault.message_en}",
            where=where,
        )
    return canonical_json(entry)


def entry_from_record(data: bytes, *, where: str = "FILE") -> bytes:
    """Return the log entry bytes for a record file a citizen holds.

    Accepts the exact entry (`{"kind": ..., ...}`, canonicalised if pretty-printed) or a bare
    OCDS release (an object with "ocid"), which is wrapped as the log stores it:
    `{"kind":"ocds.release","release":{...}}` in RFC 8785 canonical JSON.
    Raises FormatError when data is not a JSON object of either shape, is nested too deeply,
    or holds a value out of bounds (terbuka.bounds: NUL, lone surrogate, number).
    """
    try:
        value, _plain, bounded = json_loads_checked(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise MalformedError(
            f"berkas rekaman bukan JSON: {exc}", f"the record file is not JSON: {exc}", where=where
        ) from exc
    except RecursionError as exc:
        raise MalformedError(
            "berkas rekaman bersarang terlalu dalam",
            "the record file is nested too deeply",
            where=where,
        ) from exc
    if isinstance(value, dict) and isinstance(value.get("kind"), str):
        return _canonical_entry(value, bounded, where)
    if isinstance(value, dict) and isinstance(value.get("ocid"), str):
        return _canonical_entry({"kind": RELEASE_KIND, "release": value}, bounded, where)
    raise MalformedError(
        'berkas rekaman harus berupa entri log ({"kind": ...}) atau rilis OCDS ({"ocid": ...})',
        'the record file must be a log entry ({"kind": ...}) or an OCDS release ({"ocid": ...})',
        where=where,
    )
