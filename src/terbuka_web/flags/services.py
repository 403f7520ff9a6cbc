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

from django.db import transaction
from django.utils import timezone

from terbuka.flags.compute import process_flags
from terbuka.flags.registry import LOCAL_CODES, settings_load
from terbuka_web.contracting.models import Process
from terbuka_web.flags.models import ProcessFlag

SETTINGS = settings_load(
    "no_price_comparison_procurement_methods = E-Purchasing\n"
    + "".join(f"[{code}]\n" for code in LOCAL_CODES),
    source="terbuka_web.flags.services",
)
CHUNK = 500


def process_flags_recompute(*, process_ids: Iterable[int]) -> int:
    """Replace the stored flags of the processes by those of their compiled releases.

    Runs in the caller's transaction (a publication or an import), so the flags commit or
    roll back with the release that changed them. Returns the number of flags stored.
    """
    ids = sorted(set(process_ids))
    now, stored = timezone.now(), 0
    with transaction.atomic():
        for start in range(0, len(ids), CHUNK):
            part = ids[start : start + CHUNK]
            ProcessFlag.objects.filter(process_id__in=part).delete()
            rows = [
                ProcessFlag(
                    process_id=pk,
                    code=code,
                    value=value if math.isfinite(value) else None,
                    computed_at=now,
                )
                for pk, compiled in Process.objects.filter(pk__in=part).values_list(
                    "pk", "compiled_release"
                )
                for code, value in process_flags(compiled or {}, SETTINGS).items()
            ]
            stored += len(ProcessFlag.objects.bulk_create(rows))
    return stored
