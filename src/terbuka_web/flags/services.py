"""Recompute the stored red flags of processes, inside the caller's publication transaction.

The process-local indicators of terbuka.flags (registry.LOCAL_CODES: R003, R018, R028,
R030, R035, R036, ID001, ID002) are computed from each process's compiled release with
Cardinal's defaults, E-Purchasing treated as prices set by the catalogue (no price
comparison). Indicators that compare a process with all others (R024, R025, R038, R048,
R058, ID003) are not stored: `terbuka flags compute` gives them over an export.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from terbuka.flags.compute import process_flags
from terbuka.flags.registry import LOCAL_CODES, settings_load
from terbuka.flags.release import array, has_status, ident, obj, rfc3339, text
from terbuka.ocds.build import PROGRESS_MILESTONE_ID
from terbuka_web.contracting.models import Process
from terbuka_web.flags.models import FlagSubject, FlagSupplier, ProcessFlag

# R003 only for open methods (Tender, Seleksi): pengadaan langsung, penunjukan langsung and
# e-purchasing have no competitive submission period for a short one to shorten.
SECTION_SETTINGS = {"R003": "procurement_methods = open\n"}
SETTINGS = settings_load(
    "no_price_comparison_procurement_methods = E-Purchasing\n"
    + "".join(f"[{code}]\n{SECTION_SETTINGS.get(code, '')}" for code in LOCAL_CODES),
    source="terbuka_web.flags.services",
)
CHUNK = 500


def process_flags_recompute(*, process_ids: Iterable[int]) -> int:
    """Replace the stored flags of the processes by those of their compiled releases.

    Also replaces what the dashboards count (FlagSubject, FlagSupplier) for each process that
    has a tender. Runs in the caller's transaction (a publication or an import), so the flags
    commit or roll back with the release that changed them. Returns the number of flags stored.
    """
    ids = sorted(set(process_ids))
    now, stored = timezone.now(), 0
    with transaction.atomic():
        for start in range(0, len(ids), CHUNK):
            part = ids[start : start + CHUNK]
            ProcessFlag.objects.filter(process_id__in=part).delete()
            FlagSubject.objects.filter(process_id__in=part).delete()
            rows, subjects, suppliers = [], [], []
            found = Process.objects.filter(pk__in=part).values_list(
                "pk", "compiled_release", "agency_id", "fiscal_year"
            )
            for pk, compiled, agency_id, year in found:
                flags = process_flags(compiled or {}, SETTINGS)
                rows += [
                    ProcessFlag(
                        process_id=pk,
                        code=code,
                        value=value if math.isfinite(value) else None,
                        computed_at=now,
                    )
                    for code, value in flags.items()
                ]
                if isinstance((compiled or {}).get("tender"), dict):
                    subjects.append(_subject(pk, compiled, agency_id, year, len(flags)))
                    suppliers += _suppliers(pk, compiled)
            stored += len(ProcessFlag.objects.bulk_create(rows))
            FlagSubject.objects.bulk_create(subjects)
            FlagSupplier.objects.bulk_create(suppliers)
    return stored


def _subject(
    pk: int, compiled: dict[str, Any], agency_id: int | None, year: int, count: int
) -> FlagSubject:
    """Return the dashboard row of a process: its tender's quarter from tenderPeriod.startDate."""
    begun = rfc3339(text(obj(compiled.get("tender"), "tenderPeriod"), "startDate"))
    contract = next(iter(array(compiled, "contracts")), {})
    end = rfc3339(text(obj(contract, "period"), "endDate"))
    milestones = array(obj(contract, "implementation"), "milestones")
    progress = [m for m in milestones if ident(m) == PROGRESS_MILESTONE_ID]
    open_dues = [
        due.date()
        for m in milestones
        if ident(m) != PROGRESS_MILESTONE_ID
        and text(m, "status") not in ("met", "notMet")
        and (due := rfc3339(text(m, "dueDate"))) is not None
    ]
    return FlagSubject(
        process_id=pk,
        agency_id=agency_id,
        fiscal_year=year,
        tender_year=begun.year if begun else None,
        tender_quarter=(begun.month - 1) // 3 + 1 if begun else None,
        flag_count=count,
        contract_end=end.date() if end else None,
        completed=has_status(contract, "complete") or any(has_status(m, "met") for m in progress),
        open_due=min(open_dues, default=None),
    )


def _suppliers(pk: int, compiled: dict[str, Any]) -> list[FlagSupplier]:
    """Return one row per distinct supplier of the process's awards (id, else name)."""
    found: dict[str, str] = {}
    for award in array(compiled, "awards"):
        for org in array(award, "suppliers"):
            name = text(org, "name") or ""
            key = ident(org) or name
            if key:
                found.setdefault(key[:200], name[:300] or key[:300])
    return [FlagSupplier(subject_id=pk, key=k, name=n) for k, n in found.items()]
