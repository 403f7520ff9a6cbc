"""Paths of the test material that travels with the repository (tests/fixtures, README there)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
OCDS_FIXTURES = FIXTURES / "ocds"
TLOG_VECTORS = FIXTURES / "tlog-vectors"
CARDINAL_FIXTURES = FIXTURES / "cardinal-fixtures"
FLAGS_INDONESIA = FIXTURES / "flags-indonesia"
