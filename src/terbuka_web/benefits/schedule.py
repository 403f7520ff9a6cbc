"""Start the cycles that are due and claw back expired entitlements: `terbuka benefits tick`.

A programme with rules in force gets one cycle per condition met, each named by its trigger
(Cycle.trigger, unique per programme) and noted as a CycleStart (starts.py):
- "jadwal:2026-03": schedule_day N set, day N of that month reached, within the period. A
  tick that was down over one or more schedule days catches up: every month after the
  programme's last scheduled start whose day N has passed (and lies in the period) is due,
  each once, oldest first. Before the first scheduled start only the current month is due
  (no back pay for months before the schedule was first met);
- "bencana:4": on_disaster set, disaster 4 over the programme's regions and in force on a day
  of the programme's period up to today. A tick that was down while it was in force (or that
  did not see the day it met the period's start) still starts it, and a refused start is
  attempted again after the declaration has ended, once what it depended on changes (the
  cycle reads the declaration's own regions: disasters.cycle_zones). A programme whose
  rules or on_disaster come later pays the declarations of its period it has not paid yet;
  every missed trigger, schedule month or declaration, is noted oldest first;
- "petugas:…": an officer asked for a cycle from the web or the API.
The unique trigger makes a start exactly-once: a second tick (another process) that races to
start the same trigger waits for the programme's row lock and then resumes the running cycle
with the first, or finds the trigger taken (IntegrityError) and leaves it. A refused start
is recorded once and attempted again only when what it depended on changes or an officer
retries it (starts.py). Then each programme's expired cycles are clawed back (cycle_clawback,
itself once per cycle), and the apps listening to signals.programme_ticked claw back what else
of it expired (the wallets app: wallet balances past the programme's last day).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from terbuka.errors import TerbukaError
from terbuka_web.benefits.cycles import cycle_clawback
from terbuka_web.benefits.disasters import DECLARED
from terbuka_web.benefits.models import CycleStart, Disaster, Programme
from terbuka_web.benefits.signals import programme_ticked
from terbuka_web.benefits.starts import start_attempt, start_note
from terbuka_web.benefits.totals import totals_refresh_stale

SCHEDULE = "jadwal:"


@dataclass
class TickResult:
    """Hold what one tick did: cycles started (programme/number), Rupiah clawed back, and the
    starts refused now (programme/trigger: fund short, a rule failing for one row …)."""

    started: list[str] = field(default_factory=list)
    clawed_back: int = 0
    refused: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{len(self.started)} siklus dimulai / cycles started {self.started}, "
            f"Rp {self.clawed_back} ditarik / clawed back, {len(self.refused)} ditolak / refused"
        )


def _overlaps(codes: list[str], prefixes: list[str]) -> bool:
    """Report whether a region code lies within a prefix or a prefix within a code."""
    return any(
        c == p or c.startswith(p + ".") or p.startswith(c + ".") for c in codes for p in prefixes
    )


def declaration_met(programme: Programme, disaster: Disaster, day: dt.date) -> dt.date | None:
    """Return the first day disaster asks for a cycle of programme, if it does by day: in
    force, within programme's period, over its regions (programme on_disaster); else None."""
    first = max(disaster.starts_on, programme.period_start)
    last = min(disaster.ends_on, programme.period_end, day)
    if not programme.on_disaster or first > last:
        return None
    return first if _overlaps(disaster.regions, programme.regions) else None


def disaster_programmes(disaster: Disaster) -> list[Programme]:
    """Return the programmes disaster (saved or not) starts a cycle of: on_disaster, rules in
    force, regions overlapping, some day of its declaration within their period."""
    found = Programme.objects.filter(
        on_disaster=True, current__isnull=False, period_start__lte=disaster.ends_on,
        period_end__gte=disaster.starts_on,
    )  # fmt: skip
    return [p for p in found.order_by("slug") if declaration_met(p, disaster, disaster.ends_on)]


def _month(value: dt.date) -> int:
    return value.year * 12 + value.month - 1


def _last_scheduled(programme: Programme) -> dt.date | None:
    """Return the first day of the month of programme's last scheduled start, if any."""
    noted = [
        *programme.starts.filter(trigger__startswith=SCHEDULE).values_list("trigger", flat=True),
        *programme.cycles.filter(trigger__startswith=SCHEDULE).values_list("trigger", flat=True),
    ]
    return max((dt.date.fromisoformat(t[len(SCHEDULE) :] + "-01") for t in noted), default=None)


def triggers_due(
    programme: Programme, day: dt.date, disasters: list[Disaster], last: dt.date | None = None
) -> list[str]:
    """Return the triggers of programme met by day, oldest first, e.g. ["jadwal:2026-03",
    "bencana:4"]; disasters: the declarations that started by day.

    last: the month of programme's last scheduled start; every later month whose schedule
    day has passed by day is due (catching up), else only day's month. A declaration is due
    from the first day it met programme (declaration_met).
    """
    due: list[tuple[dt.date, int, str]] = []
    scheduled = programme.schedule_day
    if scheduled is not None and scheduled >= 1:
        first = _month(day) if last is None else _month(last) + 1
        for index in range(first, _month(day) + 1):
            date = dt.date(index // 12, index % 12 + 1, scheduled)
            if date <= day and programme.period_start <= date <= programme.period_end:
                due.append((date, 0, f"{SCHEDULE}{date:%Y-%m}"))
    for disaster in disasters:
        met = declaration_met(programme, disaster, day)
        if met is not None:
            due.append((met, disaster.pk, f"{DECLARED}{disaster.pk}"))
    return [trigger for *_order, trigger in sorted(due)]


def benefits_tick(
    *, today: dt.date | None = None, report: Callable[[str], None] | None = None
) -> TickResult:
    """Start every due cycle once and claw back every expired one; return what was done.

    A refused start (TerbukaError: fund short, a rule failing for a row) is recorded, reported
    by one line through report and listed in refused ("programme/trigger") when attempted;
    the others go on. It is attempted again only once something it depended on changed.
    First the public totals are made current with day's declared zones and date
    (totals_refresh_stale; a failure is reported the same way and does not stop the tick).
    """
    day = today or timezone.localdate()
    result = TickResult()
    totals_refresh_stale(day, report)
    disasters = list(Disaster.objects.filter(starts_on__lte=day).order_by("starts_on", "id"))
    for programme in Programme.objects.filter(current__isnull=False).order_by("slug"):
        noted = set(programme.starts.values_list("trigger", flat=True))
        for trigger in triggers_due(programme, day, disasters, _last_scheduled(programme)):
            if trigger not in noted:
                start_note(programme, trigger)
        waiting = programme.starts.exclude(state=CycleStart.State.STARTED).order_by("id")
        for start in waiting.select_related("requested_by"):
            start.programme = programme
            try:
                cycle = start_attempt(start, day)
            except TerbukaError as error:
                result.refused.append(f"{programme.slug}/{start.trigger}")
                if report is not None:
                    report(f"{programme.slug} {start.trigger}: {error.message_id} / "
                           f"{error.message_en}")  # fmt: skip
                continue
            if cycle is not None:
                result.started.append(f"{programme.slug}/{cycle.number}")
        try:
            result.clawed_back += cycle_clawback(programme=programme, today=day)
            for _receiver, moved in programme_ticked.send(sender=Programme, programme=programme):
                result.clawed_back += moved
        except TerbukaError as error:
            if report is not None:
                report(f"{programme.slug}: {error.message_id} / {error.message_en}")
    return result
