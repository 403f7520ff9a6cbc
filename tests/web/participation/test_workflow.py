"""Drive the case workflow on a frozen clock across weekends and national holidays.

Christmas 2026: 24 Dec cuti bersama, 25 Dec Natal, 26–27 weekend, 1 Jan Tahun Baru.
Idul Fitri 2027: 8–12 and 15 March off (cuti bersama and the holidays).
"""

from __future__ import annotations

import datetime as dt

import pytest

from terbuka_web.accounts.services import PermissionDenied
from terbuka_web.notifications.models import Notification
from terbuka_web.participation.deadlines import deadlines_apply
from terbuka_web.participation.models import Case, CaseEvent
from terbuka_web.participation.selectors import cases_visible
from terbuka_web.participation.services import (
    WorkflowError,
    case_answer,
    case_close,
    case_forward,
    case_reject,
    case_reopen,
    case_start,
    case_verify,
)
from terbuka_web.transparency.models import LogEntry
from tests.web.participation.conftest import World, at, file

pytestmark = pytest.mark.django_db


def entries(case: Case) -> list[bytes]:
    return [bytes(e.data) for e in LogEntry.objects.filter(ref=f"lapor/{case.tracking_id}")]


def test_christmas_deadlines_and_auto_close(world: World) -> None:
    case, secret = file(at(2026, 12, 23))
    assert case.due_kind == "forward" and case.due_on == dt.date(2026, 12, 30)
    case = case_verify(actor=world.verifier, case=case, now=at(2026, 12, 23, 10))
    case = case_forward(actor=world.verifier, case=case, agency=world.dinas, now=at(2026, 12, 30))
    assert case.forwarded_on_time is True
    assert case.due_kind == "answer" and case.due_on == dt.date(
        2027, 1, 8
    )  # 1 Jan and a January holiday off
    case = case_start(actor=world.dinas_operator, case=case, now=at(2027, 1, 4))
    case = case_answer(
        actor=world.dinas_operator,
        case=case,
        answer="Lubang ditambal tanggal 5.",
        now=at(2027, 1, 6),
    )
    assert case.answered_on_time is True and case.followup_days == 3  # 31 Dec, 4, 6 Jan
    assert case.due_kind == "close" and case.due_on == dt.date(2027, 1, 20)
    assert deadlines_apply(now=at(2027, 1, 19, 23)).closed == 0
    assert deadlines_apply(now=at(2027, 1, 20)).closed == 1
    case.refresh_from_db()
    assert case.state == "closed" and case.due_on is None
    assert deadlines_apply(now=at(2027, 1, 20, 12)).closed == 0  # idempotent
    states = [e.state for e in case.events.filter(kind="state")]
    assert states == ["received", "verified", "forwarded", "in_progress", "answered", "closed"]
    assert len(entries(case)) == 6
    assert all(b"Siti" not in e and b"siti.unik" not in e for e in entries(case))
    with pytest.raises(WorkflowError):
        case_reopen(case=case, secret="salah", reason="Masih berlubang, tambalan lepas.")
    case = case_reopen(
        case=case, secret=secret, reason="Masih berlubang, tambalan lepas.", now=at(2027, 1, 21)
    )
    assert case.state == "reopened" and case.due_on == dt.date(2027, 1, 28)


def test_idul_fitri_deadlines_late_figures(world: World) -> None:
    case, secret = file(at(2027, 3, 5))  # Friday before the Idul Fitri break
    assert case.due_on == dt.date(2027, 3, 18)
    case = case_forward(actor=world.verifier, case=case, agency=world.dinas, now=at(2027, 3, 19))
    assert case.forwarded_on_time is False
    assert case.due_on == dt.date(2027, 3, 30)  # 25, 26 March off
    case = case_answer(
        actor=world.dinas_operator, case=case, answer="Sudah diperbaiki.", now=at(2027, 3, 31)
    )
    assert case.answered_on_time is False and case.followup_days == 6
    case = case_close(case=case, secret=secret, now=at(2027, 4, 1))
    assert case.state == "closed" and case.events.last().by_reporter  # type: ignore[union-attr]


def test_escalation_through_every_level(world: World) -> None:
    case, _ = file(at(2026, 12, 1))  # Tuesday; a place in a desa: handled from the desa up
    assert case.level == "desa"
    case = case_forward(actor=world.verifier, case=case, agency=world.desa, now=at(2026, 12, 2))
    assert case.due_on == dt.date(2026, 12, 9)
    seen = []
    now = at(2026, 12, 10)
    for level in ("kecamatan", "kabupaten", "provinsi", "nasional"):
        assert deadlines_apply(now=now).escalated == 1
        assert deadlines_apply(now=now).escalated == 0  # idempotent
        case.refresh_from_db()
        assert case.level == level and case.due_on is not None
        seen.append(level)
        now = dt.datetime.combine(case.due_on + dt.timedelta(days=1), dt.time(9), now.tzinfo)
    assert deadlines_apply(now=now + dt.timedelta(days=30)).escalated == 0  # nasional stays
    escalations = case.events.filter(kind=CaseEvent.Kind.ESCALATED)
    assert [e.level for e in escalations] == seen and case.escalations == 4
    assert sum(b'"event":"escalated"' in e for e in entries(case)) == 4
    # Each level's coordinator now may act; the desa's field operator still sees the case.
    case = case_answer(
        actor=world.coordinators["nasional"], case=case, answer="Diambil alih pusat.", now=now
    )
    assert case.state == "answered"


def test_unforwarded_report_escalates_and_reminders_are_sent_once(world: World) -> None:
    case, _ = file(at(2026, 12, 23), subject="service", service="Puskesmas Ngasem", region="")
    assert case.level == "kabupaten"
    assert deadlines_apply(now=at(2026, 12, 29)).reminded == 1  # one working day before 30 Dec
    assert deadlines_apply(now=at(2026, 12, 29, 15)).reminded == 0
    assert [n.audience for n in Notification.objects.filter(kind="participation.reminder")] == [
        "admin.lapor"
    ]
    assert deadlines_apply(now=at(2026, 12, 31)).escalated == 1
    case.refresh_from_db()
    assert case.level == "provinsi" and case.reminded_on is None
    assert not any(b"reminder" in e for e in entries(case))  # reminders are internal


def test_permissions_and_rejection(world: World) -> None:
    case, _ = file(at(2026, 12, 1))
    with pytest.raises(PermissionDenied):
        case_verify(actor=world.dinas_operator, case=case)
    case = case_forward(actor=world.verifier, case=case, agency=world.dinas, now=at(2026, 12, 1))
    with pytest.raises(PermissionDenied):
        case_answer(actor=world.other_operator, case=case, answer="Bukan urusan kami.")
    with pytest.raises(WorkflowError):
        case_reject(actor=world.verifier, case=case, reason="Sudah terlambat")
    fresh, _ = file(at(2026, 12, 1), title="Laporan iseng sekali")
    fresh = case_reject(
        actor=world.verifier, case=fresh, reason="Bukan laporan.", now=at(2026, 12, 2)
    )
    assert fresh.state == "rejected" and fresh.due_on is None


def test_rahasia_case_never_reaches_the_log(world: World) -> None:
    case, _ = file(at(2026, 12, 1), rahasia=True)
    case = case_forward(actor=world.verifier, case=case, agency=world.desa, now=at(2026, 12, 1))
    deadlines_apply(now=at(2026, 12, 20))
    assert case.events.count() >= 3 and entries(case) == []
    case.refresh_from_db()
    assert case.level == "kecamatan"  # escalated once: now the kecamatan needs to know

    def sees(user: object) -> bool:
        return cases_visible(user=user).filter(pk=case.pk).exists()  # type: ignore[arg-type]

    assert sees(world.coordinators["kecamatan"]) and sees(world.desa_pa) and sees(world.verifier)
    assert not sees(world.coordinators["kabupaten"]) and not sees(world.desa_operator)
    assert not sees(world.auditor) and not sees(world.dinas_operator)


def test_follow_secret_is_128_random_bits_kept_as_its_digest(world: World) -> None:
    """The follow secret carries 128 random bits (22 URL-safe characters), is stored only as
    its SHA-256, and follows its case alone."""
    import base64

    from terbuka_web.participation.selectors import case_by_secret

    case, secret = file(at(2026, 12, 23))
    other, other_secret = file(at(2026, 12, 23), ip="203.0.113.8")
    assert len(base64.urlsafe_b64decode(secret + "==")) == 16 and secret != other_secret
    assert secret not in case.secret_hash and len(case.secret_hash) == 64
    assert case_by_secret(case.tracking_id, secret) == case
    assert case_by_secret(case.tracking_id, other_secret) is None
    assert case_by_secret(other.tracking_id, secret) is None
