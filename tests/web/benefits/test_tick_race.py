"""Two real `terbuka benefits tick` processes at once, on the same due day, start the due cycle
once: one cycle, each eligible registrant credited once, one total per village (a file SQLite
database on SQLite, the PostgreSQL test database on PostgreSQL)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.web.processes import child_env, terbuka, terbuka_ok

from .test_cycle_kill import REPO, harness

SCHEDULE = "from terbuka_web.benefits.models import Programme; " \
    "Programme.objects.filter(slug='blt-uji').update(schedule_day=3)"  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_two_ticks_at_once_start_one_cycle(tmp_path: Path) -> None:
    env = child_env(tmp_path, PYTHONPATH=f"{REPO}:{REPO / 'src'}")
    from django.db import connection

    if connection.vendor == "sqlite":
        assert terbuka(env, "manage", "migrate", "-v0").returncode == 0
    harness(env, "setup", "300")
    terbuka_ok(env, "manage", "shell", "-v0", "-c", SCHEDULE)
    command = [sys.executable, "-m", "terbuka.cli.main", "benefits", "tick", "--today"]
    ticks = [
        subprocess.Popen([*command, "2026-05-04"], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]  # fmt: skip
    outputs = [tick.communicate(timeout=300) for tick in ticks]
    assert all(t.returncode == 0 for t in ticks), outputs
    assert all("Traceback" not in err for _, err in outputs), outputs
    harness(env, "dump", str(tmp_path / "end.json"))
    end = json.loads((tmp_path / "end.json").read_text())
    assert end["cycles"] == [[1, "jadwal:2026-05", "done"]]
    eligible = {ps: amount for ps, amount, _ in end["items"]}
    assert eligible and all(c for _, _, c in end["items"])
    assert len(end["credited"]) == len(set(end["credited"])) == len(eligible)
    assert sorted(json.loads(c)["pseudonym"] for c in end["credits"]) == sorted(eligible)
    assert end["village_totals"] == 3  # the three villages, logged once each
    assert end["fund"] == end["budget"] - sum(eligible.values())
    again = terbuka_ok(env, "benefits", "tick", "--today", "2026-05-20")
    assert "0 siklus dimulai / cycles started []" in again
