"""Apply the workflow's deadlines (`terbuka participation tick`): auto-close, reminders,
escalation. Idempotent: a second run on the same day changes nothing.

- A case answered CLOSE_DAYS working days ago without the reporter's reply is closed.
- One working day before a deadline to forward or to follow up, a reminder is recorded on
  the case (once per deadline) and notified to the officers who must act, when they have
  an address (queued with the step: notifications.services.case_event_notify).
- A missed deadline escalates the case one level up the ladder desa → kecamatan →
  kabupaten/kota → provinsi → nasional, recorded (and logged, unless rahasia) on the case;
  the new level gets the same number of working days. At nasional it stays overdue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

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
    """Record (and notify) one reminder per deadline; return 1 when one was recorded."""
    case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if case.reminded_on == case.due_on or case.due_on is None:
        return 0
    case.reminded_on = case.due_on
    case.save(update_fields=["reminded_on"])
    _step(case, now=now, kind=CaseEvent.Kind.REMINDER, note=case.due_kind)
    return 1
