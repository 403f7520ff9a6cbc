"""Notices of the reports' workflow: written with each step, in the reporter's language, naming
the tracking ID and state only, to the officers who see the case; none for a rolled-back step."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import override_settings
from django.utils import translation

from terbuka_web.notifications.models import Notification
from terbuka_web.notifications.recipients import recipient_open
from terbuka_web.participation.deadlines import deadlines_apply
from terbuka_web.participation.models import Case
from terbuka_web.participation.services import case_answer, case_forward, case_verify

from .conftest import World, at, file

REPORTER = "pelapor/reporter"


def notices(audience: str | None = None) -> list[Notification]:
    rows = Notification.objects.order_by("id")
    return list(rows.filter(audience=audience) if audience else rows)


def test_the_reporter_hears_of_each_state_in_their_language_and_nothing_else(
    world: World,
) -> None:
    with translation.override("en"):
        case, _ = file(at(2026, 12, 1))
    case = case_forward(actor=world.verifier, case=case, agency=world.dinas, now=at(2026, 12, 2))
    case_answer(
        actor=world.dinas_operator, case=case, answer="Sudah ditambal.", now=at(2026, 12, 3)
    )
    mine = notices(REPORTER)
    assert [n.subject for n in mine] == [
        f"Report {case.tracking_id}: {state}"
        for state in ("Received", "Verified", "Forwarded", "Followed up")
    ]
    assert {n.language for n in mine} == {"en"} and {n.channel for n in mine} == {"email"}
    for notice in mine:
        assert "/lapor/lacak/" in notice.body
        for private in ("Siti", "siti.unik", "berlubang", "Dinas PU", "ditambal"):
            assert private not in notice.subject + notice.body
        assert b"siti.unik" not in bytes(notice.recipient)  # sealed at rest
        assert recipient_open(notice.recipient, channel="email") == "siti.unik@example.org"
    # The agency's officers hear of the disposition, in Indonesian, with their case page.
    forwarded = [n for n in notices() if n.kind == "participation.forwarded"]
    assert sorted(n.audience for n in forwarded) == ["operator.pu"]
    assert "didisposisikan ke Dinas PU" in forwarded[0].subject
    assert f"/lapor/kelola/{case.tracking_id}/" in forwarded[0].body


def test_no_contact_wish_no_notice_and_a_phone_gets_the_configured_channel(world: World) -> None:
    file(at(2026, 12, 1), contact_preference="none", contact="081299990000")
    assert notices(REPORTER) == []
    file(at(2026, 12, 1), ip="192.0.2.9", contact_preference="phone", contact="+62 812 3456 7890")
    assert [n.channel for n in notices(REPORTER)] == ["sms"]
    with override_settings(NOTIFY={**_notify(), "PHONE_CHANNEL": "whatsapp"}):
        file(at(2026, 12, 1), ip="192.0.2.10", contact_preference="phone", contact="0812345678")
    assert [n.channel for n in notices(REPORTER)] == ["sms", "whatsapp"]


def _notify() -> dict[str, object]:
    from django.conf import settings

    return dict(settings.NOTIFY)


def test_a_rolled_back_step_sends_nothing(world: World) -> None:
    case, _ = file(at(2026, 12, 1))
    before = Notification.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        case_verify(actor=world.verifier, case=case, now=at(2026, 12, 1))
        raise RuntimeError("the request failed after the step")
    assert Notification.objects.count() == before
    case.refresh_from_db()
    assert case.state == "received"


def test_a_rahasia_case_is_notified_to_pa_and_ppk_only(world: World) -> None:
    case, _ = file(at(2026, 12, 1), rahasia=True)
    case_forward(actor=world.verifier, case=case, agency=world.desa, now=at(2026, 12, 1))
    officers = [n.audience for n in notices() if n.kind == "participation.forwarded"]
    assert officers == ["pa.desa"]  # the desa's operator does not see a rahasia case
    reporter = notices(REPORTER)[-1]
    assert reporter.body.count(case.tracking_id) == 1 and "Desa" not in reporter.body


def test_reminders_and_escalations_reach_the_officers_who_must_act(world: World) -> None:
    unforwarded, _ = file(at(2026, 12, 23), subject="service", service="Puskesmas", region="")
    assert deadlines_apply(now=at(2026, 12, 29)).reminded == 1
    reminders = [n for n in notices() if n.kind == "participation.reminder"]
    assert [n.audience for n in reminders] == ["admin.lapor"]  # who must forward it
    assert f"Tenggat laporan {unforwarded.tracking_id}" in reminders[0].subject
    Notification.objects.all().delete()
    case, _ = file(at(2026, 12, 1), ip="192.0.2.3", contact="lain@example.org")
    case = case_forward(actor=world.verifier, case=case, agency=world.desa, now=at(2026, 12, 2))
    assert deadlines_apply(now=at(2026, 12, 8)).reminded == 1
    reminders = [n for n in notices() if n.kind == "participation.reminder"]
    assert sorted(n.audience for n in reminders) == ["operator.desa", "pa.desa"]
    assert deadlines_apply(now=at(2026, 12, 10)).escalated == 1
    escalated = [n for n in notices() if n.kind == "participation.escalated"]
    assert [n.audience for n in escalated] == ["koordinator.kecamatan"]
    assert "tingkat Kecamatan" in escalated[0].subject
    assert not [n for n in notices(REPORTER) if "Kecamatan" in n.body]


def test_the_reporters_name_and_contact_are_sealed_at_rest_and_survive_a_key_rotation(
    world: World,
) -> None:
    case, _ = file(at(2026, 12, 1))
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM participation_case WHERE id = %s", [case.pk])
        stored = b" ".join(
            bytes(v) if isinstance(v, bytes | memoryview) else str(v).encode()
            for v in cursor.fetchone()
        )
    assert b"siti.unik" not in stored and b"Siti" not in stored
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.contact == "siti.unik@example.org" and (fresh.reporter_name or "").startswith(
        "Siti"
    )
    old_key = settings.SECRET_KEY
    with override_settings(
        SECRET_KEY="a-new-secret-key-" + "x" * 40, SECRET_KEY_FALLBACKS=[old_key]
    ):
        assert Case.objects.get(pk=case.pk).contact == "siti.unik@example.org"
    with override_settings(SECRET_KEY="a-new-secret-key-" + "x" * 40, SECRET_KEY_FALLBACKS=[]):
        assert Case.objects.get(pk=case.pk).contact is None  # sealed under a key that is gone
