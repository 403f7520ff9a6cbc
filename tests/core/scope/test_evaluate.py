"""Scope evaluation: wajib or sukarela with the reason; deadlines over national holidays."""

from __future__ import annotations

import datetime as dt

import pytest

from terbuka.scope.evaluate import Facts, StageStatus, deadline, evaluate, stage_status
from terbuka.scope.policy import policy_parse
from terbuka.workdays import WorkCalendar

from .test_policy import PILOT

POLICY = policy_parse(PILOT)


def test_pilot_small_direct_purchase_is_obligatory() -> None:
    verdict = evaluate(POLICY, Facts("goods", "pengadaan_langsung", 200_000_000, "3522-disdik"))
    assert verdict.obligatory and verdict.label == "wajib"
    assert verdict.rule == "Pengadaan langsung s.d. Rp200 juta"


@pytest.mark.parametrize(
    ("facts", "reason_en"),
    [
        (Facts("goods", "pengadaan_langsung", 200_000_001, None), "above Rp200,000,000"),
        (Facts("works", "pengadaan_langsung", 1, None), "category works not in"),
        (Facts("goods", "tender", 1, None), "method tender not in"),
        (Facts("goods", "pengadaan_langsung", None, None), "value not known"),
        (Facts(None, "pengadaan_langsung", 1, None), "category ? not in"),
    ],
)
def test_voluntary_names_the_reason(facts: Facts, reason_en: str) -> None:
    verdict = evaluate(POLICY, facts)
    assert not verdict.obligatory and verdict.label == "sukarela"
    assert reason_en in verdict.reason_en
    assert verdict.reason_id != verdict.reason_en


def test_no_scope_in_force_is_voluntary() -> None:
    assert evaluate(None, Facts("goods", "tender", 1, "x")).reason_en == "no scope in force yet"


def test_agency_and_value_min_criteria() -> None:
    data = {**PILOT, "rules": [{"name": "Dinas PU besar", "agencies": ["pu"], "value_min": 10}]}
    policy = policy_parse(data)
    assert evaluate(policy, Facts(None, None, 10, "pu")).obligatory
    assert not evaluate(policy, Facts(None, None, 9, "pu")).obligatory
    assert not evaluate(policy, Facts(None, None, 10, "dinkes")).obligatory


CAL = WorkCalendar()


def test_deadline_over_christmas_2026() -> None:
    # 24 Dec cuti bersama, 25 Dec Christmas, 26–27 weekend: Wed 23 + 3 working days = Wed 30.
    due = deadline(POLICY, "tender", dt.date(2026, 12, 23), CAL)
    assert due == dt.date(2026, 12, 30)
    assert stage_status(due, dt.date(2026, 12, 30), dt.date(2027, 1, 5)) is StageStatus.ON_TIME
    assert stage_status(due, dt.date(2026, 12, 31), dt.date(2027, 1, 5)) is StageStatus.LATE
    assert stage_status(due, None, dt.date(2026, 12, 30)) is StageStatus.PENDING
    assert stage_status(due, None, dt.date(2026, 12, 31)) is StageStatus.MISSING


def test_deadline_over_idul_fitri_2027() -> None:
    # Nyepi 8 Mar, Idulfitri 1448 H with cuti bersama 9–15 Mar 2027: Fri 5 + 3 = Thu 18 Mar.
    due = deadline(POLICY, "tender", dt.date(2027, 3, 5), CAL)
    assert due == dt.date(2027, 3, 18)
    assert stage_status(due, dt.date(2027, 3, 19), dt.date(2027, 3, 19)) is StageStatus.LATE


def test_extra_days_off_count() -> None:
    cal = WorkCalendar(extra_days_off=frozenset({dt.date(2026, 12, 28)}))
    assert deadline(POLICY, "tender", dt.date(2026, 12, 23), cal) == dt.date(2026, 12, 31)
