"""Seed the demo: regions, Bojonegoro's agencies, demo users and published processes.

Every process goes through the contracting services (process_create, stage_draft_save,
document_upload, stage_publish), so each release is built, validated, logged and audited
exactly as an operator's would be. Re-running is idempotent: regions, agencies and users are
created only when missing, and a process (same agency, fiscal year and title) only gets the
stages it has not published yet.
"""

from __future__ import annotations

import datetime as dt
import io
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.accounts.services import agencies_seed, user_create
from terbuka_web.budget.demo import budget_demo_seed
from terbuka_web.common.demo.documents import document_pdf
from terbuka_web.common.demo.generate import AgencyInfo, ProcessSpec, Supplier, process_specs
from terbuka_web.common.demo.road import road_story
from terbuka_web.contracting.models import Document, Process
from terbuka_web.contracting.services import (
    document_upload,
    process_create,
    stage_draft_save,
    stage_publish,
)
from terbuka_web.regions.models import Region
from terbuka_web.regions.services import RegionLoadResult, regions_load

GOVERNMENT = "35.22"
SHOWCASE_AGENCY = "dpupr"
# Demo accounts with documented passwords (docs/demo.md); never use them in production.
DEMO_ACCOUNTS: tuple[tuple[str, str, str | None, str], ...] = (
    ("admin", Role.ADMIN, None, "demo-admin-2026"),
    ("auditor", Role.AUDITOR, None, "demo-auditor-2026"),
    ("operator.dpupr", Role.OPERATOR, SHOWCASE_AGENCY, "demo-operator-2026"),
    ("pptk.dpupr", Role.PPTK, SHOWCASE_AGENCY, "demo-pptk-2026"),
    ("ppk.dpupr", Role.PPK, SHOWCASE_AGENCY, "demo-ppk-2026"),
    ("pa.dpupr", Role.PA, SHOWCASE_AGENCY, "demo-pa-2026"),
)

# The contractor of the road story (common/demo/road.py): fictitious, valid-format NPWP.
ROAD_SUPPLIER = Supplier("PT Karya Aspal Bengawan", "0017654321601000")

Progress = Callable[[str, int, int], None]
# Processes seeded per transaction: one commit (an fsync with synchronous=FULL) per batch
# instead of per process; a failure rolls back its batch alone, which a re-run seeds again.
PROCESSES_PER_COMMIT = 25


# Enough for every page to show something real (flags per agency, the openness ranking, 16
# pages of /kelola/) while `make demo` stays well under 3 minutes on 2 cores (~0.1 s each).
DEFAULT_PROCESSES = 800


@dataclass(slots=True)
class DemoResult:
    """Report what demo_seed did, with the seconds each part took."""

    regions: RegionLoadResult | None = None
    agencies: int = 0
    accounts_created: list[tuple[str, str, str | None]] = field(default_factory=list)
    processes_created: int = 0
    stages_published: int = 0
    documents_uploaded: int = 0
    budget_lines: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def demo_seed(
    *,
    processes: int = DEFAULT_PROCESSES,
    all_regions: bool = False,
    seed: int = 2026,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> DemoResult:
    """Load the demo data set, creating only what is missing.

    Regions: Jawa Timur (35) by default, all of Indonesia with all_regions. Agencies: the
    47 perangkat daerah in accounts/data plus Bojonegoro's 28 kecamatan. Users: the
    DEMO_ACCOUNTS and, per agency, password-less operator.<short> / ppk.<short> accounts that
    act for the seeder. Processes: `processes` specs: the showcase and the
    generated ones of generate.process_specs(seed, today), and (from two on) as the second the
    road-works story of demo/road.py, with its amendments and progress reports.
    progress(phase, done, total) is called as work advances.
    """
    result = DemoResult()
    started = time.perf_counter()
    result.regions = regions_load(
        within=None if all_regions else GOVERNMENT.split(".")[0],
        progress=(lambda done, total: progress("wilayah", done, total)) if progress else None,
    )
    result.seconds["regions"] = time.perf_counter() - started
    agencies = agencies_seed(actor=None)
    result.agencies = len(agencies)
    result.accounts_created = _accounts_seed(agencies)
    result.seconds["agencies_users"] = time.perf_counter() - started - result.seconds["regions"]
    infos = [_info(a) for a in agencies]
    today = today or timezone.localdate()
    specs = process_specs(
        count=max(1, processes - 1), agencies=infos, villages=_villages(), today=today, seed=seed
    )
    if processes > 1:
        road = next((a for a in infos if a.short == SHOWCASE_AGENCY), infos[0])
        specs.insert(1, road_story(road, ROAD_SUPPLIER, len(specs), today))
    begun = time.perf_counter()
    # Budgets before processes: each planning release then carries its APBD lines.
    result.budget_lines = budget_demo_seed(
        government=GOVERNMENT, seed=seed, programmes=_spec_programmes(specs)
    )["lines"]
    result.seconds["budget"] = time.perf_counter() - begun
    begun = time.perf_counter()
    actors = {
        u.username: u for u in User.objects.filter(agency__in=agencies).select_related("agency")
    }
    known = {
        (p.agency_id, p.fiscal_year, p.title): p
        for p in Process.objects.filter(agency__in=agencies).only(
            "id", "ocid", "agency", "fiscal_year", "title", "stages_published"
        )
    }
    for first in range(0, len(specs), PROCESSES_PER_COMMIT):
        with transaction.atomic():
            for done, spec in enumerate(specs[first : first + PROCESSES_PER_COMMIT], first + 1):
                process_spec_publish(spec, actors, known, result)
                if progress:
                    progress("proses", done, len(specs))
    result.seconds["processes"] = time.perf_counter() - begun
    return result


def _spec_programmes(specs: list[ProcessSpec]) -> dict[tuple[str, int], set[str]]:
    """Return each (agency code, fiscal year)'s sub-kegiatan named by the specs' planning."""
    found: dict[tuple[str, int], set[str]] = {}
    for spec in specs:
        code = spec.stages.get("planning", {}).get("budget_line")
        if isinstance(code, str):
            found.setdefault((spec.agency_code, spec.fiscal_year), set()).add(code)
    return found


def _short(agency: Agency) -> str:
    return agency.code.split("-", 1)[1]


def _info(agency: Agency) -> AgencyInfo:
    districts = (agency.name.removeprefix("Kecamatan "),) if agency.kind == "kecamatan" else ()
    return AgencyInfo(agency.code, _short(agency), agency.kind, agency.name, districts)


def _villages() -> list[tuple[str, str]]:
    rows = Region.objects.filter(level=Region.Level.VILLAGE, code__startswith=f"{GOVERNMENT}.")
    return list(rows.order_by("code").values_list("name", "parent__name"))


def _accounts_seed(agencies: list[Agency]) -> list[tuple[str, str, str | None]]:
    """Create the missing demo accounts; return (username, role, password) of those created."""
    by_short = {_short(a): a for a in agencies}
    wanted: list[tuple[str, str, Agency | None, str | None]] = [
        (name, role, by_short[short] if short else None, password)
        for name, role, short, password in DEMO_ACCOUNTS
    ]
    for short, agency in by_short.items():
        wanted += [(f"operator.{short}", Role.OPERATOR, agency, None)]
        wanted += [(f"ppk.{short}", Role.PPK, agency, None)]
    existing = set(
        User.objects.filter(username__in=[w[0] for w in wanted]).values_list("username", flat=True)
    )
    created = []
    with transaction.atomic():
        for username, role, agency, password in wanted:
            if username in existing:
                continue
            existing.add(username)
            user_create(actor=None, username=username, password=password, role=role, agency=agency)
            created.append((username, role, password))
    return created


def process_spec_publish(
    spec: ProcessSpec,
    actors: dict[str, User],
    known: dict[tuple[int, int, str], Process],
    result: DemoResult,
) -> None:
    """Create spec's process if missing and publish each stage it has not published yet, then,
    for a process it created, spec.updates (amendments, later reports) in order.

    Runs in the caller's transaction (demo_seed commits PROCESSES_PER_COMMIT at a time).
    """
    operator = actors[f"operator.{spec.agency_short}"]
    ppk = actors[f"ppk.{spec.agency_short}"]
    assert operator.agency is not None
    process = known.get((operator.agency.pk, spec.fiscal_year, spec.title))
    if process is not None and set(spec.stages) <= set(process.stages_published):
        return
    resumed = process is not None
    if process is None:
        process = process_create(
            user=operator,
            agency=operator.agency,
            title=spec.title,
            description=spec.description,
            fiscal_year=spec.fiscal_year,
            procurement_category=spec.category,
        )
        result.processes_created += 1
    published = set(process.stages_published)
    steps = [
        (stage, data, [d for d in spec.documents if d.stage == stage])
        for stage, data in spec.stages.items()
        if stage not in published
    ]
    if not published:  # a new process: its re-publications too (amendments, reports)
        steps += spec.updates
    for stage, data, documents in steps:
        stage_draft_save(
            user=operator, process=process, stage=stage, data=data, confirmed=spec.confirmed
        )
        pending = _pending_filenames(process, stage) if resumed else set()
        for document in documents:
            if document.filename in pending:
                continue
            document_upload(
                user=operator,
                process=process,
                stage=stage,
                document_type=document.document_type,
                title=document.title,
                stream=io.BytesIO(document_pdf(spec, document)),
                filename=document.filename,
            )
            result.documents_uploaded += 1
        stage_publish(user=ppk, process=process, stage=stage)
        result.stages_published += 1


def _pending_filenames(process: Process, stage: str) -> set[str]:
    """Return the file names of the stage's documents uploaded but not yet published."""
    pending = Document.objects.filter(process=process, stage=stage, release__isnull=True)
    return set(pending.values_list("filename", flat=True))
