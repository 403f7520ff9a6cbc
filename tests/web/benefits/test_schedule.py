"""Test automatic cycles on a frozen day: a programme's schedule starts one cycle a month, a
declared disaster starts one cycle of each programme over its regions and puts its regions in
the rules' disaster_zones, the tick claws expired cycles back; declarations are checked,
owned by region and logged."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command

from terbuka.errors import ValidationError
from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.accounts.services import PermissionDenied
from terbuka_web.benefits.cycles import ENTITLEMENT_DAYS
from terbuka_web.benefits.disasters import declared_zones, disaster_declare
from terbuka_web.benefits.models import Cycle, CycleItem, Disaster, Programme
from terbuka_web.benefits.registry import registry_import
from terbuka_web.benefits.schedule import benefits_tick, triggers_due
from terbuka_web.ledger.models import Account
from terbuka_web.transparency.models import LogEntry

from .conftest import Consortium, dinsos, person, programme_new, propose, registry_bytes

A, B = "35.22.01.2001", "35.22.02.2001"  # kecamatan 35.22.01 and 35.22.02
RELIEF = {
    "eligibility": 'desil <= 5 && disaster_zones.exists(z, region.startsWith(z + "."))',
    "entitlement": "500000",
    "parameters": {},
}


@pytest.fixture
def people(region: list[Agency]) -> None:
    data = registry_bytes([person(i, A if i % 2 else B, desil=2) for i in range(6)])
    registry_import(actor=None, filename="r.csv", data=data)


def adopt(consortium: Consortium, slug: str, rules: dict[str, object] | None = None,
          **fields: object) -> Programme:  # fmt: skip
    programme = programme_new(slug, **fields)
    consortium.adopt(propose(programme, rules))
    programme.refresh_from_db()
    return programme


def day(month: int, n: int) -> dt.date:
    return dt.date(2026, month, n)


def test_triggers_due_follow_the_schedule_and_the_period() -> None:
    monthly = Programme(slug="p", period_start=day(3, 10), period_end=day(6, 30), schedule_day=5,
                        regions=["35.22"])  # fmt: skip
    assert triggers_due(monthly, day(3, 20), []) == []  # day 5 of March precedes the period
    assert triggers_due(monthly, day(4, 4), []) == []  # not yet day 5
    assert triggers_due(monthly, day(4, 5), []) == ["jadwal:2026-04"]
    assert triggers_due(monthly, day(4, 30), []) == ["jadwal:2026-04"]
    assert triggers_due(monthly, day(7, 5), []) == []  # after the period
    flood = Disaster(pk=4, regions=["35.22.05"], starts_on=day(4, 1), ends_on=day(4, 9))
    elsewhere = Disaster(pk=5, regions=["35.23"], starts_on=day(4, 1), ends_on=day(4, 9))
    relief = Programme(slug="r", period_start=day(1, 1), period_end=day(12, 31), on_disaster=True,
                       regions=["35.22"])  # fmt: skip
    assert triggers_due(relief, day(4, 2), [flood, elsewhere]) == ["bencana:4"]
    assert triggers_due(monthly, day(4, 2), [flood]) == []  # not on_disaster


def test_the_schedule_starts_one_cycle_a_month(people: None, consortium: Consortium) -> None:
    programme = adopt(consortium, "blt-bulanan", schedule_day=5)
    assert benefits_tick(today=day(3, 4)).started == []
    assert benefits_tick(today=day(3, 5)).started == ["blt-bulanan/1"]
    assert benefits_tick(today=day(3, 6)).started == []  # the same month: already ran
    assert benefits_tick(today=day(3, 31)).started == []
    assert benefits_tick(today=day(4, 7)).started == ["blt-bulanan/2"]
    cycles = list(programme.cycles.values_list("number", "trigger", "status"))
    assert cycles == [(1, "jadwal:2026-03", "done"), (2, "jadwal:2026-04", "done")]
    assert CycleItem.objects.credited().filter(cycle__programme=programme).count() == 12


def test_an_officer_cycle_does_not_take_the_schedule_s_place(
    people: None, consortium: Consortium
) -> None:
    programme = adopt(consortium, "blt-bulanan", schedule_day=1)
    call_command("terbuka_benefits", "disburse", "blt-bulanan")
    assert list(programme.cycles.values_list("trigger", flat=True)) == [""]
    assert benefits_tick(today=day(5, 1)).started == ["blt-bulanan/2"]


def test_a_declared_disaster_starts_relief_in_its_zones_only(
    people: None, consortium: Consortium
) -> None:
    relief = adopt(consortium, "bantuan-banjir", RELIEF, on_disaster=True)
    cash = adopt(consortium, "blt-tunai", on_disaster=False)
    assert benefits_tick(today=day(2, 1)).started == []  # no disaster: nothing due
    flood = disaster_declare(
        actor=None, title="Banjir Uji", regions=["35.22.01"], starts_on=day(2, 3),
        ends_on=day(2, 20),
    )  # fmt: skip
    assert declared_zones(day(2, 2)) == [] and declared_zones(day(2, 3)) == ["35.22.01"]
    assert benefits_tick(today=day(2, 2)).started == []  # declared for tomorrow
    assert benefits_tick(today=day(2, 3)).started == ["bantuan-banjir/1"]
    assert benefits_tick(today=day(2, 4)).started == []  # one cycle per declaration
    cycle = relief.cycles.get()
    assert cycle.trigger == f"bencana:{flood.pk}"
    villages = set(CycleItem.objects.filter(cycle=cycle).values_list("village_code", flat=True))
    assert villages == {A}  # only the declared kecamatan's registrants (3 of 6)
    assert CycleItem.objects.filter(cycle=cycle).count() == 3
    assert not cash.cycles.exists()
    entry = json.loads(bytes(LogEntry.objects.get(kind="benefit.disaster").data))
    assert entry == {
        "kind": "benefit.disaster", "id": flood.pk, "title": "Banjir Uji",
        "regions": ["35.22.01"], "starts_on": "2026-02-03", "ends_on": "2026-02-20",
    }  # fmt: skip
    disaster_declare(
        actor=None, title="Banjir Kedua", regions=["35.22.02"], starts_on=day(2, 10),
        ends_on=day(2, 12),
    )  # fmt: skip
    assert benefits_tick(today=day(2, 11)).started == ["bantuan-banjir/2"]
    second = relief.cycles.get(number=2)
    # both floods are in force on the 11th, yet each declaration's cycle pays its own zones:
    # the first flood's registrants are not paid twice for it
    assert set(CycleItem.objects.filter(cycle=second).values_list("village_code", flat=True)) == {B}
    assert CycleItem.objects.filter(cycle=second).count() == 3


def test_the_tick_claws_back_expired_cycles_once(people: None, consortium: Consortium) -> None:
    programme = adopt(consortium, "blt-bulanan", schedule_day=1)
    benefits_tick(today=day(1, 1))
    cycle = programme.cycles.get()
    expiry = day(1, 1) + dt.timedelta(days=ENTITLEMENT_DAYS)
    assert cycle.expires_on == expiry
    paid = sum(CycleItem.objects.filter(cycle=cycle).values_list("amount", flat=True))
    fund = Account.objects.get(key="programme:blt-bulanan")
    before = fund.balance
    on_expiry = benefits_tick(today=expiry)
    assert on_expiry.clawed_back == 0  # still spendable on its last day
    after = benefits_tick(today=expiry + dt.timedelta(days=1))
    assert after.clawed_back == paid
    assert benefits_tick(today=expiry + dt.timedelta(days=2)).clawed_back == 0
    fund.refresh_from_db()
    # the next month's cycles were paid meanwhile; the first came back whole
    assert fund.balance == before + paid - sum(
        CycleItem.objects.filter(cycle__programme=programme, cycle__number__gt=1)
        .values_list("amount", flat=True)
    )  # fmt: skip


def test_a_refused_cycle_is_reported_and_the_others_go_on(
    people: None, consortium: Consortium
) -> None:
    adopt(consortium, "a-kecil", schedule_day=1, budget=1000)  # fund short of Rp 1.8 million
    adopt(consortium, "b-cukup", schedule_day=1)
    lines: list[str] = []
    result = benefits_tick(today=day(6, 1), report=lines.append)
    assert result.started == ["b-cukup/1"] and result.refused == ["a-kecil/jadwal:2026-06"]
    assert len(lines) == 1 and "a-kecil" in lines[0] and "tidak cukup" in lines[0]
    assert not Cycle.objects.filter(programme__slug="a-kecil").exists()


def _officer(role: str, agency: Agency | None) -> User:
    return User.objects.create_user(username=f"u-{role}", password="x", role=role, agency=agency)


def test_declarations_are_checked_and_owned_by_region(region: list[Agency]) -> None:
    ppk = _officer(Role.PPK, dinsos())
    good = disaster_declare(
        actor=ppk, title="Longsor Uji", regions=["35.22.05", "35.22.05"], starts_on=day(1, 1),
        ends_on=day(1, 1),
    )  # fmt: skip
    assert good.regions == ["35.22.05"] and good.declared_by == ppk and good.entry_id
    with pytest.raises(PermissionDenied):  # outside Bojonegoro
        disaster_declare(actor=ppk, title="Banjir", regions=["35.23.01"], starts_on=day(1, 1),
                         ends_on=day(1, 2))  # fmt: skip
    with pytest.raises(PermissionDenied):  # an operator does not declare
        disaster_declare(actor=_officer(Role.OPERATOR, dinsos()), title="Banjir",
                         regions=["35.22.01"], starts_on=day(1, 1), ends_on=day(1, 2))  # fmt: skip
    admin = _officer(Role.ADMIN, None)
    disaster_declare(actor=admin, title="Gempa Uji", regions=["35.23"], starts_on=day(1, 1),
                     ends_on=day(1, 2))  # fmt: skip
    for regions, start, end, where in [
        (["35.22.1"], day(1, 1), day(1, 2), "regions"),
        ([], day(1, 1), day(1, 2), "regions"),
        (["35.22.01"], day(1, 5), day(1, 2), "ends_on"),
        (["35.22.01"], day(1, 1), day(1, 1) + dt.timedelta(days=400), "ends_on"),
    ]:
        with pytest.raises(ValidationError) as refused:
            disaster_declare(actor=admin, title="Banjir", regions=regions, starts_on=start,
                             ends_on=end)  # fmt: skip
        assert refused.value.where == where
    assert Disaster.objects.count() == 2
    assert LogEntry.objects.filter(kind="benefit.disaster").count() == 2


def test_the_cli_declares_and_ticks(people: None, consortium: Consortium, capsys) -> None:  # type: ignore[no-untyped-def]
    adopt(consortium, "bantuan-banjir", RELIEF, on_disaster=True)
    call_command("terbuka_benefits", "declare", "--title", "Banjir CLI", "--regions",
                 "35.22.02", "--start", "2026-08-01", "--end", "2026-08-03")  # fmt: skip
    call_command("terbuka_benefits", "tick", "--today", "2026-08-02")
    out = capsys.readouterr().out
    assert "bencana ditetapkan / disaster declared" in out
    assert "1 siklus dimulai / cycles started ['bantuan-banjir/1']" in out
    with pytest.raises(CommandError, match="regions"):
        call_command("terbuka_benefits", "declare", "--title", "Banjir", "--regions", "x",
                     "--start", "2026-08-01", "--end", "2026-08-03")  # fmt: skip
    with pytest.raises(CommandError, match="schedule_day"):
        call_command("terbuka_benefits", "create", "baru", "--name", "Baru", "--budget", "10",
                     "--start", "2026-01-01", "--end", "2026-12-31", "--regions", "35.22",
                     "--agency", "3522-dinsos", "--schedule-day", "31")  # fmt: skip


def test_declarations_are_public(region: list[Agency], client) -> None:  # type: ignore[no-untyped-def]
    disaster_declare(actor=None, title="Banjir Publik", regions=["35.22.05"],
                     starts_on=day(3, 1), ends_on=day(3, 9))  # fmt: skip
    page = client.get("/bantuan/").content.decode()
    assert "Banjir Publik" in page and "<code>35.22.05</code>" in page
