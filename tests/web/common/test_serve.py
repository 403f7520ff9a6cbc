"""Run `terbuka serve` as a real process: it serves pages and runs the background workers."""

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


def workers(data_dir: Path) -> dict[int, str]:
    """Return the command line of each background worker started for data_dir, by pid."""
    found = {}
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
            environ = (proc / "environ").read_bytes()
        except OSError:
            continue
        if b"--loop" in cmdline and str(data_dir).encode() in environ:
            found[int(proc.name)] = b" ".join(cmdline).decode()
    return found


def test_serve_runs_the_site_and_its_workers_and_stops_them(tmp_path: Path) -> None:
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
        running = " | ".join(workers(tmp_path).values())
        assert "log sequence --loop" in running and "ocds bulk --loop" in running, running
        checkpoint = get(f"http://127.0.0.1:{port}/log/checkpoint", deadline)
        assert checkpoint.splitlines()[1] == b"0"  # an empty log, signed
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    assert workers(tmp_path) == {}
