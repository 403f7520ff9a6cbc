"""Template filters of the process story: OCDS dates in words."""

from __future__ import annotations

from django import template

from terbuka_web.portal.story import human_date

register = template.Library()


@register.filter
def ocds_date(value: str | None) -> str:
    """Format an OCDS date-time as a local calendar date: "2026-03-02T00:00:00+07:00" →
    "2 Maret 2026" ("—" when absent)."""
    return human_date(value) if value else "—"
