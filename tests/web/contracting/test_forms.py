"""Stage forms: round-trip of docs/stage-data.md examples, and bilingual errors per field."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from terbuka.ocds.stage_examples import EXAMPLE_STAGE_DATA
from terbuka_web.contracting.forms import (
    STAGE_FORMS,
    RupiahField,
    draft_fields,
    stage_data_of,
    stage_forms_bind,
)


def as_post(stage: str, data: dict[str, Any]) -> dict[str, str]:
    """Return the POST a browser sends for data (main fields plus formset rows)."""
    _form, formsets = STAGE_FORMS[stage]
    post = {k: str(v) for k, v in data.items() if k not in formsets}
    for key in formsets:
        rows = data.get(key, [])
        post |= {
            f"{key}-TOTAL_FORMS": str(len(rows) + 1),
            f"{key}-INITIAL_FORMS": "0",
            f"{key}-MIN_NUM_FORMS": "0",
            f"{key}-MAX_NUM_FORMS": "50",
        }
        for n, row in enumerate(rows):
            post |= {f"{key}-{n}-{k}": str(v) for k, v in row.items()}
    return post


@pytest.mark.parametrize("stage", list(EXAMPLE_STAGE_DATA))
def test_example_data_round_trips_through_the_form(stage: str) -> None:
    data = EXAMPLE_STAGE_DATA[stage]
    form, formsets = stage_forms_bind(stage, as_post(stage, data), {})
    assert form.is_valid(), form.errors
    assert all(f.is_valid() for f in formsets.values()), [f.errors for f in formsets.values()]
    assert stage_data_of(form, formsets) == data


@pytest.mark.parametrize(
    ("stage", "change", "field", "text"),
    [
        ("contract", {"period_end": "2026-01-01"}, "period_end", "sebelum tanggal mulai"),
        ("contract", {"value": "-1"}, "value", "negative"),
        ("contract", {"date_signed": "2026-13-45"}, "date_signed", "YYYY-MM-DD"),
        ("implementation", {"physical_progress": "120"}, "physical_progress", "100 percent"),
        ("tender", {"hps": "1" + "0" * 16}, "hps", "10^15"),
        ("tender", {"method": "lelang"}, "method", ""),
        ("planning", {"funding_source": "PAD"}, "funding_source", ""),
    ],
)
def test_bad_values_are_reported_on_their_field(
    stage: str, change: dict, field: str, text: str
) -> None:
    post = as_post(stage, EXAMPLE_STAGE_DATA[stage]) | change
    form, _formsets = stage_forms_bind(stage, post, {})
    assert not form.is_valid()
    assert text in " ".join(form.errors[field])


def test_bad_payee_npwp_is_reported_on_its_row() -> None:
    data = EXAMPLE_STAGE_DATA["implementation"]
    post = as_post("implementation", data) | {"transactions-0-payee_npwp": "12.345"}
    _form, formsets = stage_forms_bind("implementation", post, {})
    rows = formsets["transactions"]
    assert not rows.is_valid()
    assert "NPWP tidak valid" in " ".join(rows.forms[0].errors["payee_npwp"])
    assert "Invalid NPWP" in " ".join(rows.forms[0].errors["payee_npwp"])


@pytest.mark.parametrize(
    ("typed", "rupiah"),
    [
        ("150000", 150_000),
        ("150.000", 150_000),
        ("1.500.000", 1_500_000),
        ("Rp 1.250.000.000", 1_250_000_000),
        ("Rp.75.000", 75_000),
    ],
)
def test_rupiah_amounts_read_the_indonesian_way(typed: str, rupiah: int) -> None:
    field = RupiahField(min_value=0)
    assert field.clean(typed) == rupiah


@pytest.mark.parametrize("typed", ["150,50", "1.50.000", "150.00", "12abc", "1.5 juta"])
def test_ambiguous_rupiah_amounts_are_refused(typed: str) -> None:
    with pytest.raises(ValidationError):
        RupiahField(min_value=0).clean(typed)


def test_blank_milestone_rows_as_a_browser_posts_them_are_ignored() -> None:
    data = EXAMPLE_STAGE_DATA["implementation"]
    post = as_post("implementation", data)
    rows = len(data["milestones"])
    post |= {"milestones-TOTAL_FORMS": str(rows + 3)}
    post |= {f"milestones-{n}-status": "scheduled" for n in range(rows, rows + 3)}
    form, formsets = stage_forms_bind("implementation", post, {})
    assert form.is_valid(), form.errors
    assert all(f.is_valid() for f in formsets.values()), [f.errors for f in formsets.values()]
    assert stage_data_of(form, formsets) == data


@pytest.mark.parametrize(
    ("language", "items", "milestones"),
    [
        ("id", "Saluran tepi; Volume: 12,5", "Status tahapan: Tercapai; Tanggal: 4 Mei 2026"),
        ("en", "Saluran tepi; Quantity: 12.5", "Milestone status: Met; Date: 4 May 2026"),
    ],
)
def test_a_draft_reads_in_words(language: str, items: str, milestones: str) -> None:
    with translation.override(language):
        tender = dict(draft_fields("tender", EXAMPLE_STAGE_DATA["tender"]))
        work = dict(draft_fields("implementation", EXAMPLE_STAGE_DATA["implementation"]))
    shown = " ".join(line for lines in [*tender.values(), *work.values()] for line in lines)
    assert items in shown and milestones in shown
    assert "Rp 1.450.000.000" in shown
    assert not {"met", "scheduled", "hps", "2026-05-04"} & set(shown.replace(";", " ").split())
