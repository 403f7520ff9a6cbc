"""`terbuka participation tick` as a real process: it escalates an overdue case once, however
often it runs on the same day, and auto-closes on the day it is due."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.paths import REPO
from tests.web.processes import child_env, terbuka, terbuka_ok

pytestmark = pytest.mark.django_db(transaction=True)

SETUP = """
from tests.web.participation.conftest import world_create, at, file
from terbuka_web.participation.services import case_answer, case_forward
w = world_create()
late, _ = file(at(2026, 12, 1))
case_forward(actor=w.verifier, case=late, agency=w.desa, now=at(2026, 12, 2))
done, _ = file(at(2026, 12, 1), ip="192.0.2.1", contact="lain@example.org")
done = case_forward(actor=w.verifier, case=done, agency=w.dinas, now=at(2026, 12, 1))
done = case_answer(actor=w.dinas_operator, case=done, answer="Sudah beres.", now=at(2026, 12, 2))
print(done.due_on.isoformat())
"""
STATE = """
from terbuka_web.participation.models import Case
print(sorted(Case.objects.values_list("state", "level", "escalations")))
"""


def test_tick_escalates_once_and_closes(tmp_path: Path) -> None:
    env = child_env(tmp_path, PYTHONPATH=f"{REPO / 'src'}:{REPO}")
    terbuka_ok(env, "manage", "migrate", "-v0")
    close_on = terbuka_ok(env, "manage", "shell", "-v0", "-c", SETUP).strip().splitlines()[-1]
    for _ in range(2):
        out = terbuka_ok(env, "participation", "tick", "--now", "2026-12-10T09:00:00+07:00")
        assert "eskalasi/escalated" in out
        state = terbuka_ok(env, "manage", "shell", "-v0", "-c", STATE)
        assert state.strip() == "[('answered', 'kabupaten', 0), ('forwarded', 'kecamatan', 1)]"
    out = terbuka_ok(env, "participation", "tick", "--now", f"{close_on}T08:00:00+07:00")
    assert "ditutup/closed 1" in out
    state = terbuka_ok(env, "manage", "shell", "-v0", "-c", STATE)
    assert "('closed', 'kabupaten', 0)" in state
    bad = terbuka(env, "participation", "tick", "--now", "besok")
    assert bad.returncode != 0 and "ISO 8601" in bad.stderr
