"""Check `terbuka log sequence | export | policy` (the management command terbuka_log)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from terbuka.tlog.note import Verifier, generate_key
from terbuka.tlog.policy import Policy
from terbuka_web.transparency.models import LogEntry
from terbuka_web.transparency.selectors import entries_pending

pytestmark = pytest.mark.django_db


def test_sequence_export_and_policy(
    log_verifier: Verifier, publish: Callable[[int], list[LogEntry]], tmp_path: Path
) -> None:
    publish(5)
    out = StringIO()
    call_command("terbuka_log", "sequence", "--batch", "2", stdout=out)
    assert out.getvalue().split("\n")[:3] == [
        "checkpoint size 2",
        "checkpoint size 4",
        "checkpoint size 5",
    ]
    assert not entries_pending()
    call_command("terbuka_log", "export", str(tmp_path), stdout=StringIO())
    assert (tmp_path / "tile/0/000.p/5").stat().st_size == 5 * 32
    assert (tmp_path / "tile/entries/000.p/5").exists()
    assert (tmp_path / "checkpoint").read_text().startswith(f"{log_verifier.name}\n5\n")
    out = StringIO()
    call_command("terbuka_log", "policy", stdout=out)
    policy = Policy.parse(out.getvalue())
    assert [v.key_id for v in policy.log_verifiers] == [log_verifier.key_id]
    assert policy.quorum == "none"  # no witnesses configured


def test_sequence_loop_worker_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "terbuka_web.config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'w.sqlite3'}",
        "PYTHONPATH": str(Path(__file__).resolve().parents[3] / "src"),
        "TERBUKA_DATA_DIR": str(tmp_path),
        "TERBUKA_LOG_ORIGIN": "worker.example/log",
        "TERBUKA_LOG_KEY": generate_key("worker.example/log")[0],
    }
    cli = [sys.executable, "-m", "terbuka.cli.main"]
    subprocess.run([*cli, "manage", "migrate", "-v0"], env=env, check=True)
    worker = subprocess.Popen(
        [*cli, "log", "sequence", "--loop", "--interval", "0.1"],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert worker.stdout is not None
    assert worker.stdout.readline() == "checkpoint size 0\n"  # signed the empty tree
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=30) == 0
