"""Generate demo contracting processes: titles, values, methods, suppliers, dates, stage data.

Everything is drawn from one seeded random.Random, so a seed and a reference date give the
same processes every run (which makes `terbuka demo` idempotent). Stage data follows
docs/stage-data.md; money is integer Rupiah; dates are ISO calendar dates no later than the
reference date ("today"), so nothing published lies in the future.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from terbuka_web.common.demo import catalog

FISCAL_YEARS = (2023, 2024, 2025, 2026)
STAGE_WEIGHTS = (
    ("planning", 8),
    ("tender", 8),
    ("award", 7),
    ("contract", 12),
    ("implementation", 65),
)
STAGES = ("planning", "tender", "award", "contract", "implementation")
# Perpres 12/2021: pengadaan langsung up to Rp200 juta (Rp100 juta for consultancy).
DIRECT_LIMIT = {"consultingServices": 100_000_000}
DIRECT_LIMIT_DEFAULT = 200_000_000
COMPETITIVE = ("tender", "seleksi")  # methods whose tenders publish the number of bidders
SINGLE_BID_SHARE = 0.2
RAISED_SHARE = 0.04  # contracts whose addendum raises the value beyond 10% (red flag ID001)
# Sub-kegiatan codes (Kepmendagri 050-5889/2021) start with urusan.bidang of the agency.
URUSAN = {
    "disdik": "1.01",
    "dinkes": "1.02",
    "dpupr": "1.03",
    "dpusda": "1.03",
    "perkimck": "1.04",
    "satpolpp": "1.05",
    "bpbd": "1.05",
    "damkar": "1.05",
    "dinsos": "1.06",
    "disnaker": "2.07",
    "disperinaker": "2.07",
    "dp3a": "2.08",
    "dkpp": "2.09",
    "dispertanahan": "2.10",
    "dlh": "2.11",
    "disdukcapil": "2.12",
    "dpmd": "2.13",
    "dppkb": "2.14",
    "dishub": "2.15",
    "diskominfo": "2.16",
    "dinperkopum": "2.17",
    "dpmptsp": "2.18",
    "dinpora": "2.19",
    "disbudpar": "2.22",
    "dispusip": "2.23",
    "disnakkan": "3.25",
    "bappeda": "5.01",
    "bpkad": "5.02",
    "bapenda": "5.02",
    "bkpp": "5.03",
    "brida": "5.05",
    "setda": "4.01",
    "setwan": "4.02",
    "inspektorat": "6.01",
}


@dataclass(frozen=True, slots=True)
class AgencyInfo:
    """Describe an agency for generation: code, short slug, kind, name, and its districts."""

    code: str
    short: str
    kind: str
    name: str
    districts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Supplier:
    """Hold a demo supplier: legal name and a 16-digit business NPWP (0 + legacy 15 digits)."""

    name: str
    npwp16: str


@dataclass(slots=True)
class DocumentSpec:
    """Describe one PDF to upload: stage, OCDS documentType, title, file name, text lines."""

    stage: str
    document_type: str
    title: str
    filename: str


@dataclass(slots=True)
class ProcessSpec:
    """Describe one demo process: who buys what, and the data of each stage to publish."""

    key: int
    agency_code: str
    agency_short: str
    agency_name: str
    title: str
    description: str
    fiscal_year: int
    category: str
    stages: dict[str, dict[str, Any]] = field(default_factory=dict)
    documents: list[DocumentSpec] = field(default_factory=list)
    # Re-publications after the stages: (stage, data, documents), e.g. an amendment.
    updates: list[tuple[str, dict[str, Any], list[DocumentSpec]]] = field(default_factory=list)
    # Implausible values the data holds on purpose (plausibility Concern keys), confirmed.
    confirmed: tuple[str, ...] = ()


def npwp_check_digit(serial: str) -> str:
    """Return the Luhn check digit of the 8-digit NPWP serial (legacy NPWP digit 9)."""
    total = 0
    for i, ch in enumerate(reversed(serial)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def suppliers_generate(rng: random.Random, count: int) -> list[Supplier]:
    """Return count suppliers with distinct names and valid-format business NPWPs.

    The legacy NPWP is type (01–03, corporate) + serial (6) + check digit + KPP (3) + branch
    "000"; the 16-digit form prefixes 0 (PMK 112/2022). Example npwp16: "0012345674601000".
    """
    names: set[str] = set()
    suppliers = []
    while len(suppliers) < count:
        form = rng.choice(catalog.LEGAL_FORMS)
        name = " ".join(
            p for p in (form, rng.choice(catalog.NAME_PARTS), rng.choice(catalog.SUFFIXES)) if p
        )
        if name in names:
            name = f"{name} {len(suppliers) + 1}"
        names.add(name)
        serial = f"{rng.choice(('01', '02', '03'))}{rng.randrange(10**6):06d}"
        kpp = rng.choice(("601", "602", "611", "612"))
        suppliers.append(Supplier(name, f"0{serial}{npwp_check_digit(serial)}{kpp}000"))
    return suppliers


def process_specs(
    *,
    count: int,
    agencies: Sequence[AgencyInfo],
    villages: Sequence[tuple[str, str]],
    today: dt.date,
    seed: int = 2026,
) -> list[ProcessSpec]:
    """Return count process specs spread over agencies, fiscal years 2023–2026 and all stages.

    villages is (village name, district name) pairs used in titles. The first spec is always
    the showcase "Pengadaan bangku taman kota" of the roads/spatial-planning Dinas, with all
    five stages. Titles are unique per (agency, fiscal year).
    """
    rng = random.Random(seed)
    suppliers = suppliers_generate(rng, max(40, count // 5))
    showcase = next((a for a in agencies if a.short == "dpupr"), agencies[0])
    specs = [_showcase(showcase, villages, suppliers, today)]
    seen = {(showcase.code, specs[0].fiscal_year, specs[0].title)}
    weights = [_agency_weight(a) for a in agencies]
    clashes = 0
    while len(specs) < count:
        agency = rng.choices(agencies, weights)[0]
        suffix = f" Paket {clashes}" if clashes > 20 else ""
        spec = _spec(rng, len(specs), agency, villages, suppliers, today, suffix)
        if (agency.code, spec.fiscal_year, spec.title) in seen:
            clashes += 1
            continue
        clashes = 0
        seen.add((agency.code, spec.fiscal_year, spec.title))
        specs.append(spec)
    return specs


def _agency_weight(agency: AgencyInfo) -> int:
    heavy = {"dpupr": 12, "dpusda": 7, "perkimck": 6, "disdik": 8, "dinkes": 6}
    return heavy.get(agency.short, 4 if agency.kind == "rsud" else 1)


def _spec(
    rng: random.Random,
    key: int,
    agency: AgencyInfo,
    villages: Sequence[tuple[str, str]],
    suppliers: Sequence[Supplier],
    today: dt.date,
    suffix: str = "",
) -> ProcessSpec:
    pattern, category, low, high, items = rng.choice(_templates(agency))
    pool = [v for v in villages if not agency.districts or v[1] in agency.districts] or villages
    (desa, kec), (desa2, _) = rng.choice(pool), rng.choice(pool)
    title = pattern.format(desa=desa, desa2=desa2, kec=kec, n=rng.randint(1, 9), agency=agency.name)
    title += suffix
    year = rng.choice([y for y in FISCAL_YEARS if dt.date(y, 1, 10) <= today] or [today.year])
    amount = _round(int(rng.uniform(low, high) * 1_000_000), 1_000_000 if high > 100 else 100_000)
    spec = ProcessSpec(
        key,
        agency.code,
        agency.short,
        agency.name,
        title,
        f"{title}, {agency.name}, tahun anggaran {year}.",
        year,
        category,
    )
    target = rng.choices([s for s, _ in STAGE_WEIGHTS], [w for _, w in STAGE_WEIGHTS])[0]
    # The stage data draws from its own generator, so what today allows to publish never
    # shifts the titles of later specs (a re-run on another day resumes the same processes).
    own = random.Random(rng.getrandbits(64))
    _fill(own, spec, amount, items, suppliers, today, STAGES.index(target) + 1)
    return spec


def _showcase(
    agency: AgencyInfo,
    villages: Sequence[tuple[str, str]],
    suppliers: Sequence[Supplier],
    today: dt.date,
) -> ProcessSpec:
    rng = random.Random(1)
    pattern, category, low, _high, items = catalog.SHOWCASE
    year = max(y for y in FISCAL_YEARS if dt.date(y, 12, 31) < today) if today.year > 2023 else 2023
    spec = ProcessSpec(
        0,
        agency.code,
        agency.short,
        agency.name,
        pattern,
        "Pengadaan dan pemasangan 24 bangku taman di alun-alun dan taman kota "
        f"Bojonegoro, tahun anggaran {year}.",
        year,
        category,
    )
    _fill(rng, spec, low * 1_000_000, items, suppliers, today, 5, full_documents=True)
    if "tender" in spec.stages:
        spec.stages["tender"]["items"] = [
            {"description": name, "quantity": 24, "unit": unit, "unit_value": value}
            for name, unit, value in items
        ]
    return spec


def _templates(agency: AgencyInfo) -> tuple[catalog.Template, ...]:
    if agency.short in catalog.SPECIFIC:
        return catalog.SPECIFIC[agency.short] + catalog.GENERIC[:2]
    return catalog.SPECIFIC.get(agency.kind, ()) + catalog.GENERIC


def _round(value: int, step: int) -> int:
    return max(step, value // step * step)


def _fill(
    rng: random.Random,
    spec: ProcessSpec,
    amount: int,
    items: Sequence[catalog.Item],
    suppliers: Sequence[Supplier],
    today: dt.date,
    reach: int,
    *,
    full_documents: bool = False,
) -> None:
    """Fill spec.stages and spec.documents up to stage number reach, dates permitting."""
    year = spec.fiscal_year
    planned = _day(rng, dt.date(year, 1, 2), dt.date(year, 2, 25))
    method = _method(rng, spec.category, amount)
    short = method == "pengadaan_langsung"
    tender_start = _day(rng, planned + dt.timedelta(days=14), dt.date(year, 7, 31))
    tender_end = tender_start + dt.timedelta(
        days=rng.randint(3, 7) if short else rng.randint(10, 21)
    )
    awarded = tender_end + dt.timedelta(days=rng.randint(3, 14))
    signed = awarded + dt.timedelta(days=rng.randint(3, 10))
    days = {"works": (60, 180), "goods": (14, 60)}.get(spec.category, (45, 120))
    start = signed + dt.timedelta(days=1)
    end = min(start + dt.timedelta(days=rng.randint(*days)), dt.date(year, 12, 20))
    milestones = (planned, tender_end, awarded, signed, start + dt.timedelta(days=7))
    reach = min(reach, sum(1 for day in milestones if day <= today)) or 1
    hps = _round(int(amount * rng.uniform(0.9, 1.0)), 1000)
    value = _round(int(hps * rng.uniform(0.86, 0.99)), 1000)
    chosen = [rng.choice(suppliers)]
    if spec.category == "works" and value > 5_000_000_000:
        chosen.append(rng.choice([s for s in suppliers if s != chosen[0]]))
    data = {
        "planning": {
            "budget_line": _budget_line(rng, spec.agency_short),
            "funding_source": rng.choices(*zip(*catalog.FUNDING, strict=True))[0],
            "amount": amount,
            "project": spec.title,
            "rationale": _rationale(spec),
        },
        "tender": {
            "method": method,
            "period_start": tender_start.isoformat(),
            "period_end": tender_end.isoformat(),
            "hps": hps,
            "items": _items(rng, items, hps),
            "amendment_rationale": "",
        },
        "award": {
            "suppliers": [{"name": s.name, "npwp": s.npwp16} for s in chosen],
            "value": value,
            "date": awarded.isoformat(),
            "status": "active",
        },
        "contract": {
            "number": _contract_number(rng, spec, value),
            "value": value,
            "period_start": start.isoformat(),
            "period_end": end.isoformat(),
            "date_signed": signed.isoformat(),
            "amendment_rationale": "",
        },
        "implementation": _implementation(rng, spec.category, chosen[0], value, start, end, today),
    }
    if method in COMPETITIVE:  # drawn last, so the other values stay as they were
        data["tender"]["number_of_tenderers"] = _tenderers(rng)
    for stage in STAGES[:reach]:
        spec.stages[stage] = data[stage]
        spec.documents.extend(_documents(spec, stage, full_documents))
    if "contract" in spec.stages and rng.random() < RAISED_SHARE:
        _raise_by_addendum(rng, spec, data["contract"])


def _raise_by_addendum(rng: random.Random, spec: ProcessSpec, contract: dict[str, Any]) -> None:
    """Add a contract addendum raising its value 12–25% above the award (red flag ID001)."""
    raised = _round(int(contract["value"] * rng.uniform(1.12, 1.25)), 1000)
    rationale = "Adendum I: pekerjaan tambah karena volume di lapangan lebih besar dari rencana."
    amended = {**contract, "value": raised, "amendment_rationale": rationale}
    spec.updates.append(("contract", amended, []))
    spec.confirmed += ("above_award:value",)


def _tenderers(rng: random.Random) -> int:
    """Return how many tenderers bid in a competitive process: one in about a fifth (the
    single-bid red flag R018, common in regional tenders), else two to eight."""
    return 1 if rng.random() < SINGLE_BID_SHARE else rng.randint(2, 8)


def _day(rng: random.Random, low: dt.date, high: dt.date) -> dt.date:
    return low + dt.timedelta(days=rng.randint(0, max(0, (high - low).days)))


def _method(rng: random.Random, category: str, amount: int) -> str:
    if rng.random() < 0.02:
        return "penunjukan_langsung"
    if amount <= DIRECT_LIMIT.get(category, DIRECT_LIMIT_DEFAULT):
        return (
            "e_purchasing" if category == "goods" and rng.random() < 0.4 else "pengadaan_langsung"
        )
    if category == "consultingServices":
        return "seleksi"
    return "e_purchasing" if category == "goods" and rng.random() < 0.3 else "tender"


def _budget_line(rng: random.Random, short: str) -> str:
    urusan = URUSAN.get(short, "7.01")
    program, kegiatan = rng.randint(1, 12), rng.randint(1, 2)
    return f"{urusan}.{program:02d}.{kegiatan}.{rng.randint(1, 9):02d}.{rng.randint(1, 30):04d}"


def _rationale(spec: ProcessSpec) -> str:
    reasons = {
        "works": "Kondisi prasarana menurun dan perlu ditangani agar layanan kepada masyarakat "
        "tidak terganggu, sesuai Renja dan RKPD tahun berjalan.",
        "goods": "Kebutuhan barang untuk menunjang pelayanan publik belum terpenuhi oleh "
        "barang milik daerah yang ada.",
        "consultingServices": "Diperlukan keahlian teknis yang tidak tersedia di internal "
        "perangkat daerah.",
        "services": "Kegiatan rutin pelayanan yang dianggarkan dalam DPA tahun berjalan.",
    }
    return f"{reasons.get(spec.category, reasons['services'])} ({spec.agency_name})"


def _items(rng: random.Random, items: Sequence[catalog.Item], hps: int) -> list[dict[str, Any]]:
    picked = rng.sample(list(items), k=min(len(items), rng.randint(1, 3)))
    share = hps // len(picked)
    rows = []
    for description, unit, typical in picked:
        unit_value = _round(int(typical * rng.uniform(0.85, 1.15)), 1000)
        quantity = max(1, round(share / unit_value))
        rows.append(
            {
                "description": description,
                "quantity": quantity,
                "unit": unit,
                "unit_value": unit_value,
            }
        )
    return rows


def _contract_number(rng: random.Random, spec: ProcessSpec, value: int) -> str:
    kind = "SPK" if value <= DIRECT_LIMIT_DEFAULT else "KONTRAK"
    return f"{rng.randint(1, 400):03d}/{kind}/412.{200 + spec.key % 90:03d}/{spec.fiscal_year}"


def _implementation(
    rng: random.Random,
    category: str,
    supplier: Supplier,
    value: int,
    start: dt.date,
    end: dt.date,
    today: dt.date,
) -> dict[str, Any]:
    span = max(1, (end - start).days)
    progress = min(100, max(0, round(100 * (today - start).days / span)))
    if progress < 100 and rng.random() < 0.15:
        progress = max(0, progress - rng.randint(5, 20))  # a project running late
    steps = (
        ("Mobilisasi dan pekerjaan persiapan", 0.1),
        ("Pekerjaan utama 50%", 0.5),
        ("Serah terima pekerjaan (PHO)", 1.0),
    )
    milestones = []
    for title, at in steps:
        due = start + dt.timedelta(days=int(span * at))
        met = progress >= at * 100 and due <= today
        milestones.append(
            {"title": title, "status": "met" if met else "scheduled", "date": due.isoformat()}
        )
    transactions = []
    if category == "works" and progress > 0:
        transactions.append((start + dt.timedelta(days=3), value * 20 // 100))  # uang muka
    if progress >= 100:
        transactions.append(
            (min(today, end + dt.timedelta(days=10)), value - sum(a for _, a in transactions))
        )
    return {
        "milestones": milestones,
        "transactions": [
            {
                "date": day.isoformat(),
                "amount": amount,
                "payee": supplier.name,
                "payee_npwp": supplier.npwp16,
            }
            for day, amount in transactions
            if day <= today
        ],
        "physical_progress": progress,
    }


BASIC_DOCUMENTS = {
    "planning": (("procurementPlan", "DPA"), ("projectPlan", "Renja")),
    "tender": (("technicalSpecifications", "KAK"),),
    "award": (("awardNotice", "Pengumuman Pemenang"),),
    "contract": (("contractSchedule", "Jadwal Kegiatan"),),
    "implementation": (("physicalProgressReport", "Laporan Kemajuan Fisik"),),
}
FULL_DOCUMENTS = {
    "planning": (
        ("procurementPlan", "DPA"),
        ("projectPlan", "Renja"),
        ("needsAssessment", "KAK Perencanaan"),
    ),
    "tender": (
        ("technicalSpecifications", "KAK"),
        ("biddingDocuments", "Dokumen Pemilihan"),
        ("tenderNotice", "Pengumuman Tender"),
    ),
    "award": (("awardNotice", "Pengumuman Pemenang"), ("evaluationReports", "BA Hasil Evaluasi")),
    "contract": (("contractSigned", "Kontrak"), ("contractSchedule", "Jadwal Kegiatan")),
    "implementation": (
        ("physicalProgressReport", "Laporan Kemajuan Fisik"),
        ("financialProgressReport", "Laporan Keuangan"),
        ("completionCertificate", "BA Serah Terima"),
    ),
}


def _documents(spec: ProcessSpec, stage: str, full: bool) -> list[DocumentSpec]:
    kinds = (FULL_DOCUMENTS if full else BASIC_DOCUMENTS)[stage]
    return [
        DocumentSpec(
            stage=stage,
            document_type=document_type,
            title=f"{label} - {spec.title}"[:300],
            filename=f"{label.replace(' ', '-')}-{spec.fiscal_year}-{spec.key:05d}.pdf",
        )
        for document_type, label in kinds
    ]
