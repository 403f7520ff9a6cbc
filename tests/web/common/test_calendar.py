"""The instance's working-day calendar takes TERBUKA_EXTRA_DAYS_OFF's days."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.test import override_settings

from terbuka_web.common.calendar import work_calendar


def test_configured_day_off_is_not_a_working_day() -> None:
    monday = dt.date(2026, 11, 9)
    assert work_calendar().is_working_day(monday)
    extra = {**settings.TERBUKA, "EXTRA_DAYS_OFF": frozenset({monday})}
    with override_settings(TERBUKA=extra):
        assert not work_calendar().is_working_day(monday)
        assert work_calendar().add(dt.date(2026, 11, 6), 1) == dt.date(2026, 11, 10)
