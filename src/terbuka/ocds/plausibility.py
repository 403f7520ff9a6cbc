"""Check operator-entered stage data (docs/stage-data.md) for impossible and implausible values.

Impossible values are errors: dates outside OPERATOR_YEARS, an award before its tender opened,
a contract signed before its award. Implausible values are warnings an operator must confirm
(the confirmation is recorded with the draft and the release): a value or quantity of 0, an
estimate (HPS) above the budget (pagu), an award above the estimate or budget, a contract above
its award, payments above the contract, a tender period over TENDER_DAYS days, a contract
period over CONTRACT_DAYS days, a date more than a year from the fiscal year.
Rules: Perpres 16/2018 jo. 12/2021 Pasal 26 (HPS ≤ pagu), Pasal 27 (tender period).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from terbuka.human import date_words

OPERATOR_YEARS = range(2000, 2101)
TENDER_DAYS = 90
CONTRACT_DAYS = 3 * 365
MONEY = {
    "planning": ("amount",),
    "tender": ("hps",),
    "award": ("value",),
    "contract": ("value",),
}
ROW_MONEY = {"items": "unit_value", "transactions": "amount"}
DATES = {
    "tender": ("period_start", "period_end"),
    "award": ("date",),
    "contract": ("date_signed", "period_start", "period_end"),
}
ROW_DATES = {"milestones": "date", "transactions": "date"}


@dataclass(frozen=True)
class Concern:
    """Describe one impossible (error) or implausible (warning) value of a stage's data.

    key names it for a confirmation, e.g. "zero_value:amount"; field is the form field
    ("amount", "items/0/quantity").
    """

    code: str
    field: str
    message_id: str
    message_en: str
    severity: str = "warning"

    @property
    def key(self) -> str:
        """Return the stable name a confirmation refers to: "<code>:<field>"."""
        return f"{self.code}:{self.field}"


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _rp(amount: int) -> str:
    return f"Rp {amount:,}".replace(",", ".")


def stage_concerns(
    stage: str, data: Mapping[str, Any], earlier: Mapping[str, Mapping[str, Any]], fiscal_year: int
) -> list[Concern]:
    """Return the errors and warnings of stage's data, given the earlier stages' data.

    earlier maps a stage name to its draft data (e.g. {"planning": {...}, "tender": {...}}).
    Example: stage_concerns("planning", {"amount": 0, …}, {}, 2026) →
    [Concern("zero_value", "amount", "nilai Rp 0 …", "a value of IDR 0 …")].
    """
    found = _date_concerns(stage, data, fiscal_year)
    found += _zero_concerns(stage, data)
    found += _order_concerns(stage, data, earlier)
    found += _ceiling_concerns(stage, data, earlier)
    return found


def _dated(stage: str, data: Mapping[str, Any]) -> list[tuple[str, date]]:
    fields = [(name, data.get(name)) for name in DATES.get(stage, ())]
    for key, name in ROW_DATES.items():
        rows = data.get(key) if stage == "implementation" else None
        fields += [(f"{key}/{i}/{name}", row.get(name)) for i, row in enumerate(rows or [])]
    return [(name, day) for name, value in fields if (day := _date(value)) is not None]


def _date_concerns(stage: str, data: Mapping[str, Any], fiscal_year: int) -> list[Concern]:
    found = []
    first, last = OPERATOR_YEARS[0], OPERATOR_YEARS[-1]
    for name, day in _dated(stage, data):
        day_id, day_en = date_words(day)
        if day.year not in OPERATOR_YEARS:
            found.append(
                Concern(
                    "date_range",
                    name,
                    f"tanggal {day_id} di luar tahun {first}–{last}",
                    f"the date {day_en} is outside the years {first}–{last}",
                    "error",
                )
            )
        elif abs(day.year - fiscal_year) > 1 and not name.endswith("period_end"):
            found.append(
                Concern(
                    "far_year",
                    name,
                    f"tanggal {day_id} jauh dari tahun anggaran {fiscal_year}",
                    f"the date {day_en} is far from the fiscal year {fiscal_year}",
                )
            )
    for period, days in (("tender", TENDER_DAYS), ("contract", CONTRACT_DAYS)):
        start, end = _date(data.get("period_start")), _date(data.get("period_end"))
        if stage == period and start and end and (end - start).days > days:
            found.append(
                Concern(
                    "long_period",
                    "period_end",
                    f"periode {(end - start).days} hari, lebih dari {days} hari",
                    f"the period lasts {(end - start).days} days, more than {days}",
                )
            )
    return found


def _zero_concerns(stage: str, data: Mapping[str, Any]) -> list[Concern]:
    zero_id, zero_en = "nilai Rp 0 tidak lazim", "a value of IDR 0 is implausible"
    found = [
        Concern("zero_value", f, zero_id, zero_en) for f in MONEY.get(stage, ()) if data.get(f) == 0
    ]
    for key, name in ROW_MONEY.items():
        for i, row in enumerate(data.get(key) or []):
            if row.get(name) == 0:
                found.append(Concern("zero_value", f"{key}/{i}/{name}", zero_id, zero_en))
            if key == "items" and row.get("quantity") == 0:
                found.append(
                    Concern(
                        "zero_quantity",
                        f"items/{i}/quantity",
                        "volume 0 tidak lazim",
                        "a quantity of 0 is implausible",
                    )
                )
    return found


def _order_concerns(
    stage: str, data: Mapping[str, Any], earlier: Mapping[str, Mapping[str, Any]]
) -> list[Concern]:
    """Return errors for an award before its tender opened and a contract signed before it."""
    pairs = {
        "award": ("date", "tender", "period_start", "pemilihan dimulai", "the tender opened"),
        "contract": ("date_signed", "award", "date", "penetapan pemenang", "the award"),
    }
    if stage not in pairs:
        return []
    name, before_stage, before_name, what_id, what_en = pairs[stage]
    day = _date(data.get(name))
    before = _date(earlier.get(before_stage, {}).get(before_name))
    if day is None or before is None or day >= before:
        return []
    (day_id, day_en), (before_id, before_en) = date_words(day), date_words(before)
    return [
        Concern(
            "date_order",
            name,
            f"tanggal {day_id} lebih awal dari {what_id} ({before_id})",
            f"the date {day_en} is before {what_en} ({before_en})",
            "error",
        )
    ]


def _ceiling_concerns(
    stage: str, data: Mapping[str, Any], earlier: Mapping[str, Mapping[str, Any]]
) -> list[Concern]:
    """Return warnings for a value above the one an earlier stage set as its ceiling."""
    ceilings = {
        "tender": [("hps", "planning", "amount", "pagu anggaran", "the budget")],
        "award": [
            ("value", "tender", "hps", "HPS", "the estimate (HPS)"),
            ("value", "planning", "amount", "pagu anggaran", "the budget"),
        ],
        "contract": [("value", "award", "value", "nilai pemenang", "the award")],
    }
    found = []
    for name, other, other_name, what_id, what_en in ceilings.get(stage, []):
        value, ceiling = data.get(name), earlier.get(other, {}).get(other_name)
        if isinstance(value, int) and isinstance(ceiling, int) and value > ceiling:
            found.append(
                Concern(
                    f"above_{other}",
                    name,
                    f"{_rp(value)} melebihi {what_id} {_rp(ceiling)}",
                    f"IDR {value:,} exceeds {what_en} of IDR {ceiling:,}",
                )
            )
    paid = sum(
        r.get("amount", 0) for r in data.get("transactions") or [] if stage == "implementation"
    )
    contract = earlier.get("contract", {}).get("value")
    if isinstance(contract, int) and paid > contract:
        found.append(
            Concern(
                "above_contract",
                "transactions",
                f"pembayaran {_rp(paid)} melebihi nilai kontrak {_rp(contract)}",
                f"payments of IDR {paid:,} exceed the contract value of IDR {contract:,}",
            )
        )
    return found
