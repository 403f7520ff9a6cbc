"""Helpers of the tests that run Terbuka as real processes (`terbuka serve`, its workers).

The processes use the suite's database: a fresh SQLite file when the suite runs on SQLite, the
PostgreSQL test database when it runs on PostgreSQL (the test must then be marked
`django_db(transaction=True)`, so that what they commit is visible and flushed afterwards).
"""

from __future__ import annotations

import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db import connection

REPO = Path(__file__).resolve().parents[2]


def database_url(tmp_path: Path) -> str:
    """Return the URL of the database the processes share: a fresh file, or the PG test DB."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'terbuka.sqlite3'}"
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def sql(url: str, statement: str) -> list[tuple[Any, ...]]:
    """Run statement on the database of url (committed) and return its rows."""
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            return db.execute(statement).fetchall()
    with connection.cursor() as cursor:
        cursor.execute(statement)
        return cursor.fetchall() if cursor.description else []


def child_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """Return the environment of a debug Terbuka in data_dir on the suite's database."""
    return {
        **os.environ,
        "TERBUKA_DEBUG": "1",
        "TERBUKA_DATA_DIR": str(data_dir),
        "DATABASE_URL": database_url(data_dir),
        "PYTHONPATH": str(REPO / "src"),
        **extra,
    }


def terbuka(env: dict[str, str], *command: str) -> subprocess.CompletedProcess[str]:
    """Run `terbuka COMMAND` to completion and return its exit code and output."""
    return subprocess.run(
        [sys.executable, "-m", "terbuka.cli.main", *command],
        env=env,
        capture_output=True,
        text=True,
    )


def terbuka_ok(env: dict[str, str], *command: str) -> str:
    """Run `terbuka COMMAND`, fail the test unless it exits 0, and return its output."""
    done = terbuka(env, *command)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


PORT_BAND = 1000  # ports each xdist worker hands out, below the kernel's ephemeral 32768-60999


def _port_band() -> Iterator[int]:
    """Yield this test process's ports in turn: its xdist worker's band of 20000-31999, from
    a random point (another test run on the machine then rarely starts where this one does)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    start = 20000 + int(worker or 0) % 12 * PORT_BAND
    offset = random.randrange(PORT_BAND)
    while True:
        yield from (start + (offset + step) % PORT_BAND for step in range(PORT_BAND))


_ports = _port_band()


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on now and that no other test
    process of this run returns, nor this one again until its band of 1,000 wraps.

    Binding port 0 let the kernel hand out one port twice in a row: both witnesses of a test
    got 43893, the second could not listen, and `terbuka serve` stopped, as it should.
    """
    while True:
        port = next(_ports)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:  # taken
                continue
        return port


def get(url: str, deadline: float) -> bytes:
    """GET url, retrying until the server answers or deadline passes."""
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return bytes(response.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def cosigners(checkpoint: bytes) -> tuple[int, set[str]]:
    """Return the size of a served checkpoint note and the names that signed it."""
    lines = checkpoint.decode().splitlines()
    return int(lines[1]), {line.split()[1] for line in lines if line.startswith("\u2014 ")}


def alive(pid: int) -> bool:
    """Report whether process pid exists and has not exited (a zombie has)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] not in ("Z", "X")


def processes(data_dir: Path) -> dict[int, list[str]]:
    """Return the `terbuka` arguments of each live process started for data_dir, by pid."""
    found = {}
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes().decode().split("\0")
            environ = (proc / "environ").read_bytes()
        except (OSError, ValueError):
            continue
        if (
            "terbuka.cli.main" in cmdline
            and f"TERBUKA_DATA_DIR={data_dir}\0".encode() in environ
            and alive(int(proc.name))
        ):
            found[int(proc.name)] = cmdline[cmdline.index("terbuka.cli.main") + 1 : -1]
    return found


def witnesses_write(env: dict[str, str], data_dir: Path, groups: list[str]) -> list[int]:
    """Write data_dir/witnesses.json with one local witness per group on free ports."""
    entries = []
    for group in groups:
        key = data_dir / f"{group}.key"
        vkey = terbuka_ok(
            env, "keys", "generate", "--witness", "--name", f"saksi-{group}", "--out", str(key)
        ).strip()
        port = free_port()
        entries.append(
            {"name": f"saksi-{group}", "vkey": vkey, "url": f"http://127.0.0.1:{port}"}
            | {"group": group, "key": str(key), "state": f"{key}.state.json", "port": port}
        )
    (data_dir / "witnesses.json").write_text(json.dumps(entries), encoding="utf-8")
    return [entry["port"] for entry in entries]


def demo_witnesses_move_to_free_ports(data_dir: Path) -> None:
    """Move the demo witnesses in data_dir/witnesses.json to free ephemeral ports.

    `terbuka demo` takes the first free ports of 7381-7399 when it runs, so two tests that
    seed a demo at the same moment can take the same ones and collide once both serve.
    """
    path = data_dir / "witnesses.json"
    entries = json.loads(path.read_text(encoding="utf-8"))
    for entry in entries:
        entry["port"] = free_port()
        entry["url"] = f"http://127.0.0.1:{entry['port']}"
    path.write_text(json.dumps(entries), encoding="utf-8")
