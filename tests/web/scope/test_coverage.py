"""Wajib/sukarela from a decision's effective date, deadlines over holidays, the pages."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from terbuka_web.scope.models import ProcessScope, StageDue
from terbuka_web.scope.selectors import coverage

from .conftest import (
    POLICY,
    World,
    draft,
    jakarta,
    process_new,
    publish,
    scope_decide,
    scope_propose,
)


def _tendered(world: World, title: str, start: dt.date, end: dt.date) -> object:
    process = process_new(world, title)
    draft(world, process, "planning", project=title)
    publish(world, process, "planning")
    draft(world, process, "tender", period_start=start.isoformat(), period_end=end.isoformat())
    return process


def test_voluntary_until_exactly_the_effective_date(world: World) -> None:
    before = _tendered(
        world, "Jalan Desa Sebelum Berlaku", dt.date(2026, 12, 20), dt.date(2026, 12, 20)
    )
    after = _tendered(
        world, "Jalan Desa Sejak Berlaku", dt.date(2026, 12, 21), dt.date(2026, 12, 28)
    )
    publish(world, before, "tender")
    publish(world, after, "tender")
    assert not ProcessScope.objects.exists()  # no scope yet: voluntary, no rows
    scope_decide(world, effective=jakarta(dt.date(2026, 12, 21)))
    assert not ProcessScope.objects.get(process=before).obligatory
    scope = ProcessScope.objects.get(process=after)
    assert scope.obligatory and "Tender pekerjaan konstruksi" in scope.reason_en
    stages = set(StageDue.objects.filter(process=after).values_list("stage", flat=True))
    assert stages == {"tender", "award"}  # planning's event (registration) came before


@pytest.fixture
def christmas(world: World) -> dict[str, object]:
    """Three obligatory processes whose tender opens Wed 23 Dec 2026 (due Wed 30 Dec)."""
    scope_decide(world)  # in force from now (5 Dec 2026 in the suite's clock or later)
    found = {}
    for name in ("tepat", "telat", "hilang"):
        found[name] = _tendered(
            world, f"Jalan Natal {name}", dt.date(2026, 12, 23), dt.date(2026, 12, 29)
        )
    publish(world, found["tepat"], "tender", on=dt.date(2026, 12, 30))
    publish(world, found["telat"], "tender", on=dt.date(2026, 12, 31))
    return found


def test_deadline_over_christmas_on_time_late_missing(
    world: World, christmas: dict[str, object]
) -> None:
    due = StageDue.objects.get(process=christmas["hilang"], stage="tender")
    assert due.due_on == dt.date(2026, 12, 30)
    (day30,) = coverage(dt.date(2026, 12, 30))
    assert (day30.total.late, day30.total.missing) == (1, 0)
    (day31,) = coverage(dt.date(2026, 12, 31))
    assert (day31.total.on_time, day31.total.late, day31.total.missing) == (4, 1, 1)
    assert day31.total.processes == 3 and day31.rows[0].agency == world.agency


def test_deadline_over_idul_fitri_2027(world: World) -> None:
    """Nyepi 8 Mar, Idulfitri 1448 H with cuti bersama 9–15 Mar 2027: Fri 5 + 3 = Thu 18."""
    scope_decide(world)
    on_time = _tendered(world, "Jalan Lebaran tepat", dt.date(2027, 3, 5), dt.date(2027, 3, 12))
    late = _tendered(world, "Jalan Lebaran telat", dt.date(2027, 3, 5), dt.date(2027, 3, 12))
    publish(world, on_time, "tender", on=dt.date(2027, 3, 18))
    publish(world, late, "tender", on=dt.date(2027, 3, 19))
    dues = StageDue.objects.filter(stage="tender").values_list("due_on", flat=True)
    assert set(dues) == {dt.date(2027, 3, 18)}
    (phase,) = coverage(dt.date(2027, 3, 19))
    assert (phase.total.on_time, phase.total.late) == (3, 1)  # two plannings + one tender


def _at(day: dt.date):  # type: ignore[no-untyped-def]
    return mock.patch(
        "django.utils.timezone.now", return_value=jakarta(day) + dt.timedelta(hours=12)
    )


def test_pages_show_late_and_missing_on_a_frozen_clock(
    world: World, christmas: dict[str, object], client: Client, django_assert_max_num_queries
) -> None:
    with _at(dt.date(2026, 12, 31)), django_assert_max_num_queries(8):
        page = client.get("/cakupan/").content.decode()
    assert "Dinas PU Bina Marga" in page and "<svg" in page and "<table" in page
    with _at(dt.date(2026, 12, 31)):
        agency = client.get("/cakupan/3522-dpupr/").content.decode()
    assert "Jalan Natal telat" in agency and "Jalan Natal hilang" in agency
    assert "Jalan Natal tepat" not in agency
    with _at(dt.date(2026, 12, 30)):
        agency = client.get("/cakupan/3522-dpupr/").content.decode()
    assert "Jalan Natal hilang" not in agency  # still due that day
    with _at(dt.date(2026, 12, 31)):
        late = client.get(f"/proses/{christmas['telat'].ocid}/").content.decode()  # type: ignore[attr-defined]
        missing = client.get(f"/proses/{christmas['hilang'].ocid}/").content.decode()  # type: ignore[attr-defined]
    assert "Wajib" in late and "terlambat</strong>" in late
    assert "hilang: belum terbit" in missing and 'datetime="2026-12-30"' in missing


def test_process_page_says_wajib_or_sukarela(world: World, client: Client) -> None:
    goods = process_new(world, "Alat Tulis Kantor", category="goods")
    draft(world, goods, "planning", project="Alat Tulis Kantor")
    publish(world, goods, "planning")
    scope_decide(world)
    works = _tendered(world, "Jalan Poros Wajib", dt.date(2026, 12, 23), dt.date(2026, 12, 29))
    page = client.get(f"/proses/{works.ocid}/").content.decode()
    assert "Wajib" in page
    page = client.get(f"/proses/{goods.ocid}/").content.decode()
    assert "Sukarela" in page and "category goods not in" not in page  # Indonesian reason
    assert "kategori" in page


def test_scope_proposal_carries_its_dry_run(world: World, client: Client) -> None:
    goods = process_new(world, "Alat Tulis Kantor", category="goods")
    draft(world, goods, "planning", project="Alat Tulis Kantor")
    publish(world, goods, "planning")
    scope_decide(world)
    goods_rule = {"name": "Semua barang", "categories": ["goods"]}
    wider = {**POLICY, "phase": "expansion", "rules": [*POLICY["rules"], goods_rule]}
    proposal = scope_propose(wider, timezone.now() + dt.timedelta(days=40))
    dry = proposal.canonical["payload"]["dry_run"]
    assert dry["becoming"] == 1
    assert dry["agencies"]["3522-dpupr"]["ocids"] == [goods.ocid]
    page = client.get(f"/konsorsium/usulan/{proposal.uid}/").content.decode()
    assert "Semua barang" in page and "Dinas PU Bina Marga" in page
    home = client.get("/konsorsium/").content.decode()
    assert "Cakupan publikasi yang berlaku" in home and "Tender pekerjaan konstruksi" in home
