"""Two real Terbuka instances on loopback: one harvests the other, then the other forks."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.web.processes import (
    child_env,
    cosigners,
    database_url,
    demo_witnesses_move_to_free_ports,
    free_port,
    get,
    sql,
)

ORIGIN = "kab-bojonegoro.example/log"


def env_of(data_dir: Path, origin: str = "") -> dict[str, str]:
    """Return the environment of a debug Terbuka on SQLite in data_dir."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(TERBUKA_DEBUG="1", TERBUKA_DATA_DIR=str(data_dir), PYTHONPATH="src")
    if origin:
        env["TERBUKA_LOG_ORIGIN"] = origin
    return env


def run(env: dict[str, str], *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "terbuka.cli.main", *command],
        env=env,
        capture_output=True,
        text=True,
    )


def seeded(env: dict[str, str], processes: int) -> None:
    for command in (["manage", "migrate"], ["demo", "--quiet", "--processes", str(processes)]):
        done = run(env, *command)
        assert done.returncode == 0, done.stderr


def serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    """Start `terbuka serve` on 127.0.0.1:port; its output goes to DATA_DIR/serve.log."""
    log = (Path(env["TERBUKA_DATA_DIR"]) / "serve.log").open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "terbuka.cli.main", "serve", f"127.0.0.1:{port}"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def stop(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)


def cosigned_size(port: int, witnesses: set[str], at_least: int, data_dir: Path) -> int:
    """Wait until the served checkpoint has at_least entries, cosigned by every witness."""
    deadline = time.monotonic() + 90
    url = f"http://127.0.0.1:{port}/log/checkpoint"
    try:
        size, names = cosigners(get(url, deadline))
    except OSError as exc:
        raise AssertionError((data_dir / "serve.log").read_text()[-3000:]) from exc
    while not (size >= at_least and witnesses <= names) and time.monotonic() < deadline:
        time.sleep(0.3)
        size, names = cosigners(get(url, deadline))
    assert size >= at_least and witnesses <= names, (size, names)
    return size


def published(data_dir: Path) -> int:
    """Return how many release log entries the instance in data_dir holds."""
    with sqlite3.connect(data_dir / "terbuka.sqlite3") as db:
        return db.execute(
            "select count(*) from transparency_logentry where kind = 'ocds.release'"
        ).fetchone()[0]


def harvested(data_dir: Path, table: str = "federation_harvestedrelease") -> list[tuple]:
    """Return the rows of table in the harvesting instance's database (SQLite file or PG)."""
    return sql(database_url(data_dir), f"select * from {table} order by id")


def fork_dir(remote: Path, fork: Path) -> None:
    """Make fork an instance with the remote's log key and witness keys but a new history."""
    fork.mkdir()
    shutil.copy2(remote / "log.key", fork / "log.key")
    shutil.copytree(remote / "demo-witnesses", fork / "demo-witnesses")
    for state in (fork / "demo-witnesses").glob("*.state.json"):
        state.unlink()  # colluding witnesses: they forget what they cosigned
    members = (remote / "witnesses.json").read_text().replace(str(remote), str(fork))
    (fork / "witnesses.json").write_text(members)


@pytest.mark.django_db(transaction=True)
def test_harvest_since_then_a_forked_remote_stops_with_an_alert(tmp_path: Path) -> None:
    """The remotes run on SQLite; the harvesting instance on the suite's database (SQLite or
    PostgreSQL)."""
    remote, local = tmp_path / "kabupaten", tmp_path / "provinsi"
    local.mkdir()
    remote_env, local_env = env_of(remote, ORIGIN), child_env(local)
    seeded(remote_env, 2)
    demo_witnesses_move_to_free_ports(remote)
    assert run(local_env, "manage", "migrate").returncode == 0
    names = {m["name"] for m in json.loads((remote / "witnesses.json").read_text())}
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    server = serve(remote_env, port)
    try:
        cosigned_size(port, names, published(remote), remote)
        first = run(local_env, "harvest", url)
        assert first.returncode == 0, first.stderr
        assert "checkpoint" in first.stdout and "verified" in first.stdout
        rows = harvested(local)
        assert len(rows) == published(remote) > 0
        seeded(remote_env, 3)  # the remote publishes one more process
        cosigned_size(port, names, published(remote), remote)
        again = run(local_env, "harvest", url)
        assert again.returncode == 0, again.stderr
        rows_after = harvested(local)
        assert rows_after[: len(rows)] == rows  # only the new ones were added
        assert len(rows_after) == published(remote) > len(rows)
    finally:
        stop(server)
    fork = tmp_path / "kabupaten-fork"
    fork_dir(remote, fork)
    fork_env = env_of(fork, ORIGIN)
    seeded(fork_env, 4)
    server = serve(fork_env, port)
    try:
        cosigned_size(port, names, published(fork), fork)
        refused = run(local_env, "harvest", url)
    finally:
        stop(server)
    assert refused.returncode == 1, (refused.stdout, refused.stderr)
    assert "ALERT: harvest stopped" in refused.stderr
    assert "FORK" in refused.stderr or "smaller tree" in refused.stderr, refused.stderr
    assert harvested(local) == rows_after  # nothing of the fork is merged
    alerts = harvested(local, "federation_remotealert")
    assert len(alerts) == 1 and alerts[0][1] == "federation_fork"
    url_db = database_url(local)
    ((status, size),) = sql(url_db, "select status, last_size from federation_remote")
    kinds = [k for (k,) in sql(url_db, "select kind from transparency_logentry order by id")]
    assert status == "stopped" and size > 0
    assert kinds == ["federation.harvest", "federation.harvest"]  # never the remote's releases
