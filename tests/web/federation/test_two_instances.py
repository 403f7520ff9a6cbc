"""Two real Terbuka instances on loopback: one harvests the other (OCDS releases and budgets),
then the other forks; the harvesting province shows the regency's budget as harvested."""

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


def published(data_dir: Path, kind: str = "ocds.release") -> int:
    """Return how many log entries of kind ("" = any) the instance in data_dir holds."""
    with sqlite3.connect(data_dir / "terbuka.sqlite3") as db:
        return db.execute(
            "select count(*) from transparency_logentry where kind = ? or ? = ''", (kind, kind)
        ).fetchone()[0]


def remote_totals(data_dir: Path, region: str, year: int) -> list[int]:
    """Return [planned, adjusted, realised] of region's subtree on the SQLite instance."""
    with sqlite3.connect(data_dir / "terbuka.sqlite3") as db:
        row = db.execute(
            "select planned, adjusted, realised from budget_regionbudget"
            " where region_id = ? and year = ?",
            (region, year),
        ).fetchone()
    return list(row)


def budget_csv(tmp_path: Path) -> Path:
    """Return an APBDes 2027 of one demo village (500 million spending) as a CSV file."""
    path = tmp_path / "apbdes-2027.csv"
    path.write_text(
        "tahun,tahap,wilayah,kode_program,kode_rekening,uraian,jumlah,semester\n"
        "2027,apbdes,35.22.01.2001,2.3.10,5.3,Jalan desa,500.000.000,\n"
    )
    return path


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
        cosigned_size(port, names, published(remote, ""), remote)
        first = run(local_env, "harvest", url)
        assert first.returncode == 0, first.stderr
        assert "checkpoint" in first.stdout and "verified" in first.stdout
        rows = harvested(local)
        assert len(rows) == published(remote) > 0
        budgets = harvested(local, "federation_harvestedbudget")
        assert len(budgets) == published(remote, "budget.batch") > 400
        seeded(remote_env, 3)  # the remote publishes one more process
        imported = run(remote_env, "budget", "import", str(budget_csv(tmp_path)))
        assert imported.returncode == 0, imported.stderr
        cosigned_size(port, names, published(remote, ""), remote)
        again = run(local_env, "harvest", url)
        assert again.returncode == 0, again.stderr
        rows_after = harvested(local)
        assert rows_after[: len(rows)] == rows  # only the new ones were added
        assert len(rows_after) == published(remote) > len(rows)
        budgets_after = harvested(local, "federation_harvestedbudget")
        assert budgets_after[: len(budgets)] == budgets and len(budgets_after) == len(budgets) + 1
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
    assert harvested(local, "federation_harvestedbudget") == budgets_after
    alerts = harvested(local, "federation_remotealert")
    assert len(alerts) == 1 and alerts[0][1] == "federation_fork"
    url_db = database_url(local)
    ((status, size),) = sql(url_db, "select status, last_size from federation_remote")
    kinds = [k for (k,) in sql(url_db, "select kind from transparency_logentry order by id")]
    assert status == "stopped" and size > 0
    assert kinds == ["federation.harvest", "federation.harvest"]  # never the remote's releases
    province_shows_the_harvested_regency(local_env, remote)


def province_shows_the_harvested_regency(local_env: dict[str, str], remote: Path) -> None:
    """The province (serving its regions) rolls the regency's harvested totals up, marked."""
    assert run(local_env, "regions", "--within", "35.22", "--quiet").returncode == 0
    port = free_port()
    server = serve(local_env, port)
    try:
        deadline = time.monotonic() + 60
        base = f"http://127.0.0.1:{port}"
        body = json.loads(get(f"{base}/api/budget/regions/35?year=2026", deadline))
        page = get(f"{base}/anggaran/35/?tahun=2026", deadline).decode()
        body_2027 = json.loads(get(f"{base}/api/budget/regions/35.22?year=2027", deadline))
    finally:
        stop(server)
    regency = next(c for c in body["children"] if c["code"] == "35.22")
    figures = [regency[k] for k in ("planned", "adjusted", "realised")]
    assert figures == remote_totals(remote, "35.22", 2026) and figures[0] > 0
    assert [body[k] for k in ("planned", "adjusted", "realised")] == figures
    assert [h["origin"] for h in regency["harvested"]] == [ORIGIN]
    assert f"dipanen dari {ORIGIN}" in page
    assert body_2027["planned"] == 500_000_000  # the village budget harvested with since
