"""Process exclusions, the main currency and price comparison settings, as in Cardinal."""

from __future__ import annotations

import json
from typing import Any

import pytest

from terbuka.flags.compute import flags_compute, results_json
from terbuka.flags.errors import FlagsInputError
from terbuka.flags.jsonl import read_objects
from terbuka.flags.registry import settings_load


def single_bid(ocid: Any, **tender: Any) -> dict[str, Any]:
    return {"ocid": ocid, "tender": {"numberOfTenderers": 1, "procurementMethod": "open", **tender}}


def lowest_disqualified(ocid: str, currency: str, details: str = "") -> dict[str, Any]:
    tender = {"procurementMethodDetails": details} if details else {}
    bids = [("disqualified", 1), ("valid", 2)]
    return {
        "ocid": ocid,
        "tender": tender,
        "awards": [{"status": "active"}],
        "bids": {
            "details": [
                {"status": s, "value": {"amount": a, "currency": currency}} for s, a in bids
            ]
        },
    }


def test_processes_without_string_ocid_cancelled_or_excluded_are_left_out() -> None:
    settings = settings_load(
        "[exclusions]\nprocurement_method_details = Swakelola\n[R018]", source="s"
    )
    releases = [
        single_bid("kept"),
        single_bid(7),
        single_bid("cancelled", status="cancelled"),
        single_bid("excluded", procurementMethodDetails="Swakelola"),
    ]
    assert flags_compute(releases, settings) == {"OCID": {"kept": {"R018": 1.0}}}


def test_main_currency_is_the_setting_or_else_the_first_observed() -> None:
    releases = [lowest_disqualified("usd", "USD"), lowest_disqualified("idr", "IDR")]
    first_seen = flags_compute(releases, settings_load("[R036]", source="s"))
    assert first_seen == {"OCID": {"usd": {"R036": 1.0}}}
    chosen = flags_compute(releases, settings_load("currency = IDR\n[R036]", source="s"))
    assert chosen == {"OCID": {"idr": {"R036": 1.0}}}


def test_price_comparison_allow_list_wins_over_deny_list() -> None:
    releases = [
        lowest_disqualified("tender", "IDR", "Tender"),
        lowest_disqualified("katalog", "IDR", "E-Purchasing"),
        lowest_disqualified("none", "IDR"),
    ]
    deny = "no_price_comparison_procurement_methods = E-Purchasing\n[R036]"
    assert set(flags_compute(releases, settings_load(deny, source="s"))["OCID"]) == {
        "tender",
        "none",
    }
    allow = "price_comparison_procurement_methods = Tender\n" + deny
    assert set(flags_compute(releases, settings_load(allow, source="s"))["OCID"]) == {"tender"}


def test_division_by_a_zero_winning_bid_is_written_as_null() -> None:
    bids = [("W", 0), ("L", 5)]
    release = {
        "ocid": "zero",
        "awards": [{"status": "active", "suppliers": [{"id": "W"}]}],
        "bids": {
            "details": [
                {
                    "status": "valid",
                    "tenderers": [{"id": t}],
                    "value": {"amount": a, "currency": "IDR"},
                }
                for t, a in bids
            ]
        },
    }
    results = flags_compute([release], settings_load("[R058]\nthreshold = 0.5", source="s"))
    assert json.loads(results_json(results)) == {
        "OCID": {"zero": {"R058": None}},
        "Tenderer": {"W": {"R058": 0.0}},
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"ocid": "a"}\n\n{"ocid": NaN}\n', "line 3 is not valid JSON"),
        ('{"ocid": "a"}\n["b"]\n', "line 2 is not a JSON object"),
        (b'{"ocid": "\xff"}\n', "line 1 is not valid JSON"),
    ],
)
def test_bad_lines_are_named(text: str | bytes, message: str) -> None:
    lines = text.splitlines(keepends=True)
    with pytest.raises(FlagsInputError) as caught:
        list(read_objects(lines, source="rilis.jsonl"))  # type: ignore[arg-type]
    assert message in caught.value.message_en
    assert caught.value.message_id.startswith("baris ")
    assert caught.value.where.startswith("rilis.jsonl:")
