"""Test the durable per-origin state file shared by the witness and `terbuka verify`."""

from __future__ import annotations

import contextlib
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terbuka.tlog.errors import MalformedError
from terbuka.tlog.origin_state import OriginState, format_state, parse_state, write_atomically

ROOT = bytes(range(32))
GOLDEN = (
    '{\n "origins": {\n  "terbuka.example/log": {\n'
    '   "root": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",\n   "size": 42\n  }\n }\n}\n'
)


def test_missing_file_is_empty_state(tmp_path: Path) -> None:
    state = OriginState.load(tmp_path / "none.json")
    assert state.get("terbuka.example/log") == (0, None)


def test_put_persists_atomically_with_owner_only_mode(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "state.json"
    state = OriginState.load(path)
    state.put("terbuka.example/log", 42, ROOT)
    assert path.read_text() == GOLDEN
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert OriginState.load(path).get("terbuka.example/log") == (42, ROOT)
    assert [p.name for p in path.parent.iterdir()] == ["state.json"]  # no temporary left


def test_failed_write_keeps_old_content(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    write_atomically(path, b"old")

    with pytest.raises(TypeError):
        write_atomically(path, 12345)  # type: ignore[arg-type]  # fails inside the write
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


def test_round_trip_golden() -> None:
    assert format_state({"terbuka.example/log": (42, ROOT)}) == GOLDEN
    assert parse_state(GOLDEN) == {"terbuka.example/log": (42, ROOT)}


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{}",
        '{"origins": []}',
        '{"origins": {"o": {"size": 1}}}',
        '{"origins": {"o": {"size": -1, "root": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}}}',
        '{"origins": {"o": {"size": "1", "root": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}}}',
        '{"origins": {"o": {"size": 1, "root": "AAEC"}}}',
    ],
)
def test_bad_state_files(tmp_path: Path, text: str) -> None:
    path = tmp_path / "state.json"
    path.write_text(text)
    with pytest.raises(MalformedError) as info:
        OriginState.load(path)
    assert info.value.where == str(path)
    assert "tidak sah" in info.value.message_id or "harus" in info.value.message_id


@given(st.text())
def test_parse_never_crashes(text: str) -> None:
    with contextlib.suppress(MalformedError):
        parse_state(text)


def test_unreadable_state_is_malformed(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    with pytest.raises(MalformedError, match="cannot be read"):
        OriginState.load(tmp_path / "file" / "state.json")
