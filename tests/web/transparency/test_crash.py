"""Kill -9 a real writer and a real sequencer at random points; the log must lose nothing.

A writer process publishes entries (entry_append inside transactions) while `terbuka log
sequence --loop` runs; each is killed with SIGKILL several times and restarted. After a final
`terbuka log sequence`, every committed entry must be in the log exactly once, with gapless
indices in publication order, and the tiles, entry bundles and signed checkpoint must agree
with a tree recomputed from scratch. Runs against a file SQLite database when the suite runs
on SQLite, and against the PostgreSQL test database when it runs on PostgreSQL.
"""

from __future__ import annotations

import base64
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from tests.web.processes import database_url

from terbuka.tlog.checkpoint import Checkpoint
from terbuka.tlog.hashing import leaf_hash
from terbuka.tlog.note import Verifier, generate_key, open_note
from terbuka.tlog.tiles import TileRef, append_leaves, parse_entry_bundle
from terbuka.tlog.tree import root_from_leaf_hashes

REPO = Path(__file__).resolve().parents[3]
HARNESS = Path(__file__).with_name("crash_harness.py")
TOTAL = int(os.environ.get("TERBUKA_CRASH_ENTRIES", "100000"))
KILLS = 5  # per process
ORIGIN = "crash.example/log"


@pytest.fixture
def env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Return the environment of the child processes, with the database migrated."""
    skey, vkey = generate_key(ORIGIN)
    child = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "terbuka_web.config.settings",
        "DATABASE_URL": database_url(tmp_path),
        "PYTHONPATH": str(REPO / "src"),
        "TERBUKA_DATA_DIR": str(tmp_path),
        "TERBUKA_LOG_ORIGIN": ORIGIN,
        "TERBUKA_LOG_KEY": skey,
        "TERBUKA_LOG_BATCH": "4096",
        "VKEY": vkey,
    }
    if connection.vendor == "sqlite":
        run(child, "manage", "migrate", "-v0")
    yield child


def run(env: dict[str, str], *args: str) -> None:
    """Run `terbuka ARGS` to completion, failing on a non-zero exit."""
    subprocess.run([sys.executable, "-m", "terbuka.cli.main", *args], env=env, check=True)


def _ack_size(ack: Path) -> int:
    """Return the size of the writer's acknowledgement file (it grows with every commit)."""
    return ack.stat().st_size if ack.exists() else 0


def spawn(env: dict[str, str], args: list[str], log: Path) -> subprocess.Popen[bytes]:
    """Start a child process with stdout and stderr appended to log."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, *args], env=env, stdout=out, stderr=subprocess.STDOUT, cwd=REPO
        )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_kill_9_writer_and_sequencer_loses_nothing(env: dict[str, str], tmp_path: Path) -> None:
    ack = tmp_path / "ack"
    writer_args = [str(HARNESS), "write", str(TOTAL), "500", str(ack)]
    sequencer_args = ["-m", "terbuka.cli.main", "log", "sequence", "--loop", "--interval", "0.05"]
    log = tmp_path / "children.log"
    rng = random.Random(6962)
    writer = spawn(env, writer_args, log)
    sequencer = spawn(env, sequencer_args, log)
    kills = {"writer": 0, "sequencer": 0}
    # Each process has its own random kill time; the writer is killed only once it has
    # acknowledged a commit since it (re)started, so every kill lands mid-writing however
    # fast the writer runs (a fast writer must not finish before it was killed KILLS times).
    # The writer's first kill comes as soon after its first commit as the later ones do: with the
    # faster log it could otherwise write all TOTAL entries before its fifth kill.
    now = time.monotonic()
    due = {"writer": now + rng.uniform(0.0, 0.2), "sequencer": now + rng.uniform(0.3, 1.5)}
    acked_at_spawn = _ack_size(ack)
    while writer.poll() is None or kills["sequencer"] < KILLS:
        time.sleep(0.02)
        now = time.monotonic()
        if (
            kills["writer"] < KILLS
            and writer.poll() is None
            and now >= due["writer"]
            and _ack_size(ack) > acked_at_spawn
        ):
            writer.send_signal(signal.SIGKILL)
            if writer.wait() == -signal.SIGKILL:  # else it had just finished
                kills["writer"] += 1
                acked_at_spawn = _ack_size(ack)
                writer = spawn(env, writer_args, log)
            due["writer"] = now + rng.uniform(0.0, 0.2)
        if kills["sequencer"] < KILLS and now >= due["sequencer"]:
            sequencer.send_signal(signal.SIGKILL)
            sequencer.wait()
            kills["sequencer"] += 1
            sequencer = spawn(env, sequencer_args, log)
            due["sequencer"] = now + rng.uniform(0.3, 1.5)
    sequencer.send_signal(signal.SIGKILL)
    sequencer.wait()
    assert writer.returncode == 0, log.read_text()[-3000:]
    run(env, "log", "sequence")
    subprocess.run(
        [sys.executable, str(HARNESS), "dump", str(tmp_path / "dump.json")], env=env, check=True
    )
    dump = json.loads((tmp_path / "dump.json").read_text())
    print(f"crash test: {TOTAL} entries, kills {kills}, {connection.vendor}")
    assert kills["sequencer"] >= KILLS and kills["writer"] >= KILLS, kills
    check_log(dump, acked=max(int(x) for x in ack.read_text().split()), vkey=env["VKEY"])


def check_log(dump: dict[str, Any], *, acked: int, vkey: str) -> None:
    """Assert every entry is sequenced once, gaplessly, and tiles/bundles/checkpoint agree."""
    entries = dump["entries"]
    refs = [ref for ref, _, _ in entries]
    assert refs == [f"e{k}" for k in range(len(refs))]  # each committed entry once, in order
    assert len(refs) == TOTAL > acked
    assert [index for _, index, _ in entries] == list(range(len(entries)))
    datas = [base64.b64decode(d) for _, _, d in entries]
    bundled = [
        e
        for k in range(len(dump["bundles"]))
        for e in parse_entry_bundle(base64.b64decode(dump["bundles"][str(k)]))
    ]
    assert bundled == datas
    leaves = [leaf_hash(d) for d in bundled]
    note = open_note(dump["checkpoint"].encode(), [Verifier.from_vkey(vkey)])
    checkpoint = Checkpoint.parse(note.text)
    assert (checkpoint.size, checkpoint.root) == (len(leaves), root_from_leaf_hashes(leaves))
    expected, _ = append_leaves(0, leaves, lambda ref: pytest.fail(f"read {ref}"))
    stored = {key: base64.b64decode(v) for key, v in dump["tiles"].items()}
    assert stored == {f"{r.level}/{r.index}": data for r, data in expected.items()}
    assert all(isinstance(r, TileRef) for r in expected)
