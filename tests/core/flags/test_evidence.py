"""The facts shown beside a flag are read from the same compiled release the indicator read."""

from __future__ import annotations

from typing import Any

import pytest

from terbuka.flags.evidence import flag_evidence

TENDER: dict[str, Any] = {
    "procurementMethod": "open",
    "procurementMethodDetails": "Tender",
    "numberOfTenderers": 1,
    "tenderPeriod": {
        "startDate": "2026-03-02T00:00:00+07:00",
        "endDate": "2026-03-09T12:00:00+07:00",
    },
}


def release(**parts: Any) -> dict[str, Any]:
    return {"ocid": "ocds-tbk352-1", "tender": TENDER, **parts}


def money(amount: float) -> dict[str, Any]:
    return {"amount": amount, "currency": "IDR"}


@pytest.mark.parametrize(
    ("code", "parts", "facts"),
    [
        (
            "R003",
            {},
            {
                "days": 7,
                "threshold": 15,
                "start": "2026-03-02T00:00:00+07:00",
                "end": "2026-03-09T12:00:00+07:00",
            },
        ),
        ("R018", {}, {"tenderers": 1, "method": "Tender"}),
        (
            "ID001",
            {
                "awards": [{"id": "a", "value": money(100)}],
                "contracts": [{"awardID": "a", "value": money(125), "amendments": [{}]}],
            },
            {"award": 100.0, "contract": 125.0, "increase": 0.25, "threshold": 0.1},
        ),
        (
            "R036",
            {"bids": {"details": [{"status": "disqualified", "value": money(90)}]}},
            {"lowest": 90.0, "bids": 1},
        ),
        ("R024", {}, {}),  # compares processes: nothing to read from one release
    ],
)
def test_the_facts_of_each_flag(code: str, parts: dict[str, Any], facts: dict[str, Any]) -> None:
    assert flag_evidence(code, release(**parts)) == facts


def test_a_missing_fact_is_left_out_not_invented() -> None:
    assert flag_evidence("R003", {"tender": {}}) == {"threshold": 15}
    assert flag_evidence("ID002", {"tender": {"procurementMethodDetails": "Tender"}}) == {}
