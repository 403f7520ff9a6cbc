"""Seed the demo budgets of Kabupaten Bojonegoro (called by `terbuka demo`).

- DJPK summaries 2021–2024 (data/djpk, real figures) as the regency's reported totals.
- A generated detailed APBD 2023–2026 for the demo agencies whose spending per jenis equals
  the DJPK summary of 2023 and 2024 (2025 and 2026 grow from 2024), with the sub-kegiatan
  of every demo process among its lines, so each process links to its budget line.
- Generated APBDes 2025–2026 for every desa (kelurahan have none), with a perubahan for
  about half of them, realisation per semester, and 1–3 village projects each.
Idempotent: a year already holding batches of a kind is left alone.
"""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path
from typing import Any

from terbuka.budget.djpk import SummaryLine, djpk_parse
from terbuka.budget.programmes import programme_parse
from terbuka.errors import TerbukaError
from terbuka_web.accounts.models import Agency
from terbuka_web.budget.bulk import BatchSpec, batches_bulk_publish
from terbuka_web.budget.models import BudgetBatch, VillageProject
from terbuka_web.contracting.models import Process
from terbuka_web.regions.models import Region

DATA = Path(__file__).parent / "data" / "djpk"
SUMMARY_YEARS = (2021, 2022, 2023, 2024)
APBD_YEARS = {2023: 1.0, 2024: 1.0, 2025: 1.05, 2026: 1.08}
APBDES_YEARS = (2025, 2026)
# Spending of a jenis that goes to BPKAD's financing programmes, not to every agency.
CENTRAL = ("5.1.03", "5.1.04", "5.1.05", "5.1.06", "5.3", "5.4.01", "5.4.02")
ACCOUNT_OF = {
    "5.1.01": "5.1.01.01.01.0001",
    "5.1.02": "5.1.02.01.01.0001",
    "5.2": "5.2.03.01.01.0001",
}
# APBDes spending: (bidang kegiatan, jenis, share %, name).
VILLAGE_SPENDING = (
    ("1.1.01", "5.1", 28, "Penghasilan Tetap dan Tunjangan Kepala Desa dan Perangkat"),
    ("1.1.04", "5.2", 4, "Operasional Pemerintahan Desa"),
    ("1.2.01", "5.3", 3, "Sarana dan Prasarana Kantor Desa"),
    ("1.4.03", "5.2", 3, "Penyusunan Dokumen Perencanaan dan Keuangan Desa"),
    ("2.1.01", "5.2", 4, "Penyelenggaraan PAUD Milik Desa"),
    ("2.2.01", "5.2", 6, "Posyandu dan Pencegahan Stunting"),
    ("2.3.10", "5.3", 30, "Pembangunan/Rehabilitasi Jalan Desa"),
    ("2.4.02", "5.3", 4, "Pembangunan Saluran Drainase"),
    ("3.1.01", "5.2", 1, "Linmas dan Keamanan Desa"),
    ("3.4.01", "5.2", 2, "Pembinaan Lembaga Kemasyarakatan Desa"),
    ("4.2.01", "5.2", 4, "Peningkatan Produksi Pertanian"),
    ("4.3.01", "5.2", 2, "Peningkatan Kapasitas Perangkat Desa"),
    ("4.4.01", "5.2", 2, "Pemberdayaan Perempuan dan Perlindungan Anak"),
    ("5.1.01", "5.4", 1, "Penanggulangan Bencana"),
    ("5.3.01", "5.2", 6, "Bantuan Langsung Tunai Dana Desa"),
)
HAMLETS = (
    "Krajan",
    "Ngablak",
    "Sumberejo",
    "Tegalrejo",
    "Karangan",
    "Dukuh",
    "Kedung",
    "Sidomulyo",
)


def budget_demo_seed(
    *,
    government: str = "35.22",
    seed: int = 2026,
    programmes: dict[tuple[str, int], set[str]] | None = None,
) -> dict[str, int]:
    """Seed the demo budgets; return how many lines and projects were written.

    programmes: (agency code, year) → sub-kegiatan the demo processes will name (their
    planning budget_line), each given APBD lines; by default those of the stored processes.
    """
    rng = random.Random(seed)
    done = set(
        BudgetBatch.objects.filter(region__code__startswith=government).values_list("kind", "year")
    )
    specs: list[BatchSpec] = []
    summaries = {
        year: djpk_parse((DATA / f"{year}/Bojonegoro.csv").read_text("utf-8"))
        for year in SUMMARY_YEARS
    }
    for year, lines in summaries.items():
        if ("summary", year) not in done:
            specs += _summary_specs(government, year, lines)
    agencies = list(
        Agency.objects.filter(government_id=government)
        .exclude(kind=Agency.Kind.DESA)
        .order_by("code")
    )
    by_code = {a.code: a.pk for a in agencies}
    wanted = (
        _process_programmes(agencies)
        if programmes is None
        else {
            (by_code[code], year): sorted(c for c in codes if _valid(c))
            for (code, year), codes in programmes.items()
            if code in by_code
        }
    )
    for year, growth in APBD_YEARS.items():
        if ("apbd", year) not in done and agencies:
            base = summaries[min(year, 2024)]
            specs += _apbd_specs(rng, agencies, wanted, year, base, growth)
    villages = list(
        Region.objects.filter(level=Region.Level.VILLAGE, code__startswith=f"{government}.")
        .exclude(code__regex=r"\.1\d{3}$")
        .values_list("code", flat=True)
    )
    projects: list[VillageProject] = []
    for year in APBDES_YEARS:
        if ("apbdes", year) not in done:
            for village in villages:
                village_specs, village_projects = _village(rng, village, year)
                specs += village_specs
                projects += village_projects
    lines = batches_bulk_publish(actor=None, specs=specs, source="demo") if specs else 0
    VillageProject.objects.bulk_create(projects, batch_size=1000)
    return {"lines": lines, "projects": len(projects)}


def _summary_specs(government: str, year: int, lines: list[SummaryLine]) -> list[BatchSpec]:
    return [
        BatchSpec(
            kind="summary",
            region=government,
            agency_id=None,
            agency_code=None,
            year=year,
            phase=phase,
            lines=[
                {
                    "programme": "",
                    "account": line.code,
                    "fungsi": "",
                    "name": line.name,
                    "amount": getattr(line, pick),
                }
                for line in lines
            ],
        )
        for phase, pick in (("dpa", "planned"), ("realisasi", "realised"))
    ]


def _process_programmes(agencies: list[Agency]) -> dict[tuple[int, int], list[str]]:
    """Return each (agency id, year)'s sub-kegiatan codes named by its processes' planning."""
    found: dict[tuple[int, int], set[str]] = defaultdict(set)
    rows = Process.objects.filter(agency__in=agencies).values_list(
        "agency_id", "fiscal_year", "compiled_release__planning__budget__id"
    )
    for agency, year, code in rows:
        if isinstance(code, str) and _valid(code):
            found[(agency, year)].add(code)
    return {key: sorted(codes) for key, codes in found.items()}


def _valid(code: str) -> bool:
    try:
        return programme_parse(code, level="sub_kegiatan") is not None
    except TerbukaError:
        return False


def _urusan(agency: Agency) -> str:
    from terbuka_web.common.demo.generate import URUSAN

    short = agency.code.split("-", 1)[-1]
    return URUSAN.get(short, "7.01")


def _apbd_specs(
    rng: random.Random,
    agencies: list[Agency],
    programmes: dict[tuple[int, int], list[str]],
    year: int,
    base: list[SummaryLine],
    growth: float,
) -> list[BatchSpec]:
    """Split each DJPK jenis over the agencies, so the sum per jenis equals the summary."""
    codes = [line.code for line in base if line.code.startswith("5.")]
    leaves = [
        line
        for line in base
        if line.code in codes and not any(c.startswith(line.code + ".") for c in codes)
    ]
    weights = {
        a.pk: rng.uniform(0.3, 3.0) * (4 if _urusan(a) in {"1.01", "1.02", "1.03"} else 1)
        for a in agencies
    }
    bpkad = next((a for a in agencies if a.code.endswith("bpkad")), agencies[0])
    lines: dict[tuple[int, str], list[dict[str, Any]]] = defaultdict(list)
    for leaf in leaves:
        for phase, amount in (("dpa", leaf.planned), ("realisasi", leaf.realised)):
            total = (
                round(amount * growth)
                if phase == "dpa" or year < 2026
                else round(amount * growth * 0.8)
            )
            if total <= 0:
                continue
            if leaf.code in CENTRAL:
                lines[(bpkad.pk, phase)].append(
                    _line(
                        "5.02.02.2.01.0001",
                        leaf.code + ".01.01.0001"
                        if leaf.code.count(".") == 2
                        else "5.3.01.01.01.0001",
                        leaf.name,
                        total,
                    )
                )
                continue
            shares = _split(total, [weights[a.pk] for a in agencies])
            for agency, share in zip(agencies, shares, strict=True):
                own = programmes.get((agency.pk, year), [])
                subs = own if leaf.code != "5.1.01" and own else [f"{_urusan(agency)}.01.2.02.0001"]
                for programme, part in zip(subs, _split(share, [1.0] * len(subs)), strict=True):
                    lines[(agency.pk, phase)].append(
                        _line(programme, ACCOUNT_OF[leaf.code], leaf.name, part)
                    )
    by_pk = {a.pk: a for a in agencies}
    return [
        BatchSpec(
            kind="apbd",
            region=by_pk[pk].government_id,
            agency_id=pk,
            agency_code=by_pk[pk].code,
            year=year,
            phase=phase,
            lines=items,
        )
        for (pk, phase), items in lines.items()
    ]


def _line(programme: str, account: str, name: str, amount: int) -> dict[str, Any]:
    return {
        "programme": programme,
        "account": account,
        "fungsi": "",
        "name": name,
        "amount": amount,
    }


def _split(total: int, weights: list[float]) -> list[int]:
    """Return total split by weights in whole Rupiah, the remainder on the last part."""
    whole = sum(weights)
    parts = [int(total * w / whole) for w in weights]
    parts[-1] += total - sum(parts)
    return parts


def _village(
    rng: random.Random, village: str, year: int
) -> tuple[list[BatchSpec], list[VillageProject]]:
    """Return one village's APBDes batches (dpa, maybe perubahan, two semesters) and projects."""
    million = 1_000_000
    income = {
        "4.1.1": rng.randint(5, 60) * million,
        "4.2.1": rng.randint(700, 1300) * million,
        "4.2.2": rng.randint(25, 70) * million,
        "4.2.3": rng.randint(350, 650) * million,
    }
    if rng.random() < 0.3:
        income["4.2.5"] = rng.randint(100, 300) * million
    silpa = rng.randint(10, 150) * million
    spend = sum(income.values()) + silpa
    amounts = _split(spend, [share for _b, _j, share, _n in VILLAGE_SPENDING])
    dpa = [_line("", code, "", amount) for code, amount in income.items()]
    dpa.append(_line("", "6.1.1", "", silpa))
    dpa += [
        _line(bidang, jenis, name, amount)
        for (bidang, jenis, _s, name), amount in zip(VILLAGE_SPENDING, amounts, strict=True)
    ]
    phases = [("dpa", 0, dpa)]
    adjusted = dpa
    if rng.random() < 0.5:
        adjusted = [
            {**line, "amount": round(line["amount"] * rng.uniform(0.97, 1.06))} for line in dpa
        ]
        phases.append(("perubahan", 0, adjusted))
    first = [
        {**line, "amount": round(line["amount"] * rng.uniform(0.35, 0.5))} for line in adjusted
    ]
    second = [
        {**line, "amount": max(0, round(line["amount"] * rng.uniform(0.85, 0.99)) - done["amount"])}
        for line, done in zip(adjusted, first, strict=True)
    ]
    phases += [("realisasi", 1, first), ("realisasi", 2, second)]
    specs = [
        BatchSpec(
            kind="apbdes",
            region=village,
            agency_id=None,
            agency_code=None,
            year=year,
            phase=phase,
            semester=semester,
            lines=items,
        )
        for phase, semester, items in phases
    ]
    road = amounts[6]
    projects = []
    for n in range(rng.randint(1, 3)):
        hamlet = rng.choice(HAMLETS)
        length = rng.randint(150, 900)
        cost = road // (n + 2)
        projects.append(
            VillageProject(
                region_id=village,
                year=year,
                title=f"Pembangunan Jalan Rabat Beton Dusun {hamlet} ({n + 1})",
                location=f"Dusun {hamlet} RT {rng.randint(1, 12):02d}",
                volume=f"{length} m x 3 m",
                bidang="2.3.10",
                funding={"4.2.1": cost * 4 // 5, "4.2.3": cost - cost * 4 // 5},
                progress=100 if year < 2026 else rng.choice([0, 25, 50, 80, 100]),
            )
        )
    return specs, projects
