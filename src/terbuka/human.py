"""Write sizes and dates the way people read them, in Bahasa Indonesia and in English.

Messages name a size as "20 MB", never "20971520 bita", and a date as "1 Maret 2026", never
"2026-03-01T00:00:00+07:00". Each function returns the (Indonesian, English) pair that a
bilingual message (terbuka.errors) needs.
"""

from __future__ import annotations

from datetime import date, datetime

UNITS = ("KB", "MB", "GB", "TB")
MONTHS_ID = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def size_words(size: int) -> tuple[str, str]:
    """Return a byte count in bytes, KB, MB, GB or TB (1 KB = 1024 bytes), one decimal at most.

    Indonesian writes the decimal with a comma, English with a point.
    Example: size_words(20971520) → ("20 MB", "20 MB"); size_words(1536) → ("1,5 KB", "1.5 KB");
    size_words(900) → ("900 bita", "900 bytes").
    """
    if size < 1024:
        return f"{size} bita", f"{size} byte{'' if size == 1 else 's'}"
    value, power = size / 1024, 0
    while value >= 1024 and power < len(UNITS) - 1:
        value, power = value / 1024, power + 1
    unit = UNITS[power]
    shown = f"{value:.1f}".removesuffix(".0")
    return f"{shown.replace('.', ',')} {unit}", f"{shown} {unit}"


def date_words(day: date | str) -> tuple[str, str]:
    """Return a date, or an ISO date or date-time string, as "1 Maret 2026" / "1 March 2026".

    A date-time is shown by its own calendar date (the date written in it, in its own zone);
    a string that is no ISO date is returned unchanged in both languages.
    Example: date_words("2026-03-01T00:00:00+07:00") → ("1 Maret 2026", "1 March 2026").
    """
    if isinstance(day, str):
        text = day
        try:
            day = datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        except ValueError:
            return text, text
    if isinstance(day, datetime):
        day = day.date()
    month = day.month - 1
    return f"{day.day} {MONTHS_ID[month]} {day.year}", f"{day.day} {MONTHS_EN[month]} {day.year}"


def size_over_words(size: int, limit: int) -> tuple[str, str]:
    """Return "<size> exceeds the <limit> limit" in Bahasa Indonesia and English, sizes in
    words, with the exact bytes added when both sizes round to the same words.

    Example: size_over_words(26214400, 20971520) → ("25 MB melebihi batas 20 MB",
    "25 MB exceeds the 20 MB limit"); size_over_words(65536, 65535) →
    ("64 KB (65.536 bita) melebihi batas 64 KB (65.535 bita)",
    "64 KB (65,536 bytes) exceeds the 64 KB limit (65,535 bytes)").
    """
    (size_id, size_en), (limit_id, limit_en) = size_words(size), size_words(limit)
    if size_id != limit_id:
        return f"{size_id} melebihi batas {limit_id}", f"{size_en} exceeds the {limit_en} limit"
    exact_size, exact_limit = f"{size:,}", f"{limit:,}"
    return (
        f"{size_id} ({exact_size.replace(',', '.')} bita) melebihi batas {limit_id} "
        f"({exact_limit.replace(',', '.')} bita)",
        f"{size_en} ({exact_size} bytes) exceeds the {limit_en} limit ({exact_limit} bytes)",
    )
