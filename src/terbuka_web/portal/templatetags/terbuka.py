"""Template filters of the portal: Rupiah the Indonesian way, dates in Asia/Jakarta."""

from __future__ import annotations

from django import template
from lokal import format_rupiah

register = template.Library()


@register.filter
def rupiah(value: int | None) -> str:
    """Format whole Rupiah with a space and dot thousands: 1250000000 → "Rp 1.250.000.000"."""
    if value is None or value == "":
        return "—"
    return "Rp " + format_rupiah(int(value), symbol=False)
