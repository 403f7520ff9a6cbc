"""Build the demo's road-works story: one process told through nine releases.

A citizen searching "jalan" or "aspal" finds "Peningkatan dan Pengaspalan Jalan Poros
Ngasem – Kalitidu": planned, tendered, its tender period extended by an amendment with its
reason, awarded, contracted, its contract period extended by an addendum with its reason,
and carried out over three progress reports with milestones met late, one still open, and
payments behind the physical progress. Every date lies in the last fiscal year before
today, so nothing published lies in the future.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from terbuka_web.common.demo.generate import AgencyInfo, DocumentSpec, ProcessSpec, Supplier

TITLE = "Peningkatan dan Pengaspalan Jalan Poros Ngasem – Kalitidu"
HPS = 2_850_000_000
VALUE = 2_697_500_000
MILESTONES = (
    "Mobilisasi dan pekerjaan persiapan",
    "Perkerasan dan pengaspalan 50%",
    "Serah terima pekerjaan (PHO)",
    "Masa pemeliharaan selesai (FHO)",
)


def road_story(agency: AgencyInfo, supplier: Supplier, key: int, today: dt.date) -> ProcessSpec:
    """Return the road-works process spec: its five stages and the re-publications after them."""
    year = today.year - 1

    def day(month: int, date: int) -> str:
        return dt.date(year, month, date).isoformat()

    spec = ProcessSpec(
        key,
        agency.code,
        agency.short,
        agency.name,
        TITLE,
        "Peningkatan dan pengaspalan jalan poros kabupaten sepanjang 3,2 km antara Kecamatan "
        f"Ngasem dan Kecamatan Kalitidu, lebar 5 m, beserta saluran tepi, tahun anggaran {year}.",
        year,
        "works",
    )
    payee = {"payee": supplier.name, "payee_npwp": supplier.npwp16}
    paid = [(day(4, 10), VALUE * 20 // 100), (day(6, 30), VALUE * 40 // 100)]
    report_20 = [("met", day(4, 20)), ("scheduled", day(6, 5)), ("scheduled", day(8, 4))]
    tender = {
        "method": "tender",
        "period_start": day(3, 2),
        "period_end": day(3, 16),
        "hps": HPS,
        "items": [
            {
                "description": "Lapis aspal beton (AC-WC)",
                "quantity": 16000,
                "unit": "m2",
                "unit_value": 142_000,
            },
            {
                "description": "Saluran tepi jalan pasangan batu",
                "quantity": 1200,
                "unit": "m",
                "unit_value": 410_000,
            },
        ],
        "amendment_rationale": "",
    }
    contract = {
        "number": f"027/KONTRAK/412.205/{year}",
        "value": VALUE,
        "period_start": day(4, 7),
        "period_end": day(8, 4),
        "date_signed": day(4, 6),
        "amendment_rationale": "",
    }
    spec.stages = {
        "planning": {
            "budget_line": "1.03.10.2.01.0035",
            "funding_source": "DAK",
            "amount": 3_000_000_000,
            "project": TITLE,
            "rationale": "Jalan poros rusak berat sepanjang 3,2 km; angkutan hasil panen dan "
            "anak sekolah terhambat pada musim hujan.",
        },
        "tender": tender,
        "award": {
            "suppliers": [{"name": supplier.name, "npwp": supplier.npwp16}],
            "value": VALUE,
            "date": day(3, 30),
            "status": "active",
        },
        "contract": contract,
        "implementation": _report(20, report_20, paid[:1], payee),
    }
    amended_tender = {
        **tender,
        "period_end": day(3, 23),
        "amendment_rationale": "Masa penawaran diperpanjang 7 hari: volume saluran tepi jalan "
        "dikoreksi dalam adendum dokumen pemilihan setelah peninjauan lapangan.",
    }
    amended_contract = {
        **contract,
        "period_end": day(9, 3),
        "amendment_rationale": "Adendum I: waktu pelaksanaan diperpanjang 30 hari karena curah "
        "hujan tinggi pada bulan Juni menghentikan pengaspalan (berita acara lapangan).",
    }
    documents = {
        name: DocumentSpec(stage, kind, f"{label} - {TITLE}", f"{name}-{year}-{key:05d}.pdf")
        for stage, kind, label, name in (
            ("planning", "procurementPlan", "DPA", "DPA"),
            ("tender", "technicalSpecifications", "KAK", "KAK"),
            ("award", "awardNotice", "Pengumuman Pemenang", "Pengumuman-Pemenang"),
            ("contract", "contractSigned", "Kontrak", "Kontrak"),
            ("implementation", "physicalProgressReport", "Laporan Kemajuan Fisik 20%", "Lap-20"),
            ("contract", "contractSigned", "Adendum I", "Adendum-I"),
            ("implementation", "physicalProgressReport", "Laporan Kemajuan Fisik 55%", "Lap-55"),
            ("implementation", "completionCertificate", "BA Serah Terima (PHO)", "BA-PHO"),
        )
    }
    spec.documents = [
        documents[n] for n in ("DPA", "KAK", "Pengumuman-Pemenang", "Kontrak", "Lap-20")
    ]
    report_55 = [("met", day(4, 20)), ("met", day(6, 14)), ("scheduled", day(9, 3))]
    report_100 = [*report_55[:2], ("met", day(9, 15)), ("scheduled", day(12, 14))]
    final = [*paid, (day(9, 25), VALUE * 35 // 100)]
    spec.updates = [
        ("tender", amended_tender, []),
        ("contract", amended_contract, [documents["Adendum-I"]]),
        ("implementation", _report(55, report_55, paid, payee), [documents["Lap-55"]]),
        ("implementation", _report(100, report_100, final, payee), [documents["BA-PHO"]]),
    ]
    return spec


def _report(
    progress: int,
    milestones: list[tuple[str, str]],
    transactions: list[tuple[str, int]],
    payee: dict[str, str],
) -> dict[str, Any]:
    """Return implementation stage data: milestones (status, date) in MILESTONES order."""
    return {
        "milestones": [
            {"title": title, "status": status, "date": date}
            for title, (status, date) in zip(MILESTONES, milestones, strict=False)
        ],
        "transactions": [{"date": d, "amount": a, **payee} for d, a in transactions],
        "physical_progress": progress,
    }
