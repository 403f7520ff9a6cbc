"""Give the Django apps the working-day calendar of this instance (TERBUKA_EXTRA_DAYS_OFF)."""

from __future__ import annotations

from django.conf import settings

from terbuka.workdays import WorkCalendar


def work_calendar() -> WorkCalendar:
    """Return the calendar: weekends, holidays, cuti bersama and the configured days off."""
    return WorkCalendar(extra_days_off=settings.TERBUKA["EXTRA_DAYS_OFF"])
