"""Test that every declared disaster pays once on frozen days, whenever the tick runs: a tick
that was down over a whole declaration, a declaration crossing the period's start, a fund
topped up or rules adopted after the declaration ended, a declaration made after its end;
each declaration's cycle reads its own zones, caught up oldest first with missed months. And
that the public per-village totals are current after a declaration, and again once it ends."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from terbuka_web.accounts.models import Agency
from terbuka_web.benefits.disasters import disaster_declare
from terbuka_web.benefits.models import CycleItem, CycleStart, Disaster, Programme
from terbuka_web.benefits.registry import registry_import
from terbuka_web.benefits.schedule import benefits_tick, disaster_programmes
from terbuka_web.benefits.selectors import public_totals
from terbuka_web.benefits.totals import totals_refresh_stale
from terbuka_web.ledger.services import posting_record

from .conftest import Consortium, person, programme_new, propose, registry_bytes

A, B = "35.22.01.2001", "35.22.02.2001"  # kecamatan 35.22.01 and 35.22.02
RELIEF = {
    "eligibility": 'desil <= 5 && disaster_zones.exists(z, region.startsWith(z + "."))',
    "entitlement": "500000",
    "parameters": {},
}
PER_HEAD = 500_000


@pytest.fixture
def people(region: list[Agency]) -> None:
    """Import five registrants in kecamatan 35.22.01 and five in 35.22.02."""
    data = registry_bytes([person(i, A if i % 2 else B) for i in range(10)])
    registry_import(actor=None, filename="r.csv", data=data)


def adopt(consortium: Consortium, programme: Programme, rules: dict[str, object]) -> Programme:
    consortium.adopt(propose(programme, rules))
    programme.refresh_from_db()
    return programme


def relief(consortium: Consortium, **fields: object) -> Programme:
    return adopt(consortium, programme_new("bantuan-banjir", on_disaster=True, **fields), RELIEF)


def day(month: int, n: int) -> dt.date:
    return dt.date(2026, month, n)


def declare(title: str, regions: list[str], start: dt.date, end: dt.date) -> Disaster:
    return disaster_declare(actor=None, title=title, regions=regions, starts_on=start,
                            ends_on=end)  # fmt: skip


def paid(programme: Programme) -> list[tuple[int, str, list[str]]]:
    """Return each cycle of programme: number, trigger and the villages it credited."""
    return [
        (c.number, c.trigger, sorted(set(
            CycleItem.objects.filter(cycle=c).credited().values_list("village_code", flat=True)
        )))
        for c in programme.cycles.order_by("number")
    ]  # fmt: skip


def test_a_tick_down_over_whole_declarations_pays_each_once_oldest_first(
    people: None, consortium: Consortium
) -> None:
    programme = relief(consortium, schedule_day=20)
    assert benefits_tick(today=day(3, 1)).started == []
    first = declare("Banjir Pertama", ["35.22.01"], day(3, 3), day(3, 6))
    second = declare("Banjir Kedua", ["35.22.02"], day(3, 10), day(3, 12))
    # the tick is down from 2 to 24 March: both declarations have ended, March 20 passed
    started = benefits_tick(today=day(3, 25)).started
    assert started == ["bantuan-banjir/1", "bantuan-banjir/2", "bantuan-banjir/3"]
    assert paid(programme) == [
        (1, f"bencana:{first.pk}", [A]),  # its own zones, though no longer in force
        (2, f"bencana:{second.pk}", [B]),
        (3, "jadwal:2026-03", []),  # no zone in force on the 25th: nobody is eligible
    ]
    for later in (day(3, 26), day(4, 19)):  # April 20 not yet
        assert benefits_tick(today=later).started == [], later
    starts = CycleStart.objects.filter(programme=programme)
    assert sorted(starts.values_list("state", flat=True)) == ["started"] * 3


def test_a_declaration_across_the_period_start_pays_once_the_period_begins(
    people: None, consortium: Consortium
) -> None:
    programme = relief(consortium, period_start=day(3, 1))
    flood = declare("Banjir Awal Periode", ["35.22.02"], day(2, 25), day(3, 4))
    assert benefits_tick(today=day(2, 26)).started == []  # before the programme's period
    # the tick is down from 27 February to 9 March, the day the period began included
    assert benefits_tick(today=day(3, 10)).started == ["bantuan-banjir/1"]
    assert paid(programme) == [(1, f"bencana:{flood.pk}", [B])]
    assert disaster_programmes(flood) == [programme]
    before = Disaster(regions=["35.22.02"], starts_on=day(2, 1), ends_on=day(2, 28))
    assert disaster_programmes(before) == []  # wholly before the period: nothing owed


def test_a_declaration_made_after_its_end_still_pays(people: None, consortium: Consortium) -> None:
    programme = relief(consortium)
    assert benefits_tick(today=day(5, 1)).started == []
    late = declare("Longsor Tercatat Terlambat", ["35.22.01"], day(4, 20), day(4, 22))
    assert disaster_programmes(late) == [programme]
    assert benefits_tick(today=day(5, 2)).started == ["bantuan-banjir/1"]
    assert paid(programme) == [(1, f"bencana:{late.pk}", [A])]


def test_a_refused_declaration_pays_when_the_fund_is_topped_up_after_it_ended(
    people: None, consortium: Consortium
) -> None:
    programme = relief(consortium, budget=PER_HEAD)  # short of five registrants' relief
    flood = declare("Banjir Dana Kurang", ["35.22.01"], day(7, 1), day(7, 3))
    result = benefits_tick(today=day(7, 2))
    assert result.refused == [f"bantuan-banjir/bencana:{flood.pk}"]
    assert benefits_tick(today=day(7, 10)).refused == []  # nothing changed: left alone
    posting_record(key="top-up", legs=[("treasury:apbd", "debit", 5 * PER_HEAD),
                   ("programme:bantuan-banjir", "credit", 5 * PER_HEAD)])  # fmt: skip
    assert benefits_tick(today=day(7, 11)).started == ["bantuan-banjir/1"]
    assert paid(programme) == [(1, f"bencana:{flood.pk}", [A])]
    assert CycleItem.objects.filter(cycle__programme=programme).count() == 5
    assert benefits_tick(today=day(7, 12)).started == []


def test_rules_adopted_after_a_declaration_pay_it_once_and_new_versions_do_not_repay(
    people: None, consortium: Consortium
) -> None:
    programme = programme_new("bantuan-banjir", on_disaster=True)
    flood = declare("Banjir Sebelum Aturan", ["35.22.02"], day(8, 1), day(8, 5))
    assert benefits_tick(today=day(8, 3)).started == []  # no rules in force yet
    adopt(consortium, programme, RELIEF)
    assert benefits_tick(today=day(8, 20)).started == ["bantuan-banjir/1"]
    adopt(consortium, programme, {**RELIEF, "entitlement": "750000"})
    assert benefits_tick(today=day(8, 21)).started == []  # one cycle per declaration
    assert paid(programme) == [(1, f"bencana:{flood.pk}", [B])]


def _shown(programme: Programme) -> tuple[int | None, int | None]:
    programme.refresh_from_db()
    totals = public_totals(programme.current)
    return totals.eligible, totals.amount


def test_public_totals_are_current_after_a_declaration_and_after_its_end(
    people: None, consortium: Consortium, client
) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    programme = relief(consortium, period_start=today, period_end=today + dt.timedelta(days=90))
    cash = adopt(consortium, programme_new("blt-tunai"), {**RELIEF, "eligibility": "desil <= 5"})
    assert _shown(programme) == (0, 0)  # no zone declared: nobody eligible
    cash_basis = cash.current.totals_basis if cash.current else None
    declare("Banjir Hari Ini", ["35.22.01"], today, today + dt.timedelta(days=2))
    assert _shown(programme) == (5, 5 * PER_HEAD)  # in the declaration's transaction
    page = client.get("/bantuan/bantuan-banjir/").content.decode()
    assert "2.500.000" in page and "35.22.01.2001" in page
    cash.refresh_from_db()
    assert cash.current is not None and cash.current.totals_basis == cash_basis  # not recomputed
    assert totals_refresh_stale(today) == 0  # current: the tick recomputes nothing
    declare("Banjir Esok", ["35.22.02"], today + dt.timedelta(days=1),
            today + dt.timedelta(days=5))  # fmt: skip
    assert _shown(programme) == (5, 5 * PER_HEAD)  # not yet in force
    benefits_tick(today=today + dt.timedelta(days=1))  # both in force
    assert _shown(programme) == (10, 10 * PER_HEAD)
    assert totals_refresh_stale(today + dt.timedelta(days=6)) == 1  # both ended
    assert _shown(programme) == (0, 0)


def test_region_pages_show_the_latest_cycle_that_reached_them(
    people: None, consortium: Consortium, client
) -> None:  # type: ignore[no-untyped-def]
    relief(consortium)
    declare("Banjir Pertama", ["35.22.01"], day(3, 3), day(3, 6))
    declare("Banjir Kedua", ["35.22.02"], day(3, 10), day(3, 12))
    assert len(benefits_tick(today=day(3, 25)).started) == 2
    first = client.get("/anggaran/35.22.01/").content.decode()
    assert 'href="/bantuan/bantuan-banjir/siklus/1/"' in first  # not cycle 2, which paid B only
    assert "Rp 2.500.000" in first
    second = client.get("/anggaran/35.22.02/").content.decode()
    assert 'href="/bantuan/bantuan-banjir/siklus/2/"' in second and "Rp 2.500.000" in second
    village = client.get(f"/anggaran/{A}/").content.decode()
    assert f'href="/bantuan/bantuan-banjir/siklus/1/#desa-{A}"' in village
