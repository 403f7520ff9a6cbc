"""Template filters of the portal: Rupiah the Indonesian way, dates in Asia/Jakarta."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language
from lokal import format_rupiah, format_rupiah_short

register = template.Library()


@register.filter
def rupiah(value: int | None) -> str:
    """Format whole Rupiah with a space and dot thousands: 1250000000 → "Rp 1.250.000.000"."""
    if value is None or value == "":
        return "—"
    return "Rp " + format_rupiah(int(value), symbol=False)


SHORT_UNITS_EN = {"rb": "k", "jt": "mn", "M": "bn", "T": "tn"}


@register.filter
def rupiah_short(value: int | None) -> str:
    """Format Rupiah in readable units, one decimal: 12300000000 → "Rp 12,3 M" (miliar),
    1200000000000 → "Rp 1,2 T"; in English "Rp 12.3 bn", "Rp 1.2 tn" (lokal's short form)."""
    if value is None or value == "":
        return "—"
    text = format_rupiah_short(int(value))  # "Rp12,3 M", "-Rp1,5 jt", "Rp500"
    sign, _, rest = text.partition("Rp")
    number, _, unit = rest.partition(" ")
    if get_language() == "en":
        number, unit = number.replace(",", "."), SHORT_UNITS_EN.get(unit, unit)
    return f"{sign}Rp {number} {unit}".rstrip()
