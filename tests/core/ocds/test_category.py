"""The tender release names its procurement category (OCDS mainProcurementCategory)."""

from __future__ import annotations

import pytest

from terbuka.ocds.build import release_build, release_validate
from terbuka.ocds.stage_examples import EXAMPLE_STAGE_DATA

INFO = {"title": "Jalan", "description": "", "buyer": {"id": "3522-dpupr", "name": "Dinas PU"}}


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        ("works", {"mainProcurementCategory": "works"}),
        ("goods", {"mainProcurementCategory": "goods"}),
        (
            "consultingServices",
            {
                "mainProcurementCategory": "services",
                "additionalProcurementCategories": ["consultingServices"],
            },
        ),
        ("", {}),
    ],
)
def test_tender_names_its_category(category: str, expected: dict[str, object]) -> None:
    release = release_build(
        ocid="ocds-tbk352-3522-dpupr-2026-000001", stage="tender",
        data=EXAMPLE_STAGE_DATA["tender"], previous_tags=["planning"],
        process_info={**INFO, "category": category}, date="2026-03-02T00:00:00+07:00",
        release_id="r-2", documents=[],
    )  # fmt: skip
    tender = release["tender"]
    assert {k: tender[k] for k in expected} == expected
    assert "mainProcurementCategory" in tender or not category
    release_validate(release)
