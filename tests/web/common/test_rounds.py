"""The background workers (`terbuka log sequence --loop`, `terbuka ocds bulk --loop`,
`terbuka participation tick --loop`, `terbuka benefits tick --loop`) live
through a database error: they report it in one line and try again next round.

Real worker processes on the suite's database; the error is real too: the table the worker
reads is renamed away for a moment (on PostgreSQL that is a ProgrammingError, which is not an
OperationalError, so a worker catching only those would die).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.web.processes import child_env, sql, terbuka_ok

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("command", "table"),
    [
        (["ocds", "bulk"], "contracting_release"),
        (["log", "sequence"], "transparency_logentry"),
        (["participation", "tick"], "participation_case"),
        (["benefits", "tick"], "benefits_programme"),
    ],
    ids=["bulk", "sequencer", "participation", "benefits"],
)
def test_worker_loop_survives_a_database_error(
    tmp_path: Path, command: list[str], table: str
) -> None:
    env = child_env(tmp_path)
    terbuka_ok(env, "manage", "migrate", "-v0")
    output = tmp_path / "worker.log"
    with output.open("wb") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "terbuka.cli.main", *command, "--loop", "--interval", "0.1"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        time.sleep(2)  # a few good rounds
        sql(env["DATABASE_URL"], f"ALTER TABLE {table} RENAME TO {table}_away")
        try:
            deadline = time.monotonic() + 20
            while "; next round in 0.1 s" not in output.read_text():
                assert worker.poll() is None, output.read_text()
                assert time.monotonic() < deadline, output.read_text()
                time.sleep(0.1)
        finally:
            sql(env["DATABASE_URL"], f"ALTER TABLE {table}_away RENAME TO {table}")
        time.sleep(1)
        assert worker.poll() is None, output.read_text()
        assert "Traceback" not in output.read_text()
    finally:
        worker.send_signal(signal.SIGTERM)
        code = worker.wait(timeout=30)
    assert code == 0, output.read_text()
