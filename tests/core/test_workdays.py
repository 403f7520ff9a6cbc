"""Working days: weekends, lokal-id's holidays and cuti bersama, a regency's extra days off."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terbuka.errors import FormatError
from terbuka.workdays import WorkCalendar, days_off_parse, holidays_known

CAL = WorkCalendar()


def test_christmas_week_2026_skips_cuti_bersama_holiday_and_weekend() -> None:
    # 24 Dec 2026 is cuti bersama, 25 Dec is Christmas, 26-27 Dec a weekend.
    assert CAL.add(dt.date(2026, 12, 23), 1) == dt.date(2026, 12, 28)
    assert CAL.add(dt.date(2026, 12, 23), 3) == dt.date(2026, 12, 30)


def test_friday_plus_three_working_days_is_wednesday() -> None:
    assert CAL.add(dt.date(2026, 11, 6), 3) == dt.date(2026, 11, 11)


def test_extra_day_off_moves_the_deadline() -> None:
    cal = WorkCalendar(extra_days_off=days_off_parse("2026-11-09"))
    assert cal.add(dt.date(2026, 11, 6), 3) == dt.date(2026, 11, 12)
    assert not cal.is_working_day(dt.date(2026, 11, 9))


def test_year_without_decree_counts_weekends_only() -> None:
    assert not holidays_known(2024)
    assert holidays_known(2026)
    # 17 Aug 2024 is a Saturday; 1 Jan 2024 (a Monday) is a holiday, but 2024 has no decree here.
    assert CAL.is_working_day(dt.date(2024, 1, 1))
    assert not CAL.is_working_day(dt.date(2026, 1, 1))


def test_zero_days_is_the_start_and_negative_is_refused() -> None:
    assert CAL.add(dt.date(2026, 12, 25), 0) == dt.date(2026, 12, 25)
    with pytest.raises(ValueError):
        CAL.add(dt.date(2026, 12, 25), -1)


@pytest.mark.parametrize("text", ["2026-13-01", "26-12-01", "20261224", "kemarin"])
def test_bad_day_off_is_refused_naming_it(text: str) -> None:
    with pytest.raises(FormatError) as info:
        days_off_parse(f"2026-12-24,{text}", where="TERBUKA_EXTRA_DAYS_OFF")
    assert text in info.value.message_id and info.value.where == "TERBUKA_EXTRA_DAYS_OFF"


def test_empty_list_is_no_extra_days() -> None:
    assert days_off_parse(" , ") == frozenset()


@given(
    st.dates(min_value=dt.date(2025, 6, 1), max_value=dt.date(2027, 10, 1)),
    st.integers(min_value=0, max_value=40),
)
def test_add_and_between_agree(start: dt.date, days: int) -> None:
    end = CAL.add(start, days)
    assert CAL.between(start, end) == days
    assert days == 0 or CAL.is_working_day(end)
