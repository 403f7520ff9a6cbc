"""Template filters of the process story: OCDS dates and statuses in words."""

from __future__ import annotations

from django import template

from terbuka_web.portal.labels import STATUS_LABELS
from terbuka_web.portal.story import human_date

register = template.Library()


@register.filter
def ocds_date(value: str | None) -> str:
    """Format an OCDS date-time as a local calendar date: "2026-03-02T00:00:00+07:00" →
    "2 Maret 2026" ("—" when absent)."""
    return human_date(value) if value else "—"


@register.filter
def status_label(value: str | None) -> str:
    """Name an OCDS award, contract or milestone status in words ("met" → "Tercapai")."""
    return str(STATUS_LABELS.get(value or "", value or "—"))
