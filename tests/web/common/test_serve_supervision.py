"""Kill `terbuka serve`'s workers and serve itself with SIGKILL: serve restarts its workers,
leaves none behind when it dies, and every publication still reaches a cosigned checkpoint.

Real processes on the suite's database (SQLite file or the PostgreSQL test database).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from terbuka_web.common.demo.witnesses import port_free
from tests.web.processes import (
    alive,
    child_env,
    cosigners,
    free_port,
    get,
    processes,
    sql,
    terbuka,
    terbuka_ok,
    witnesses_write,
)

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
GROUPS = ["pemerintah", "warga"]


class Serve:
    """A `terbuka serve` process on a free port whose standard error goes to a file."""

    def __init__(self, env: dict[str, str], data_dir: Path) -> None:
        self.port = free_port()
        self.stderr = data_dir / f"serve-{self.port}.log"
        with self.stderr.open("wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "terbuka.cli.main", "serve", f"127.0.0.1:{self.port}"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=err,
            )
        self.url = f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.stderr.read_text(errors="replace")


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[dict[str, str], Path, list[int]]]:
    """Return the environment of a demo site with two local witnesses, and their ports."""
    env = child_env(tmp_path)
    ports = witnesses_write(env, tmp_path, GROUPS)
    terbuka_ok(env, "manage", "migrate", "-v0")
    yield env, tmp_path, ports
    for pid in processes(tmp_path):  # whatever a failed assertion left running
        os.kill(pid, signal.SIGKILL)


def wait_for(what: str, check: Callable[[], object], seconds: float = 60) -> object:
    """Return check()'s first true value, failing with what after seconds."""
    deadline = time.monotonic() + seconds
    while not (value := check()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)
    return value


def worker_pid(data_dir: Path, *argv: str) -> int | None:
    """Return the pid of the live worker `terbuka ARGV…` of data_dir, if one runs."""
    pids = [pid for pid, args in processes(data_dir).items() if args[: len(argv)] == list(argv)]
    assert len(pids) <= 1, pids
    return pids[0] if pids else None


def all_cosigned(env: dict[str, str], serve: Serve) -> bool:
    """Report whether the served checkpoint holds every log entry and both cosignatures."""
    entries = sql(env["DATABASE_URL"], "SELECT COUNT(*) FROM transparency_logentry")[0][0]
    try:  # 404 until the first checkpoint is signed
        size, names = cosigners(get(f"{serve.url}/log/checkpoint", time.monotonic() + 30))
    except urllib.error.HTTPError:
        return False
    return entries > 0 and size == entries and {f"saksi-{g}" for g in GROUPS} <= names


def kill_and_see_restart(data_dir: Path, serve: Serve, name: str, *argv: str) -> None:
    """SIGKILL worker `terbuka ARGV`; serve must log it and start a new one."""
    pid = wait_for(name, lambda: worker_pid(data_dir, *argv))
    assert isinstance(pid, int)
    os.kill(pid, signal.SIGKILL)
    line = f"worker {name} (pid {pid}) ended with signal SIGKILL; restarting in 1 s"
    wait_for(f"the log line {line!r}", lambda: line in serve.log())
    new = wait_for(f"a new {name}", lambda: worker_pid(data_dir, *argv))
    assert new != pid


def test_serve_restarts_killed_workers_and_dies_without_orphans(
    site: tuple[dict[str, str], Path, list[int]],
) -> None:
    env, data_dir, witness_ports = site
    terbuka_ok(env, "demo", "--quiet", "--processes", "1")
    serve = Serve(env, data_dir)
    wait_for("a cosigned checkpoint", lambda: all_cosigned(env, serve), 60)
    kill_and_see_restart(data_dir, serve, "sequencer", "log", "sequence", "--loop")
    terbuka_ok(env, "demo", "--quiet", "--processes", "2")  # published while it restarted
    wait_for("the new publications cosigned", lambda: all_cosigned(env, serve))
    kill_and_see_restart(data_dir, serve, "bulk", "ocds", "bulk", "--loop")
    kill_and_see_restart(data_dir, serve, "participation", "participation", "tick", "--loop")
    kill_and_see_restart(data_dir, serve, "notify", "notify", "send", "--loop")
    kill_and_see_restart(data_dir, serve, "benefits", "benefits", "tick", "--loop")

    children = [pid for pid in processes(data_dir) if pid != serve.process.pid]
    assert len(children) == len(GROUPS) + 5, processes(data_dir)
    serve.process.send_signal(signal.SIGKILL)
    serve.process.wait()
    wait_for("every worker to stop", lambda: not any(alive(pid) for pid in children), 15)
    assert all(port_free(port) for port in witness_ports)

    terbuka_ok(env, "demo", "--quiet", "--processes", "3")  # published while nothing ran
    again = Serve(env, data_dir)
    try:
        wait_for("every publication cosigned", lambda: all_cosigned(env, again), 60)
        assert "Traceback" not in again.log(), again.log()
    finally:
        again.process.send_signal(signal.SIGTERM)
        again.process.wait(timeout=40)
    assert processes(data_dir) == {}


def test_serve_stops_the_workers_a_killed_run_left_and_refuses_to_run_twice(
    site: tuple[dict[str, str], Path, list[int]],
) -> None:
    env, data_dir, witness_ports = site
    entries = json.loads((data_dir / "witnesses.json").read_text())
    policy = terbuka_ok(env, "log", "policy").splitlines()
    log_vkey = next(line.split()[1] for line in policy if line.startswith("log "))
    # A witness left running on its port by a serve that died before it could stop it (no
    # parent watch: started by hand), and the pid file that serve wrote.
    stale = subprocess.Popen(
        [
            *(sys.executable, "-m", "terbuka.cli.main", "witness", "serve"),
            *("--key", entries[0]["key"], "--state", entries[0]["state"], "--log", log_vkey),
            *("--port", str(witness_ports[0])),
        ],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert stale.stdout is not None and stale.stdout.readline().startswith("listening on")
    started = Path(f"/proc/{stale.pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    record = {
        "serve": [2**22 + 1, "1"],
        "workers": {"witness saksi-pemerintah": [stale.pid, started]},
    }
    (data_dir / "serve.pid").write_text(json.dumps(record))
    serve = Serve(env, data_dir)
    try:
        assert stale.wait(timeout=120) == -signal.SIGTERM  # a loaded host starts serve slowly
        get(serve.url + "/", time.monotonic() + 120)
        assert f"stopping worker witness saksi-pemerintah (pid {stale.pid})" in serve.log()
        second = terbuka(env, "serve", f"127.0.0.1:{free_port()}")
        assert second.returncode != 0 and "Traceback" not in second.stderr
        assert f"already running for {data_dir} (pid {serve.process.pid})" in second.stderr
    finally:
        serve.process.send_signal(signal.SIGTERM)
        serve.process.wait(timeout=40)
    assert processes(data_dir) == {} and not (data_dir / "serve.pid").exists()
