"""Test the tick's starts on frozen days: a refused cycle is recorded once with its reason and
attempted again only when what it depended on changes or an officer retries; a tick that was
down catches up the missed schedule days, each once; clawback logs its villages in one batch."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command

from terbuka.errors import ValidationError
from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.accounts.services import PermissionDenied
from terbuka_web.benefits.cycles import ENTITLEMENT_DAYS, _cycle_start, cycle_clawback
from terbuka_web.benefits.models import CycleItem, CycleStart, Programme
from terbuka_web.benefits.registry import registry_import
from terbuka_web.benefits.schedule import benefits_tick, triggers_due
from terbuka_web.benefits.starts import cycle_request, start_note, start_retry
from terbuka_web.ledger.services import posting_record
from terbuka_web.notifications.models import Notification
from terbuka_web.transparency.models import LogEntry

from .conftest import Consortium, dinsos, person, programme_new, propose, registry_bytes

A, B = "35.22.01.2001", "35.22.02.2001"
NEEDED = 6 * 300_000  # six registrants of desil 2, household 4


@pytest.fixture
def people(region: list[Agency]) -> None:
    data = registry_bytes([person(i, A if i % 2 else B) for i in range(6)])
    registry_import(actor=None, filename="r.csv", data=data)


def adopt(consortium: Consortium, slug: str, **fields: object) -> Programme:
    programme = programme_new(slug, **fields)
    consortium.adopt(propose(programme))
    programme.refresh_from_db()
    return programme


def day(month: int, n: int) -> dt.date:
    return dt.date(2026, month, n)


def _top_up(programme: Programme, amount: int, key: str) -> None:
    posting_record(key=key, legs=[("treasury:apbd", "debit", amount),
                   (f"programme:{programme.slug}", "credit", amount)])  # fmt: skip


def test_a_refusal_is_recorded_once_and_retried_when_the_fund_changes(
    people: None, consortium: Consortium
) -> None:
    programme = adopt(consortium, "a-kecil", schedule_day=1, budget=1000)
    lines: list[str] = []
    first = benefits_tick(today=day(6, 1), report=lines.append)
    assert first.refused == ["a-kecil/jadwal:2026-06"] and len(lines) == 1
    start = CycleStart.objects.get(programme=programme)
    assert (start.state, start.where, start.attempts) == ("refused", "fund", 1)
    assert "tidak cukup" in start.reason and "short" in start.reason_en
    notices = Notification.objects.filter(kind="benefits.cycle_refused").count()
    for minute in range(3):  # the tick every 60 s: nothing changed, nothing attempted
        again = benefits_tick(today=day(6, 1), report=lines.append)
        assert again.refused == [] and again.started == [], minute
    start.refresh_from_db()
    assert start.attempts == 1 and len(lines) == 1
    assert Notification.objects.filter(kind="benefits.cycle_refused").count() == notices
    _top_up(programme, NEEDED, "top-up-1")  # the fund changes: attempted again, and paid
    assert benefits_tick(today=day(6, 2)).started == ["a-kecil/1"]
    start.refresh_from_db()
    assert start.state == "started" and start.cycle is not None
    assert start.cycle.trigger == "jadwal:2026-06"
    assert benefits_tick(today=day(6, 3)).started == []


def test_a_rule_failure_waits_for_a_registry_import_or_an_officer(
    people: None, consortium: Consortium, region: list[Agency]
) -> None:
    failing = {
        "eligibility": "desil <= 3",
        "parameters": {},
        "entitlement": 'today < "2030" || desil != 2 ? 3000 : 3000 / (desil - 2)',
    }
    later = (dt.date(2031, 1, 1), dt.date(2031, 12, 31))
    programme = programme_new("bagi-nol", schedule_day=1, period_start=later[0],
                              period_end=later[1])  # fmt: skip
    consortium.adopt(propose(programme, failing))
    when = dt.date(2031, 7, 1)
    assert benefits_tick(today=when).refused == ["bagi-nol/jadwal:2031-07"]
    start = CycleStart.objects.get(programme=programme)
    assert "baris" in f"{start.where} {start.reason}"  # the failing registrant's row named
    assert benefits_tick(today=when).refused == []
    registry_import(actor=None, filename="s.csv", data=registry_bytes([person(50, A)]))
    assert benefits_tick(today=when).refused == ["bagi-nol/jadwal:2031-07"]
    assert benefits_tick(today=when).refused == []
    operator = User.objects.create_user("op.sosial", role=Role.OPERATOR, agency=dinsos())
    with pytest.raises(PermissionDenied):
        start_retry(actor=operator, start=start)
    ppk = User.objects.create_user("ppk.sosial", role=Role.PPK, agency=dinsos())
    start.refresh_from_db()
    start_retry(actor=ppk, start=start)
    assert CycleStart.objects.get(pk=start.pk).state == "pending"
    with pytest.raises(ValidationError):  # only a refused start is retried
        start_retry(actor=ppk, start=CycleStart.objects.get(pk=start.pk))
    assert benefits_tick(today=when).refused == ["bagi-nol/jadwal:2031-07"]
    assert CycleStart.objects.get(pk=start.pk).attempts == 3


def test_triggers_due_catch_up_every_missed_month_in_the_period() -> None:
    monthly = Programme(slug="p", period_start=day(2, 10), period_end=day(7, 31), schedule_day=5,
                        regions=["35.22"])  # fmt: skip
    assert triggers_due(monthly, day(6, 4), [], day(3, 1)) == ["jadwal:2026-04", "jadwal:2026-05"]
    assert triggers_due(monthly, day(6, 5), [], day(3, 1)) == [
        "jadwal:2026-04", "jadwal:2026-05", "jadwal:2026-06"]  # fmt: skip
    assert triggers_due(monthly, day(9, 30), [], day(6, 1)) == ["jadwal:2026-07"]  # period end
    assert triggers_due(monthly, day(6, 5), [], day(6, 1)) == []  # done this month
    assert triggers_due(monthly, day(6, 5), []) == ["jadwal:2026-06"]  # no start yet: no back pay


def test_a_tick_that_was_down_catches_up_each_missed_month_once(
    people: None, consortium: Consortium
) -> None:
    programme = adopt(consortium, "blt-bulanan", schedule_day=5)
    assert benefits_tick(today=day(3, 5)).started == ["blt-bulanan/1"]
    # the tick is down from 6 March to 9 June: April, May and June are caught up, once
    call_command("terbuka_benefits", "tick", "--today", "2026-06-09")
    assert list(programme.cycles.values_list("number", "trigger")) == [
        (1, "jadwal:2026-03"), (2, "jadwal:2026-04"), (3, "jadwal:2026-05"),
        (4, "jadwal:2026-06"),
    ]  # fmt: skip
    assert benefits_tick(today=day(6, 10)).started == []
    assert benefits_tick(today=day(8, 4)).started == ["blt-bulanan/5"]  # July; August not yet
    assert benefits_tick(today=day(8, 5)).started == ["blt-bulanan/6"]
    assert CycleItem.objects.credited().filter(cycle__programme=programme).count() == 36


def test_an_officer_request_is_started_by_the_tick_once(
    people: None, consortium: Consortium
) -> None:
    programme = adopt(consortium, "blt-petugas")
    ppk = User.objects.create_user("ppk.sosial", role=Role.PPK, agency=dinsos())
    start = cycle_request(actor=ppk, programme=programme)
    assert start.trigger.startswith("petugas:") and start.requested_by == ppk
    with pytest.raises(ValidationError):  # a second click while pending pays nobody twice
        cycle_request(actor=ppk, programme=programme)
    other = User.objects.create_user(
        "ppk.pu", role=Role.PPK, agency=Agency.objects.get(code="3522-dpupr")
    )
    with pytest.raises(PermissionDenied):
        cycle_request(actor=other, programme=programme)
    assert benefits_tick(today=day(5, 1)).started == ["blt-petugas/1"]
    assert benefits_tick(today=day(5, 1)).started == []
    assert programme.cycles.get().trigger == start.trigger


def test_clawback_logs_each_village_once_in_one_batch(people: None, consortium: Consortium) -> None:
    programme = adopt(consortium, "blt-tarik", schedule_day=1)
    benefits_tick(today=day(1, 1))
    later = day(1, 1) + dt.timedelta(days=ENTITLEMENT_DAYS + 1)
    assert cycle_clawback(programme=programme, today=later) == NEEDED
    entries = [json.loads(bytes(e.data)) for e in LogEntry.objects.filter(
        kind="benefit.clawback").order_by("id")]  # fmt: skip
    assert entries == [
        {"kind": "benefit.clawback", "programme": "blt-tarik", "cycle": 1, "village_code": code,
         "clawed_back": NEEDED // 2}
        for code in (A, B)
    ]  # fmt: skip
    refs = list(LogEntry.objects.filter(kind="benefit.clawback").values_list("ref", flat=True))
    assert refs == [f"bantuan/blt-tarik/siklus/1/tarik/{code}" for code in (A, B)]


def test_the_tick_resumes_its_own_interrupted_cycle(people: None, consortium: Consortium) -> None:
    programme = adopt(consortium, "blt-sela", schedule_day=5)
    start_note(programme, "jadwal:2026-03")  # the tick notes the start, then runs it …
    cycle = _cycle_start(programme, day(3, 5), "jadwal:2026-03")  # … and is killed after this
    assert not CycleItem.objects.filter(cycle=cycle).credited().exists()
    assert benefits_tick(today=day(3, 6)).started == ["blt-sela/1"]
    cycle.refresh_from_db()
    assert cycle.status == "done" and programme.cycles.count() == 1
    assert CycleItem.objects.filter(cycle=cycle).credited().count() == 6
    assert CycleStart.objects.get(programme=programme).cycle == cycle
