"""What a budget publication records: its log entry and a government's own totals."""

from __future__ import annotations

from terbuka.budget.publication import batch_entry, lines_sha256, own_totals


def test_adjusted_is_perubahan_where_an_agency_has_one_else_its_dpa() -> None:
    sums = {
        (1, "dpa"): 100,
        (1, "perubahan"): 120,
        (1, "realisasi"): 90,
        (2, "dpa"): 50,
        (3, "realisasi"): 7,  # realised without a budget of its own still counts
    }
    assert own_totals(sums) == (150, 170, 97)
    assert own_totals({}) == (0, 0, 0)


def test_batch_entry_names_its_government_and_sums_its_lines() -> None:
    lines = [{"account": "5.1", "amount": 10}, {"account": "5.2", "amount": "5"}]
    ref, payload = batch_entry(
        batch=7,
        kind="apbdes",
        region="35.22.01.2001",
        agency=None,
        key=(2026, "realisasi", 2),
        lines=lines,
        sha256=lines_sha256(lines),
        supersedes=[3],
    )
    assert ref == "anggaran/35.22.01.2001/2026/realisasi"
    assert payload["rows"] == 2 and payload["total"] == 15 and payload["semester"] == 2
    assert payload["supersedes"] == [3] and len(payload["sha256"]) == 64
    agency_ref, _payload = batch_entry(
        batch=8,
        kind="apbd",
        region="35.22",
        agency="1.03.0.00.0.00.01",
        key=(2026, "dpa", 0),
        lines=[],
        sha256=lines_sha256([]),
        supersedes=[],
    )
    assert agency_ref == "anggaran/35.22/2026/dpa/1.03.0.00.0.00.01"
