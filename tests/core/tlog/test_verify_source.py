"""Test reading a published log from a directory and over HTTP, and record canonicalisation."""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terbuka.errors import FormatError
from terbuka.tlog.errors import MalformedError, UnavailableError
from terbuka.tlog.verify_source import DirSource, HttpSource, entry_from_record, open_source

ENTRY = b'{"kind":"ocds.release","release":{"id":"r1","ocid":"ocds-tbk352-1"}}'


@pytest.fixture
def log_dir(tmp_path: Path) -> Path:
    (tmp_path / "tile" / "0").mkdir(parents=True)
    (tmp_path / "checkpoint").write_bytes(b"origin\n1\n")
    (tmp_path / "tile" / "0" / "000").write_bytes(b"x" * 32)
    return tmp_path


@pytest.fixture
def served(log_dir: Path) -> Iterator[str]:
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(log_dir))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_directory_source_reads_and_reports_missing(log_dir: Path) -> None:
    source = open_source(str(log_dir))
    assert isinstance(source, DirSource)
    assert source.read("tile/0/000") == b"x" * 32
    with pytest.raises(UnavailableError, match="tile/0/001"):
        source.read("tile/0/001")


def test_http_source_reads_and_reports_missing(served: str) -> None:
    source = open_source(served.rstrip("/"))
    assert isinstance(source, HttpSource)
    assert source.read("checkpoint") == b"origin\n1\n"
    with pytest.raises(UnavailableError, match="HTTP 404"):
        source.read("tile/entries/000")


def test_unreachable_server_is_unavailable() -> None:
    with contextlib.closing(__import__("socket").socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound but not listening: connection refused
        with pytest.raises(UnavailableError) as info:
            HttpSource(f"http://127.0.0.1:{port}/log").read("checkpoint")
    assert "tidak dapat dihubungi" in info.value.message_id


@pytest.mark.parametrize("spec", ["ftp://example.org/log", "/no/such/dir/anywhere"])
def test_bad_source_is_a_usage_error(spec: str) -> None:
    with pytest.raises(MalformedError, match="SOURCE"):
        open_source(spec)


def test_exact_entry_is_kept() -> None:
    assert entry_from_record(ENTRY) == ENTRY


def test_pretty_entry_and_bare_release_become_the_same_entry() -> None:
    pretty = b'{\n  "release": {"ocid": "ocds-tbk352-1", "id": "r1"},\n  "kind": "ocds.release"\n}'
    release = b'{"ocid": "ocds-tbk352-1", "id": "r1"}'
    assert entry_from_record(pretty) == ENTRY
    assert entry_from_record(release) == ENTRY


@pytest.mark.parametrize("data", [b"", b"\xff", b"[1]", b'{"id": 1}', b'{"kind": 3}'])
def test_bad_records(data: bytes) -> None:
    with pytest.raises(MalformedError) as info:
        entry_from_record(data, where="rilis.json")
    assert info.value.where == "rilis.json"


@given(st.binary())
def test_record_parse_never_crashes(data: bytes) -> None:
    with contextlib.suppress(FormatError):
        entry_from_record(data)
