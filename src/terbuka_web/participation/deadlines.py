"""Apply the workflow's deadlines (`terbuka participation tick`): auto-close, reminders,
escalation. Idempotent: a second run on the same day changes nothing.

- A case answered CLOSE_DAYS working days ago without the reporter's reply is closed.
- One working day before a deadline to forward or to follow up, a reminder is recorded on
  the case (once per deadline) and e-mailed to the officers who must act, when they have
  an address (Django's e-mail backend; a failed send never blocks the tick).
- A missed deadline escalates the case one level up the ladder desa → kecamatan →
  kabupaten/kota → provinsi → nasional, recorded (and logged, unless rahasia) on the case;
  the new level gets the same number of working days. At nasional it stays overdue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from terbuka_web.accounts.models import Role, User
from terbuka_web.common.calendar import work_calendar
from terbuka_web.participation.models import LEVELS, Case, CaseEvent, Level
from terbuka_web.participation.services import ANSWER_DAYS, FORWARD_DAYS, _step, case_close

DAYS = {Case.Due.FORWARD: FORWARD_DAYS, Case.Due.ANSWER: ANSWER_DAYS}


@dataclass
class TickResult:
    """Count what one tick did."""

    closed: int = 0
    reminded: int = 0
    escalated: int = 0

    def __str__(self) -> str:
        return (
            f"ditutup/closed {self.closed}, pengingat/reminders {self.reminded}, "
            f"eskalasi/escalated {self.escalated}"
        )


def deadlines_apply(*, now: dt.datetime | None = None) -> TickResult:
    """Close, remind and escalate the cases whose deadlines have come by now; return counts."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    calendar = work_calendar()
    result = TickResult()
    due = Case.objects.filter(due_on__isnull=False)
    for case in due.filter(due_kind=Case.Due.CLOSE, due_on__lte=today):
        case_close(case=case, secret=None, now=now)
        result.closed += 1
    for case in due.filter(due_kind__in=DAYS, due_on__lt=today).exclude(level=Level.NASIONAL):
        result.escalated += case_escalate(case=case, now=now)
    soon = calendar.add(today, 1)
    for case in due.filter(due_kind__in=DAYS, due_on__gte=today, due_on__lte=soon):
        result.reminded += _remind(case, now=now)
    return result


@transaction.atomic
def case_escalate(*, case: Case, now: dt.datetime) -> int:
    """Move an overdue case one level up with a new deadline; return 1, or 0 when another
    tick got there first (the deadline moved) or it is already at nasional."""
    today = timezone.localdate(now)
    rows = Case.objects.select_for_update(of=("self",)).select_related("agency", "category")
    case = rows.get(pk=case.pk)
    if case.due_on is None or case.due_on >= today or case.due_kind not in DAYS:
        return 0
    if case.level == Level.NASIONAL:
        return 0
    before = case.level
    case.level = LEVELS[LEVELS.index(case.level) + 1]
    case.escalations += 1
    case.due_on = work_calendar().add(today, DAYS[case.due_kind])
    case.reminded_on = None
    case.save()
    _step(case, now=now, kind=CaseEvent.Kind.ESCALATED, note=f"{before} → {case.level}")
    return 1


@transaction.atomic
def _remind(case: Case, *, now: dt.datetime) -> int:
    """Record (and e-mail) one reminder per deadline; return 1 when one was recorded."""
    case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if case.reminded_on == case.due_on or case.due_on is None:
        return 0
    case.reminded_on = case.due_on
    case.save(update_fields=["reminded_on"])
    _step(case, now=now, kind=CaseEvent.Kind.REMINDER, note=case.due_kind)
    _mail(case)
    return 1


def _mail(case: Case) -> None:
    """E-mail the reminder to the officers who must act; a failure is ignored."""
    if case.due_kind == Case.Due.ANSWER and case.agency_id is not None:
        roles = (Role.PA, Role.PPK) if case.rahasia else tuple(Role)
        users = User.objects.filter(agency_id=case.agency_id, role__in=roles)
    else:
        users = User.objects.filter(role=Role.ADMIN)
    addresses = [u.email for u in users.filter(is_active=True) if u.email]
    if addresses:
        send_mail(
            f"[Terbuka] Tenggat laporan {case.tracking_id} {case.due_on} / report deadline",
            f"Laporan {case.tracking_id} jatuh tempo {case.due_on} ({case.due_kind}).\n"
            f"Report {case.tracking_id} is due on {case.due_on} ({case.due_kind}).",
            None,
            addresses,
            fail_silently=True,
        )
