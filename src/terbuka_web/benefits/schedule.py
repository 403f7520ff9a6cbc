"""Start the cycles that are due and claw back expired entitlements: `terbuka benefits tick`.

A programme with rules in force gets one cycle per condition met, each named by its trigger
(Cycle.trigger, unique per programme) and noted as a CycleStart (starts.py):
- "jadwal:2026-03": schedule_day N set, day N of that month reached, within the period. A
  tick that was down over one or more schedule days catches up: every month after the
  programme's last scheduled start whose day N has passed (and lies in the period) is due,
  each once, oldest first. Before the first scheduled start only the current month is due
  (no back pay for months before the schedule was first met);
- "bencana:4": on_disaster set, disaster 4 in force and over the programme's regions (a
  start refused meanwhile is not attempted once the declaration has ended);
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
from terbuka_web.benefits.disasters import disasters_in_force
from terbuka_web.benefits.models import CycleStart, Disaster, Programme
from terbuka_web.benefits.signals import programme_ticked
from terbuka_web.benefits.starts import start_attempt, start_note

SCHEDULE = "jadwal:"
DECLARED = "bencana:"


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


def disaster_programmes(regions: list[str], day: dt.date | None = None) -> list[Programme]:
    """Return the programmes a disaster over regions starts a cycle of (on day, default
    today): on_disaster, rules in force, regions overlapping, day within their period."""
    day = day or timezone.localdate()
    found = Programme.objects.filter(
        on_disaster=True, current__isnull=False, period_start__lte=day, period_end__gte=day
    )
    return [p for p in found.order_by("slug") if _overlaps(regions, p.regions)]


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
    """Return the triggers of programme met on day, e.g. ["jadwal:2026-03", "bencana:4"].

    last: the month of programme's last scheduled start; every later month whose schedule
    day has passed by day is due (catching up), else only day's month.
    """
    due = []
    scheduled = programme.schedule_day
    if scheduled is not None and scheduled >= 1:
        first = _month(day) if last is None else _month(last) + 1
        for index in range(first, _month(day) + 1):
            date = dt.date(index // 12, index % 12 + 1, scheduled)
            if date <= day and programme.period_start <= date <= programme.period_end:
                due.append(f"{SCHEDULE}{date:%Y-%m}")
    if programme.on_disaster and programme.period_start <= day <= programme.period_end:
        due += [f"{DECLARED}{d.pk}" for d in disasters if _overlaps(d.regions, programme.regions)]
    return due


def benefits_tick(
    *, today: dt.date | None = None, report: Callable[[str], None] | None = None
) -> TickResult:
    """Start every due cycle once and claw back every expired one; return what was done.

    A refused start (TerbukaError: fund short, a rule failing for a row) is recorded, reported
    by one line through report and listed in refused ("programme/trigger") when attempted;
    the others go on. It is attempted again only once something it depended on changed.
    """
    day = today or timezone.localdate()
    result = TickResult()
    disasters = list(disasters_in_force(day))
    declared = {f"{DECLARED}{d.pk}" for d in disasters}
    for programme in Programme.objects.filter(current__isnull=False).order_by("slug"):
        for trigger in triggers_due(programme, day, disasters, _last_scheduled(programme)):
            start_note(programme, trigger)
        waiting = programme.starts.exclude(state=CycleStart.State.STARTED).order_by("id")
        for start in waiting.select_related("requested_by"):
            if start.trigger.startswith(DECLARED) and start.trigger not in declared:
                continue  # a disaster no longer in force starts nothing (still listed)
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
