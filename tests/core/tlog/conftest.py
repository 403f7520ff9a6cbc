"""Fixtures for the signed-format tests: the shared tlog vectors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="session")
def vectors_dir(shared_dir: Path) -> Path:
    """Return /work/shared/tlog-vectors."""
    return shared_dir / "tlog-vectors"


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
