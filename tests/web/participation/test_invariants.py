"""Hypothesis drives random step sequences (officers, reporter, the tick on later days) and
checks the workflow's invariants after every step: the deadline matches the state and falls
on a working day, the level never goes down, and every public step of a case that is not
rahasia has exactly one log entry (a rahasia case none)."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from terbuka.errors import TerbukaError
from terbuka_web.common.calendar import work_calendar
from terbuka_web.participation import services
from terbuka_web.participation.deadlines import deadlines_apply
from terbuka_web.participation.models import LEVELS, Case, CaseEvent
from terbuka_web.transparency.models import LogEntry
from tests.web.participation.conftest import World, at, file

pytestmark = pytest.mark.django_db
DUE = {
    "received": "forward", "verified": "forward", "forwarded": "answer", "in_progress": "answer",
    "reopened": "answer", "answered": "close", "rejected": "", "closed": "",
}  # fmt: skip
STEPS = ["verify", "reject", "forward_desa", "forward_dinas", "start", "answer", "close"]
STEPS += ["reopen", "tick"]


def _take(step: str, case: Case, secret: str, world: World, now: dt.datetime) -> None:
    officer, verifier = world.coordinators["nasional"], world.verifier
    calls: dict[str, Callable[[], object]] = {
        "verify": lambda: services.case_verify(actor=verifier, case=case, now=now),
        "reject": lambda: services.case_reject(actor=verifier, case=case, reason="Spam.", now=now),
        "forward_desa": lambda: services.case_forward(
            actor=verifier, case=case, agency=world.desa, now=now
        ),
        "forward_dinas": lambda: services.case_forward(
            actor=verifier, case=case, agency=world.dinas, now=now
        ),
        "start": lambda: services.case_start(actor=officer, case=case, now=now),
        "answer": lambda: services.case_answer(
            actor=officer, case=case, answer="Sudah kami tangani.", now=now
        ),
        "close": lambda: services.case_close(case=case, secret=secret, now=now),
        "reopen": lambda: services.case_reopen(
            case=case, secret=secret, reason="Belum selesai juga.", now=now
        ),
        "tick": lambda: deadlines_apply(now=now),
    }
    # A step the state or role does not allow changes nothing (the invariants check it).
    with contextlib.suppress(TerbukaError):
        calls[step]()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    steps=st.lists(st.tuples(st.sampled_from(STEPS), st.integers(0, 9)), max_size=12),
    rahasia=st.booleans(),
    serial=st.integers(0, 10**9),
)
def test_workflow_invariants(
    world: World, steps: list[tuple[str, int]], rahasia: bool, serial: int
) -> None:
    now = at(2026, 12, 18)
    case, secret = file(now, ip=f"10.{serial % 250}.{serial // 250 % 250}.9", rahasia=rahasia,
                        contact_preference="none", contact="")  # fmt: skip
    lowest = LEVELS.index(case.level)
    calendar = work_calendar()
    for step, days in steps:
        now += dt.timedelta(days=days)
        _take(step, case, secret, world, now)
        case.refresh_from_db()
        assert case.due_kind == DUE[case.state], (step, case.state, case.due_kind)
        assert (case.due_on is None) == (case.due_kind == "")
        assert case.due_on is None or calendar.is_working_day(case.due_on)
        assert LEVELS.index(case.level) >= lowest
        lowest = LEVELS.index(case.level)
        public = case.events.exclude(kind=CaseEvent.Kind.REMINDER).count()
        logged = LogEntry.objects.filter(ref=f"lapor/{case.tracking_id}").count()
        assert logged == (0 if rahasia else public)
