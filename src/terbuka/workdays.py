"""Count Indonesian government working days: weekends, national holidays and cuti bersama.

National holidays (libur nasional) and collective leave (cuti bersama) come from lokal-id,
which carries the yearly SKB 3 Menteri. A regency's own days off (a regional holiday, an
extra collective-leave day) are added with `extra_days_off`. For a year lokal-id has no
decree for, only weekends and the extra days are off, and `holidays_known(year)` says so,
so a page can warn that deadlines in that year may fall a few days early.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from lokal.holidays import HOLIDAY_YEARS, holidays_on

from terbuka.errors import FormatError

SATURDAY, SUNDAY = 5, 6
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def holidays_known(year: int) -> bool:
    """Return whether lokal-id carries the SKB 3 Menteri of year (its holidays are known)."""
    return year in HOLIDAY_YEARS


def days_off_parse(text: str, *, where: str = "") -> frozenset[dt.date]:
    """Parse a comma-separated list of ISO dates, e.g. "2026-12-24,2026-12-31".

    Raises FormatError naming the entry that is not a YYYY-MM-DD date.
    """
    days: set[dt.date] = set()
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        try:
            if not ISO_DATE.fullmatch(item):
                raise ValueError(item)
            days.add(dt.date.fromisoformat(item))
        except ValueError:
            raise FormatError(
                f"{item!r} bukan tanggal YYYY-MM-DD",
                f"{item!r} is not a YYYY-MM-DD date",
                where=where,
            ) from None
    return frozenset(days)


@dataclass(frozen=True)
class WorkCalendar:
    """Answer which days are working days, and count deadlines in working days.

    >>> cal = WorkCalendar()
    >>> cal.add(dt.date(2026, 12, 23), 3)  # 24-27 Dec off: cuti bersama, Christmas, weekend
    datetime.date(2026, 12, 30)
    """

    extra_days_off: frozenset[dt.date] = field(default_factory=frozenset)

    def is_working_day(self, day: dt.date) -> bool:
        """Return whether day is a working day: no weekend, holiday, cuti bersama, extra day off."""
        if day.weekday() in (SATURDAY, SUNDAY) or day in self.extra_days_off:
            return False
        return not (holidays_known(day.year) and holidays_on(day))

    def add(self, start: dt.date, days: int) -> dt.date:
        """Return the date `days` working days after start (start itself does not count).

        A deadline of "3 working days after an event on Friday" is the following Wednesday.
        Raises ValueError for a negative number of days.
        """
        if days < 0:
            raise ValueError("days must be ≥ 0")
        day = start
        while days:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                days -= 1
        return day

    def between(self, start: dt.date, end: dt.date) -> int:
        """Return the working days after start up to and including end (0 when end ≤ start)."""
        return sum(1 for day in _days(start, end) if self.is_working_day(day))


def _days(start: dt.date, end: dt.date) -> Iterable[dt.date]:
    day = start + dt.timedelta(days=1)
    while day <= end:
        yield day
        day += dt.timedelta(days=1)
