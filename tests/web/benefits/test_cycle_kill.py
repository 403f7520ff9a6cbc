"""Kill -9 a real `terbuka benefits disburse` mid-cycle, several times; the resumed cycle pays
each eligible registrant exactly once (a file SQLite database on SQLite, the PostgreSQL test
database on PostgreSQL)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from tests.web.processes import child_env, terbuka

REPO = Path(__file__).resolve().parents[3]
HARNESS = Path(__file__).with_name("cycle_harness.py")
PEOPLE = 300


def harness(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, str(HARNESS), *args], env=env, check=True, cwd=REPO)


@pytest.mark.django_db(transaction=True)
def test_killed_cycle_resumes_and_pays_each_once(tmp_path: Path) -> None:
    env = child_env(tmp_path, PYTHONPATH=f"{REPO}:{REPO / 'src'}")
    from django.db import connection

    if connection.vendor == "sqlite":
        assert terbuka(env, "manage", "migrate", "-v0").returncode == 0
    harness(env, "setup", str(PEOPLE))
    command = [sys.executable, "-m", "terbuka.cli.main", "benefits", "disburse", "blt-uji"]
    kills = 0
    for _ in range(3):
        child = subprocess.Popen(
            [*command, "--chunk", "4"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert child.stdout is not None
        seen = 0
        for line in child.stdout:
            if line.startswith(b"dikreditkan"):
                seen += 1
                if seen == 3:  # three chunks committed: kill it mid-way
                    child.send_signal(signal.SIGKILL)
                    break
        if child.wait() == -signal.SIGKILL:
            kills += 1
    assert kills == 3
    harness(env, "dump", str(tmp_path / "mid.json"))
    mid = json.loads((tmp_path / "mid.json").read_text())
    credited_mid = sum(1 for _, _, c in mid["items"] if c)
    assert 0 < credited_mid < len(mid["items"])  # killed mid-cycle, whole chunks only
    assert credited_mid % 4 == 0 and len(mid["credited"]) == len(mid["credits"]) == credited_mid
    done = terbuka(env, "benefits", "disburse", "blt-uji")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "siklus / cycle 1" in done.stdout
    harness(env, "dump", str(tmp_path / "end.json"))
    end = json.loads((tmp_path / "end.json").read_text())
    eligible = {ps: amount for ps, amount, _ in end["items"]}
    assert all(c for _, _, c in end["items"])
    assert len(end["credited"]) == len(set(end["credited"])) == len(eligible)
    assert sorted(key.rsplit(":", 1)[1] for key in end["credited"]) == sorted(eligible)
    credits = [json.loads(c) for c in end["credits"]]
    assert sorted(c["pseudonym"] for c in credits) == sorted(eligible)
    assert all(c["amount"] == eligible[c["pseudonym"]] and c["cycle"] == 1 for c in credits)
    assert end["fund"] == end["budget"] - sum(eligible.values())
