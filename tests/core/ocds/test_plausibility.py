"""Test terbuka.ocds.plausibility on the documented example and the values issue 8 found."""

from __future__ import annotations

from terbuka.ocds.codes import STAGES
from terbuka.ocds.plausibility import stage_concerns
from terbuka.ocds.stage_examples import EXAMPLE_STAGE_DATA


def test_example_stage_data_is_plausible() -> None:
    earlier: dict = {}
    for stage in STAGES:
        assert stage_concerns(stage, EXAMPLE_STAGE_DATA[stage], earlier, 2026) == []
        earlier[stage] = EXAMPLE_STAGE_DATA[stage]


def keys(stage: str, change: dict, earlier: dict | None = None, year: int = 2026) -> list:
    data = {**EXAMPLE_STAGE_DATA[stage], **change}
    found = stage_concerns(stage, data, earlier or EXAMPLE_STAGE_DATA, year)
    return [(c.key, c.severity) for c in found]


def test_impossible_values_are_errors() -> None:
    assert keys("tender", {"period_start": "0201-03-02", "period_end": "9999-12-31"}) == [
        ("date_range:period_start", "error"),
        ("date_range:period_end", "error"),
        ("long_period:period_end", "warning"),
    ]
    assert keys("award", {"date": "2026-03-01"}) == [("date_order:date", "error")]
    assert keys("contract", {"date_signed": "2026-03-19"}) == [("date_order:date_signed", "error")]


def test_implausible_values_are_warnings() -> None:
    zero = {"planning": {"amount": 0}, "tender": {"hps": 0, "period_start": "2026-03-02"}}
    assert keys("planning", {"amount": 0}) == [("zero_value:amount", "warning")]
    assert keys("award", {"value": 5_000_000_000}, zero) == [
        ("above_tender:value", "warning"),
        ("above_planning:value", "warning"),
    ]
    items = [{**EXAMPLE_STAGE_DATA["tender"]["items"][0], "quantity": 0}]
    assert keys("tender", {"items": items, "period_end": "2026-12-31"}) == [
        ("long_period:period_end", "warning"),
        ("zero_quantity:items/0/quantity", "warning"),
    ]
    assert keys("tender", {"hps": 2_000_000_000}) == [("above_planning:hps", "warning")]
    assert keys("contract", {"value": 1_400_000_000}) == [("above_award:value", "warning")]
    assert keys("award", {}, year=2020) == [("far_year:date", "warning")]
    paid = [{**EXAMPLE_STAGE_DATA["implementation"]["transactions"][0], "amount": 2 * 10**9}]
    assert keys("implementation", {"transactions": paid}) == [
        ("above_contract:transactions", "warning")
    ]
