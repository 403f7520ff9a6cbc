"""The public report statistics from the maintained tally give what a read of every public case
gives (counts, medians of follow-up days per agency and kecamatan) after any sequence of writes,
and the cached figures move with the first public change of a case."""

from __future__ import annotations

import random
import re
import statistics
from collections import defaultdict

import pytest
from django.core.cache import cache
from django.test import Client

from terbuka_web.participation import selectors, tally, views
from terbuka_web.participation.models import Case, CaseTallyChange
from terbuka_web.participation.services import case_forward
from tests.web.participation.conftest import OTHER_VILLAGE, VILLAGE, World, at, file

pytestmark = pytest.mark.django_db


def reference(cases: list[Case]) -> dict[str, tuple[int, int, int, int, int, int, float | None]]:
    """Return group → figures of the public cases, counted one case at a time."""
    groups: dict[str, list[Case]] = defaultdict(list)
    for c in cases:
        if c.rahasia:
            continue
        groups["total"].append(c)
        if c.agency_id:
            groups[c.agency.code].append(c)
        if c.region_id and c.region_id.count(".") >= 2:
            groups[".".join(c.region_id.split(".")[:3])].append(c)
    found = {}
    for key, rows in groups.items():
        days = [c.followup_days for c in rows if c.followup_days is not None]
        found[key] = (
            len(rows),
            sum(c.forwarded_on_time is not None for c in rows),
            sum(c.forwarded_on_time is True for c in rows),
            sum(c.answered_on_time is not None for c in rows),
            sum(c.answered_on_time is True for c in rows),
            sum(c.escalations > 0 for c in rows),
            statistics.median(days) if days else None,
        )
    return found


def figures(s: selectors.CaseStats) -> tuple[int, int, int, int, int, int, float | None]:
    return (
        s.received, s.forwarded, s.forwarded_on_time, s.answered, s.answered_on_time,
        s.escalated, s.median_days,
    )  # fmt: skip


def test_grouped_statistics_equal_a_case_by_case_count(world: World) -> None:
    rng = random.Random(15)
    for i in range(40):
        case, _secret = file(
            at(2026, 3, 2 + i % 20),
            ip=f"203.0.113.{i}",
            region=rng.choice([VILLAGE, OTHER_VILLAGE]),
            contact=f"warga{i}@example.org",
        )
        Case.objects.filter(pk=case.pk).update(
            agency=rng.choice([None, world.dinas, world.other]),
            rahasia=rng.random() < 0.15,
            forwarded_on_time=rng.choice([None, True, False]),
            answered_on_time=rng.choice([None, True, False]),
            followup_days=rng.choice([None, 0, 1, 2, 3, 5, 8, 13]),
            escalations=rng.choice([0, 0, 1, 2]),
        )
    total, agencies, districts = selectors.stats_compute()
    expected = reference(list(Case.objects.select_related("agency")))
    assert figures(total) == expected["total"]
    assert {a.key: figures(a) for a in agencies} == {
        k: v for k, v in expected.items() if k in (world.dinas.code, world.other.code)
    }
    assert {d.key: figures(d) for d in districts} == {
        k: v for k, v in expected.items() if k.count(".") == 2
    }
    assert [d.key for d in districts] == sorted(d.key for d in districts)


def test_median_of_a_histogram_is_statistics_median() -> None:
    rng = random.Random(7)
    for _ in range(200):
        values = [rng.randrange(12) for _ in range(rng.randrange(1, 15))]
        histogram: dict[int, int] = defaultdict(int)
        for v in values:
            histogram[v] += 1
        assert selectors._median(histogram) == statistics.median(values)
    assert selectors._median({}) is None


def test_cached_statistics_move_with_a_public_change(world: World) -> None:
    cache.clear()
    case, _secret = file(at(2026, 3, 2), region=VILLAGE)
    before = selectors.stats_public()[0]
    assert before.forwarded == 0
    case_forward(actor=world.verifier, case=case, agency=world.dinas, now=at(2026, 3, 3))
    from terbuka_web.portal import selectors as portal

    portal._choices.stamp_at = float("-inf")  # the next read asks for the stamp (TTL passed)
    assert selectors.stats_public()[0].forwarded == 1


def test_maintained_tally_follows_every_write_exactly(world: World) -> None:
    """Random inserts, updates of every counted column (back and forth), rahasia flips and
    deletes, with folds in between or not: the tally's figures always equal a case-by-case
    count (the triggers run on both databases, and a fold never moves a change twice)."""
    rng = random.Random(13)
    template, _secret = file(at(2026, 3, 2), region=VILLAGE)
    regions = [VILLAGE, OTHER_VILLAGE, "35.22", "35", None]
    agencies = [None, world.dinas, world.other, world.desa]
    values = {
        "agency": lambda: rng.choice(agencies),
        "region_id": lambda: rng.choice(regions),
        "rahasia": lambda: rng.random() < 0.2,
        "forwarded_on_time": lambda: rng.choice([None, True, False]),
        "answered_on_time": lambda: rng.choice([None, True, False]),
        "followup_days": lambda: rng.choice([None, 0, 1, 2, 3, 5, 8, 13, 21]),
        "escalations": lambda: rng.choice([0, 0, 1, 2]),
    }
    ids: list[int] = []  # the clones (the template stays, to clone from)
    for step in range(120):
        action = rng.random()
        if action < 0.35 or len(ids) < 3:
            fields = {name: make() for name, make in values.items()}
            clone = Case.objects.get(pk=template.pk)
            clone.pk, clone.tracking_id = None, f"LPR-T{step:08d}"
            for name, value in fields.items():
                setattr(clone, name, value)
            clone.save()
            ids.append(clone.pk)
        elif action < 0.9:
            name = rng.choice(list(values))
            Case.objects.filter(pk=rng.choice(ids)).update(**{name: values[name]()})
        else:
            doomed = ids.pop(rng.randrange(len(ids)))
            Case.objects.filter(pk=doomed).delete()
        if rng.random() < 0.3:
            tally.tally_fold()
        if step % 10 == 9:
            total, agencies_found, districts = selectors.stats_compute()
            expected = reference(list(Case.objects.select_related("agency")))
            assert figures(total) == expected.get("total", (0, 0, 0, 0, 0, 0, None))
            assert {a.key: figures(a) for a in agencies_found} == {
                k: v for k, v in expected.items() if k in {a.code for a in agencies if a}
            }
            assert {d.key: figures(d) for d in districts} == {
                k: v for k, v in expected.items() if k.count(".") == 2
            }
    assert CaseTallyChange.objects.count() == 0  # the last compute folded every change


def test_statistics_are_served_stale_while_another_thread_recomputes(world: World) -> None:
    case, _secret = file(at(2026, 3, 2), region=VILLAGE)
    assert selectors.stats_public()[0].forwarded == 0  # this worker's latest figures
    case_forward(actor=world.verifier, case=case, agency=world.dinas, now=at(2026, 3, 3))
    from terbuka_web.portal import selectors as portal

    portal._choices.stamp_at = float("-inf")
    with selectors._STATS_LOCK:  # another thread of the worker is recomputing
        assert selectors.stats_public()[0].forwarded == 0
        assert selectors.stats_public_rendered("stale", lambda s: str(s[0].forwarded)) == "0"
    assert selectors.stats_public()[0].forwarded == 1


def _token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_shared_statistics_page_carries_each_visitors_own_csrf_token(world: World) -> None:
    """Anonymous visitors share one rendered page, yet each one's language form posts with a
    token of its own cookie (another visitor's would be refused), and the page moves with a
    public change of a case."""
    case, _secret = file(at(2026, 3, 2), region=VILLAGE)
    case_forward(actor=world.verifier, case=case, agency=world.dinas, now=at(2026, 3, 3))
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    pages = [c.get("/lapor/statistik/").content.decode() for c in (first, second)]
    assert views.CSRF_SLOT not in pages[0] + pages[1]
    assert "Dinas" in pages[0] and pages[0].replace(_token(pages[0]), "") == pages[1].replace(
        _token(pages[1]), ""
    )
    for client, page in ((first, pages[0]), (second, pages[1])):
        answer = client.post("/i18n/setlang/", {"csrfmiddlewaretoken": _token(page)})
        assert answer.status_code == 302
    assert (
        second.post("/i18n/setlang/", {"csrfmiddlewaretoken": _token(pages[0])}).status_code == 403
    )
    file(at(2026, 3, 4), ip="203.0.113.99", region=OTHER_VILLAGE)
    from terbuka_web.portal import selectors as portal

    portal._choices.stamp_at = float("-inf")  # the next read asks for the stamp (TTL passed)
    later = first.get("/lapor/statistik/").content.decode()
    assert later.replace(_token(later), "") != pages[0].replace(_token(pages[0]), "")


def test_signed_in_visitor_gets_a_page_of_their_own(world: World) -> None:
    """An officer's page (its manage link) is not the shared one, before or after it."""
    anonymous, officer = Client(), Client()
    officer.force_login(world.verifier)
    manage = 'href="/kelola/'
    assert manage not in anonymous.get("/lapor/statistik/").content.decode()
    assert manage in officer.get("/lapor/statistik/").content.decode()
    assert manage not in anonymous.get("/lapor/statistik/").content.decode()
    other_query = anonymous.get("/lapor/statistik/?periode=2026&x=1")
    assert other_query.status_code == 200 and manage not in other_query.content.decode()
