"""Supervise real `terbuka` worker processes: restarts with bounded exponential backoff, one log
line per exit, a pid file with start times, and the stop of a previous run's leftovers."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests.core.tlog.logbuild import REPO

from terbuka.cli.supervisor import (
    AlreadyRunningError,
    Supervisor,
    Worker,
    previous_run_reclaim,
    start_time,
)
from terbuka.tlog.cosignature import CosignatureSigner
from terbuka.tlog.note import generate_key


@pytest.fixture(autouse=True)
def child_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the workers from this checkout's src, with no witness key in the environment."""
    monkeypatch.setenv("PYTHONPATH", str(REPO / "src"))
    monkeypatch.delenv("TERBUKA_WITNESS_KEY", raising=False)


def witness_argv(tmp_path: Path) -> list[str]:
    """Return the arguments of a witness that runs until stopped (port 0: any free port)."""
    key = tmp_path / "w.key"
    key.write_text(CosignatureSigner.generate("w.test").skey + "\n")
    key.chmod(0o600)
    log = generate_key("log.test/log")[1]
    state = tmp_path / "state.json"
    return [
        "witness",
        "serve",
        "--key",
        str(key),
        "--log",
        log,
        "--port",
        "0",
        "--state",
        str(state),
    ]


def delays(log: io.StringIO) -> list[float]:
    """Return the restart delays the supervisor logged, in order."""
    return [float(d) for d in re.findall(r"restarting in ([0-9.]+) s", log.getvalue())]


def wait_for(check: Callable[[], bool], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline
        time.sleep(0.05)


@pytest.fixture
def supervisors() -> Iterator[list[Supervisor]]:
    made: list[Supervisor] = []
    yield made
    for supervisor in made:
        supervisor.stop()


def test_a_worker_that_keeps_failing_is_retried_with_doubling_delays_up_to_the_cap(
    tmp_path: Path, supervisors: list[Supervisor]
) -> None:
    log = io.StringIO()
    failing = Worker("failing", ["witness", "serve"])  # no key: exits 2 at once
    supervisor = Supervisor(
        [failing], pidfile=tmp_path / "serve.pid", log=log, base=0.2, cap=0.8, poll=0.05
    )
    supervisors.append(supervisor)
    supervisor.start()
    wait_for(lambda: len(delays(log)) >= 5)
    assert delays(log)[:5] == [0.2, 0.4, 0.8, 0.8, 0.8]
    assert re.search(r"worker failing \(pid \d+\) ended with exit code 2;", log.getvalue())


def test_a_killed_worker_is_restarted_and_its_backoff_resets_after_a_healthy_run(
    tmp_path: Path, supervisors: list[Supervisor]
) -> None:
    log = io.StringIO()
    worker = Worker("witness", witness_argv(tmp_path), announces=True)
    pidfile = tmp_path / "serve.pid"
    supervisor = Supervisor([worker], pidfile=pidfile, log=log, base=0.2, healthy=1.0, poll=0.05)
    supervisors.append(supervisor)
    supervisor.start()
    for pause, expected in [(1.5, [0.2]), (0.0, [0.2, 0.4]), (1.5, [0.2, 0.4, 0.2])]:
        time.sleep(pause)  # longer than healthy: the next delay is the base again
        assert worker.process is not None
        pid = worker.process.pid
        os.kill(pid, signal.SIGKILL)
        wait_for(lambda p=pid: worker.process is not None and worker.process.pid != p)
        assert delays(log) == expected
        assert f"(pid {pid}) ended with signal SIGKILL" in log.getvalue()
    new = worker.process
    recorded = [new.pid, start_time(new.pid)]
    wait_for(lambda: json.loads(pidfile.read_text())["workers"]["witness"] == recorded)
    assert json.loads(pidfile.read_text())["serve"] == [os.getpid(), start_time(os.getpid())]
    supervisor.stop()
    assert new.poll() == -signal.SIGTERM and not pidfile.exists()


def test_a_previous_runs_workers_are_stopped_and_a_live_run_refuses_a_second(
    tmp_path: Path, supervisors: list[Supervisor]
) -> None:
    first = Supervisor(
        [Worker("witness", witness_argv(tmp_path), announces=True)], pidfile=tmp_path / "serve.pid"
    )
    supervisors.append(first)
    first.start()
    leftover = first.workers[0].process
    assert leftover is not None
    record = json.loads((tmp_path / "serve.pid").read_text())
    # The same pid file, but its supervisor still runs (another process): refused.
    record["serve"] = [os.getppid(), start_time(os.getppid())]
    (tmp_path / "serve.pid").write_text(json.dumps(record))
    with pytest.raises(AlreadyRunningError):
        previous_run_reclaim(tmp_path / "serve.pid")
    assert leftover.poll() is None
    # Its supervisor is gone (a pid reused by another process does not count): stopped.
    record["serve"] = [os.getppid(), "0"]
    (tmp_path / "serve.pid").write_text(json.dumps(record))
    log = io.StringIO()
    previous_run_reclaim(tmp_path / "serve.pid", log)
    assert leftover.wait(timeout=10) == -signal.SIGTERM
    assert f"stopping worker witness (pid {leftover.pid}) left by a previous run" in log.getvalue()
    assert not (tmp_path / "serve.pid").exists()
