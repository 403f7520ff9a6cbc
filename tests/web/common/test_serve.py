"""Run `terbuka serve` as a real process: it serves pages and runs the sequencer worker."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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


def worker_pids(data_dir: Path) -> list[int]:
    """Return the pids of sequencer workers started for data_dir."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
            environ = (proc / "environ").read_bytes()
        except OSError:
            continue
        if b"--loop" in cmdline and str(data_dir).encode() in environ:
            found.append(int(proc.name))
    return found


def test_serve_runs_the_site_and_the_sequencer_and_stops_both(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(TERBUKA_DEBUG="1", TERBUKA_DATA_DIR=str(tmp_path), PYTHONPATH="src")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "terbuka.cli.main", "serve", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        assert b"Terbuka" in get(f"http://127.0.0.1:{port}/", deadline)
        assert worker_pids(tmp_path), "the sequencer worker is not running"
        checkpoint = get(f"http://127.0.0.1:{port}/log/checkpoint", deadline)
        assert checkpoint.splitlines()[1] == b"0"  # an empty log, signed
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    assert worker_pids(tmp_path) == []
