"""Fuzz the tile path and entry bundle parsers; check the Go sumdb tile-path vectors for H=8."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.paths import TLOG_VECTORS

from terbuka.tlog import tiles
from terbuka.tlog.errors import MalformedError
from terbuka.tlog.tiles import TileRef

GOLDEN = TLOG_VECTORS / "golang-mod-sumdb-golden.json"

refs = st.builds(
    TileRef,
    level=st.integers(tiles.ENTRIES_LEVEL, tiles.MAX_LEVEL),
    index=st.one_of(st.integers(0, 2000), st.integers(0, 2**64)),
    width=st.one_of(st.just(tiles.TILE_WIDTH), st.integers(1, tiles.TILE_WIDTH)),
)
near_paths = st.lists(
    st.text(alphabet="0123456789x.p/-+ entris", max_size=6), min_size=1, max_size=7
).map(lambda parts: "tile/" + "/".join(parts))


@settings(max_examples=300, deadline=None)
@given(refs)
def test_format_then_parse_round_trips(ref: TileRef) -> None:
    path = tiles.tile_path(ref)
    assert tiles.parse_tile_path(path) == ref


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=40), near_paths))
def test_parse_tile_path_only_raises_malformed(path: str) -> None:
    try:
        ref = tiles.parse_tile_path(path)
    except MalformedError as err:
        assert err.message_id and err.message_en and err.message_id != err.message_en
    else:
        assert tiles.tile_path(ref) == path


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=300), max_size=tiles.TILE_WIDTH))
def test_entry_bundle_round_trips(entries: list[bytes]) -> None:
    data = tiles.format_entry_bundle(entries)
    assert tiles.parse_entry_bundle(data, len(entries)) == entries


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_parse_entry_bundle_only_raises_malformed(data: bytes) -> None:
    try:
        entries = tiles.parse_entry_bundle(data)
    except MalformedError:
        return
    assert tiles.format_entry_bundle(entries) == data


def _go_vectors() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(GOLDEN.read_text())["tlog"]["tile_paths"]
    return data


def _to_c2sp(go_path: str) -> str:
    """Drop the Go tile height H (C2SP fixes it at 8) and rename Go's data tiles to entries."""
    parts = go_path.split("/")
    return "/".join([parts[0], *(["entries"] if parts[2] == "data" else [parts[2]]), *parts[3:]])


@pytest.mark.parametrize("case", _go_vectors(), ids=lambda c: c["path"])
def test_go_tile_paths_without_height(case: dict[str, Any]) -> None:
    path = _to_c2sp(case["path"])
    if case["want_parse_error"]:
        with pytest.raises(MalformedError):
            tiles.parse_tile_path(path)
        return
    go = case["tile"]
    partial = go["W"] != 2 ** go["H"]  # a Go partial tile is a C2SP partial tile too
    want = TileRef(go["L"], go["N"], go["W"] if partial else tiles.TILE_WIDTH)
    assert tiles.parse_tile_path(path) == want
    assert tiles.tile_path(want) == path
