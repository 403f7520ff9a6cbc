"""Shared test fixtures: paths to the shared material and the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = (REPO.parent / "shared").resolve()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """Return ../shared, failing loudly when it is missing (it is part of the test material)."""
    assert SHARED.is_dir(), f"shared material missing at {SHARED}"
    return SHARED
