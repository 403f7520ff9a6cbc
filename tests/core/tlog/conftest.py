"""Fixtures for the signed-format tests: the tlog vectors in tests/fixtures."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from tests.paths import TLOG_VECTORS

from terbuka.tlog import hashing, tree


@pytest.fixture(scope="session")
def vectors_dir() -> Path:
    """Return tests/fixtures/tlog-vectors."""
    return TLOG_VECTORS


@pytest.fixture(scope="session")
def c2sp(vectors_dir: Path) -> Path:
    """Return the folder of C2SP spec examples."""
    return vectors_dir / "c2sp-examples"


@pytest.fixture(scope="session")
def sumdb_golden(vectors_dir: Path) -> dict[str, Any]:
    """Return golang-mod-sumdb-golden.json."""
    data: dict[str, Any] = json.loads((vectors_dir / "golang-mod-sumdb-golden.json").read_text())
    return data


@pytest.fixture(scope="session")
def formats_golden(vectors_dir: Path) -> dict[str, Any]:
    """Return transparency-dev-formats-golden.json."""
    data: dict[str, Any] = json.loads(
        (vectors_dir / "transparency-dev-formats-golden.json").read_text()
    )
    return data


class MemoryTree:
    """Append entries and produce roots and proofs, storing hashes in a list."""

    def __init__(self, entries: Sequence[bytes] = ()) -> None:
        self.hashes: list[bytes] = []
        self.size = 0
        for entry in entries:
            self.append(entry)

    def read(self, indexes: Sequence[int]) -> list[bytes]:
        return [self.hashes[i] for i in indexes]

    def append(self, entry: bytes) -> None:
        self.hashes += tree.stored_hashes(self.size, hashing.leaf_hash(entry), self.read)
        self.size += 1

    def root(self, size: int | None = None) -> bytes:
        return tree.tree_hash(self.size if size is None else size, self.read)

    def inclusion(self, size: int, index: int) -> list[bytes]:
        return tree.prove_inclusion(size, index, self.read)

    def consistency(self, new_size: int, old_size: int) -> list[bytes]:
        return tree.prove_consistency(new_size, old_size, self.read)


@pytest.fixture
def new_tree() -> Callable[..., MemoryTree]:
    """Return the MemoryTree class, to build in-memory logs."""
    return MemoryTree
