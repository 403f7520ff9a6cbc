"""Say what a budget publication records: a batch's digest and log entry, a government's totals.

One place for the rules both the one-file import (terbuka_web.budget.services) and the bulk
load (terbuka_web.budget.bulk) follow, so the log and the roll-ups cannot drift apart.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any, Final

from terbuka.canonical import canonical_json

ENTRY_KIND: Final = "budget.batch"


def lines_sha256(lines: list[dict[str, Any]]) -> str:
    """Return the SHA-256 (hex) of a batch's lines in canonical JSON."""
    return hashlib.sha256(canonical_json(lines)).hexdigest()


def batch_entry(
    *,
    batch: int,
    kind: str,
    region: str,
    agency: str | None,
    key: tuple[int, str, int],
    lines: list[dict[str, Any]],
    sha256: str,
    supersedes: list[int],
) -> tuple[str, dict[str, Any]]:
    """Return the "budget.batch" log entry of a batch: its ref and payload (without "kind").

    key is (year, phase, semester). Example ref: "anggaran/35.22/2026/dpa/1.03.0.00.0.00.01".
    """
    year, phase, semester = key
    ref = f"anggaran/{region}/{year}/{phase}" + (f"/{agency}" if agency else "")
    return ref, {
        "batch": batch,
        "type": kind,
        "region": region,
        "agency": agency,
        "year": year,
        "phase": phase,
        "semester": semester,
        "rows": len(lines),
        "total": sum(int(line["amount"]) for line in lines),
        "sha256": sha256,
        "supersedes": supersedes,
    }


def own_totals(sums: Mapping[tuple[Any, str], int]) -> tuple[int, int, int]:
    """Return one government's (planned, adjusted, realised) belanja from its sums per
    (agency, phase): adjusted is an agency's perubahan where it has one, else its DPA;
    realised sums the semesters."""
    agencies = {agency for agency, _phase in sums}
    planned = sum(sums.get((a, "dpa"), 0) for a in agencies)
    adjusted = sum(sums.get((a, "perubahan"), sums.get((a, "dpa"), 0)) for a in agencies)
    realised = sum(sums.get((a, "realisasi"), 0) for a in agencies)
    return planned, adjusted, realised
