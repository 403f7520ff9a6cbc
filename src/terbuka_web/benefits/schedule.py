"""Start the cycles that are due and claw back expired entitlements: `terbuka benefits tick`.

A programme with rules in force gets one cycle per condition met on the day, each named by
its trigger (Cycle.trigger, unique per programme):
- "jadwal:2026-03": schedule_day N set, day N of this month reached, within the period;
- "bencana:4": on_disaster set, disaster 4 in force and over the programme's regions.
The unique trigger makes a start exactly-once: a second tick (another process) that races to
start the same trigger waits for the programme's row lock and then resumes the running cycle
with the first, or finds the trigger taken (IntegrityError) and leaves it. Then each
programme's expired cycles are clawed back (cycle_clawback, itself once per cycle), and the
apps listening to signals.programme_ticked claw back what else of it expired (the wallets app:
wallet balances past the programme's last day).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import IntegrityError
from django.utils import timezone

from terbuka.errors import TerbukaError
from terbuka_web.benefits.cycles import cycle_clawback, cycle_run
from terbuka_web.benefits.disasters import disasters_in_force
from terbuka_web.benefits.models import Cycle, Disaster, Programme
from terbuka_web.benefits.signals import programme_ticked


@dataclass
class TickResult:
    """Hold what one tick did: cycles started (programme/number), Rupiah clawed back, and the
    programmes whose due cycle was refused (fund short, a rule failing for one row …)."""

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


def triggers_due(programme: Programme, day: dt.date, disasters: list[Disaster]) -> list[str]:
    """Return the triggers of programme met on day, e.g. ["jadwal:2026-03", "bencana:4"]."""
    if not programme.period_start <= day <= programme.period_end:
        return []
    due = []
    scheduled = programme.schedule_day
    if scheduled is not None and day.day >= scheduled >= 1:
        due += (
            [f"jadwal:{day:%Y-%m}"] if day.replace(day=scheduled) >= programme.period_start else []
        )
    if programme.on_disaster:
        due += [f"bencana:{d.pk}" for d in disasters if _overlaps(d.regions, programme.regions)]
    return due


def _start(programme: Programme, trigger: str, day: dt.date) -> Cycle | None:
    """Run programme's cycle for trigger unless one ran; resume an interrupted cycle first."""
    for _attempt in range(2):
        if programme.cycles.filter(trigger=trigger).exists():
            return None
        try:
            cycle = cycle_run(programme=programme, today=day, trigger=trigger)
        except IntegrityError:  # another tick started it between our check and our insert
            return None
        if cycle.trigger == trigger:
            return cycle
    return None


def benefits_tick(
    *, today: dt.date | None = None, report: Callable[[str], None] | None = None
) -> TickResult:
    """Start every due cycle once and claw back every expired one; return what was done.

    A programme whose cycle is refused (TerbukaError: fund short, a rule failing for a row)
    is reported by one line through report and left for the next tick; others go on.
    """
    day = today or timezone.localdate()
    result = TickResult()
    disasters = list(disasters_in_force(day))
    for programme in Programme.objects.filter(current__isnull=False).order_by("slug"):
        try:
            for trigger in triggers_due(programme, day, disasters):
                cycle = _start(programme, trigger, day)
                if cycle is not None:
                    result.started.append(f"{programme.slug}/{cycle.number}")
            result.clawed_back += cycle_clawback(programme=programme, today=day)
            for _receiver, moved in programme_ticked.send(sender=Programme, programme=programme):
                result.clawed_back += moved
        except TerbukaError as error:
            result.refused.append(programme.slug)
            if report is not None:
                report(f"{programme.slug}: {error.message_id} / {error.message_en}")
    return result
