"""Read the stored red flags: the flagged published processes of an indicator."""

from __future__ import annotations

from typing import Any

from terbuka_web.flags.models import ProcessFlag

FLAG_FIELDS = (
    "process__ocid",
    "process__title",
    "process__agency__code",
    "process__agency__name",
    "process__fiscal_year",
    "process__method",
    "process__last_published_at",
    "code",
    "value",
)


def flagged_processes(*, code: str, agency: str = "", limit: int = 1000) -> list[dict[str, Any]]:
    """Return the published processes flagged by code (of agency, when given), newest first.

    Each row holds FLAG_FIELDS. Example: flagged_processes(code="R018", agency="dinas-pu").
    """
    rows = ProcessFlag.objects.filter(code=code, process__first_published_at__isnull=False)
    if agency:
        rows = rows.filter(process__agency__code=agency)
    ordered = rows.order_by("-process__last_published_at", "-process_id")
    return list(ordered.values(*FLAG_FIELDS)[:limit])
