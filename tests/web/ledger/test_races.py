"""Real processes race on one ledger account: it never goes negative, money is conserved, a
key posted by many processes at once lands once.

The processes share the suite's database: a fresh SQLite file (serialised writers, BEGIN
IMMEDIATE) when the suite runs on SQLite, the PostgreSQL test database (row locks, SELECT …
FOR UPDATE) when it runs on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tests.web.processes import database_url

REPO = Path(__file__).resolve().parents[3]
HARNESS = Path(__file__).with_name("race_harness.py")
WORKERS = 6
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """Return the environment of the child processes, with the database migrated."""
    child = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "terbuka_web.config.settings",
        "DATABASE_URL": database_url(tmp_path),
        "PYTHONPATH": str(REPO / "src"),
        "TERBUKA_DATA_DIR": str(tmp_path),
    }
    if connection.vendor == "sqlite":
        subprocess.run(
            [sys.executable, "-m", "terbuka.cli.main", "manage", "migrate", "-v0"],
            env=child, check=True,
        )  # fmt: skip
    return child


def harness(env: dict[str, str], *args: str) -> None:
    """Run the harness with args to completion."""
    subprocess.run([sys.executable, str(HARNESS), *args], env=env, check=True, cwd=REPO)


def race(env: dict[str, str], tmp_path: Path, args: list[list[str]]) -> list[dict[str, Any]]:
    """Start one harness per args, release them together, and return their JSON reports."""
    go = tmp_path / "go"
    outs = [tmp_path / f"out{i}.json" for i in range(len(args))]
    children = [
        subprocess.Popen([sys.executable, str(HARNESS), *a, str(go), str(out)], env=env, cwd=REPO)
        for a, out in zip(args, outs, strict=True)
    ]
    deadline = time.monotonic() + 120  # every child has imported Django and waits on go
    while not all(out.with_suffix(".ready").exists() for out in outs):
        assert time.monotonic() < deadline and all(c.poll() is None for c in children)
        time.sleep(0.05)
    go.touch()
    for child in children:
        assert child.wait(timeout=240) == 0
    return [json.loads(out.read_text()) for out in outs]


def ledger_state(env: dict[str, str], tmp_path: Path) -> dict[str, Any]:
    """Return the harness's check report of the shared database."""
    harness(env, "check", str(tmp_path / "check.json"))
    return json.loads((tmp_path / "check.json").read_text())


def test_concurrent_withdrawals_never_overdraw(env: dict[str, str], tmp_path: Path) -> None:
    fund = 2_000_000  # about half of what 6 x 30 withdrawals of up to 50,000 ask for
    harness(env, "fund", str(fund))
    reports = race(env, tmp_path, [["withdraw", f"m{w}", "30"] for w in range(WORKERS)])
    state = ledger_state(env, tmp_path)
    balances = state["balances"]
    assert state["problems"] == [] and state["total"] == 0
    assert balances["programme:pool"] >= 0
    assert balances["treasury:apbd"] == -fund
    for w, report in enumerate(reports):
        assert balances.get(f"merchant:m{w}", 0) == report["paid"]
    paid = sum(r["paid"] for r in reports)
    assert balances["programme:pool"] + paid == fund
    assert sum(r["refused"] for r in reports) > 0  # the pool did run dry mid-race
    assert state["postings"] == 1 + sum(r["accepted"] for r in reports)
    # A refusal means what was left could not pay that amount (nothing lost to a race).
    assert balances["programme:pool"] < 50_000


def test_concurrent_duplicate_key_lands_once(env: dict[str, str], tmp_path: Path) -> None:
    harness(env, "fund", "1000000")
    reports = race(env, tmp_path, [["duplicate", str(w)] for w in range(WORKERS)])
    results = [r["result"] for r in reports]
    assert results.count("created") == 1, results
    winner = next(r["amount"] for r in reports if r["result"] == "created")
    for r in reports:
        if r["result"] != "created":
            assert r["result"] == ("repeat" if r["amount"] == winner else "conflict"), reports
    state = ledger_state(env, tmp_path)
    assert state["problems"] == []
    assert state["balances"]["merchant:dup"] == winner
    assert state["postings"] == 2


def test_crossing_transfers_neither_deadlock_nor_overdraw(
    env: dict[str, str], tmp_path: Path
) -> None:
    harness(env, "fund-wallets", "100000")
    reports = race(env, tmp_path, [["shuffle", f"s{w}", "25"] for w in range(WORKERS)])
    state = ledger_state(env, tmp_path)
    assert state["problems"] == [] and state["total"] == 0
    wallets = {k: v for k, v in state["balances"].items() if k.startswith("entitlement:")}
    assert len(wallets) == 4 and min(wallets.values()) >= 0
    assert sum(wallets.values()) == 400_000
    assert state["postings"] == 1 + sum(r["accepted"] for r in reports)
    assert sum(r["accepted"] for r in reports) > 0
