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
from terbuka.regions.codes import code_parse
from terbuka.regions.errors import RegionCodeError
from terbuka_web.contracting.models import Process
from terbuka_web.flags.models import FlagSubject, FlagSupplier, ProcessFlag
from terbuka_web.portal.story import _progress_of
from terbuka_web.regions.models import Region

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
    has a tender, with its progress and the region where it is delivered (else its agency's
    government). Runs in the caller's transaction (a publication or an import), so the flags
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
            found = list(
                Process.objects.filter(pk__in=part).values_list(
                    "pk", "compiled_release", "agency_id", "fiscal_year", "agency__government_id"
                )
            )
            codes = {pk: _delivery_code(compiled or {}) for pk, compiled, *_rest in found}
            known = _known_regions(codes.values())
            for pk, compiled, agency_id, year, government in found:
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
                    subject = _subject(pk, compiled, agency_id, year, len(flags))
                    subject.region_id = codes[pk] if codes[pk] in known else government
                    subjects.append(subject)
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
    physical, financial = _progress_of(compiled)
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
        physical=physical,
        financial=financial,
    )


def _delivery_code(compiled: dict[str, Any]) -> str | None:
    """Return the dotted Kemendagri code of the first item (tender's, then the contract's) whose
    deliveryAddress.region is one ("35.22.01" or "352201"), None when no item names one."""
    contract = next(iter(array(compiled, "contracts")), {})
    for item in [*array(obj(compiled, "tender"), "items"), *array(contract, "items")]:
        raw = text(obj(item, "deliveryAddress"), "region")
        try:
            return str(code_parse(raw or ""))
        except RegionCodeError:
            continue
    return None


def _known_regions(codes: Iterable[str | None]) -> set[str]:
    """Return those of codes that are loaded regions (one query; none when no code)."""
    wanted = {c for c in codes if c}
    return (
        set(Region.objects.filter(code__in=wanted).values_list("code", flat=True))
        if wanted
        else set()
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
