"""Provide one valid StageDraft.data per stage (docs/stage-data.md), for tests and the demo."""

from __future__ import annotations

from typing import Any, Final

EXAMPLE_STAGE_DATA: Final[dict[str, dict[str, Any]]] = {
    "planning": {
        "budget_line": "5.02.02.2.01.0001",
        "funding_source": "APBD",
        "amount": 1_500_000_000,
        "project": "Rehabilitasi Jalan Poros Desa Ngasem",
        "rationale": "Jalan rusak berat sepanjang 2,1 km menghambat angkutan hasil panen.",
    },
    "tender": {
        "method": "tender",
        "period_start": "2026-03-02",
        "period_end": "2026-03-16",
        "hps": 1_450_000_000,
        "items": [
            {
                "description": "Lapis penetrasi macadam",
                "quantity": 2100,
                "unit": "m2",
                "unit_value": 650_000,
            },
            {"description": "Saluran tepi", "quantity": 12.5, "unit": "m3", "unit_value": 4_000},
        ],
        "amendment_rationale": "",
    },
    "award": {
        "suppliers": [{"name": "CV Maju Jaya", "npwp": "0012345678901000"}],
        "value": 1_398_000_000,
        "date": "2026-03-20",
        "status": "active",
    },
    "contract": {
        "number": "027/SPK/412.205/2026",
        "value": 1_398_000_000,
        "period_start": "2026-03-26",
        "period_end": "2026-08-22",
        "date_signed": "2026-03-25",
        "amendment_rationale": "",
    },
    "implementation": {
        "milestones": [
            {"title": "Pekerjaan tanah selesai", "status": "met", "date": "2026-05-04"},
            {"title": "Serah terima", "status": "scheduled", "date": "2026-08-22"},
        ],
        "transactions": [
            {
                "date": "2026-05-10",
                "amount": 419_400_000,
                "payee": "CV Maju Jaya",
                "payee_npwp": "0012345678901000",
            }
        ],
        "physical_progress": 60,
    },
}
