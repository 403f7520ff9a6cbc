"""Run `terbuka serve` as a real process: it serves pages and runs the background workers."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.web.processes import (
    cosigners,
    demo_witnesses_move_to_free_ports,
    free_port,
    get,
    processes,
)


def workers(data_dir: Path, marker: str = "--loop") -> dict[int, str]:
    """Return the command line of each process started for data_dir with marker, by pid."""
    return {pid: " ".join(args) for pid, args in processes(data_dir).items() if marker in args}


def environment(data_dir: Path) -> dict[str, str]:
    """Return the environment of a debug Terbuka on SQLite in data_dir."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(TERBUKA_DEBUG="1", TERBUKA_DATA_DIR=str(data_dir), PYTHONPATH="src")
    return env


def serve(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    """Start `terbuka serve` on 127.0.0.1:port for data_dir."""
    return subprocess.Popen(
        [sys.executable, "-m", "terbuka.cli.main", "serve", f"127.0.0.1:{port}"],
        env=environment(data_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def terbuka(data_dir: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """Run `terbuka COMMAND` for data_dir and return its exit code and output."""
    return subprocess.run(
        [sys.executable, "-m", "terbuka.cli.main", *command],
        env=environment(data_dir),
        capture_output=True,
        text=True,
    )


def demo(data_dir: Path, count: int) -> None:
    """Run `terbuka manage migrate` and `terbuka demo --processes N` for data_dir."""
    for command in (["manage", "migrate"], ["demo", "--quiet", "--processes", str(count)]):
        done = terbuka(data_dir, *command)
        assert done.returncode == 0, done.stderr


def test_serve_runs_the_site_and_its_workers_and_stops_them(tmp_path: Path) -> None:
    port = free_port()
    server = serve(tmp_path, port)
    try:
        deadline = time.monotonic() + 60
        assert b"Terbuka" in get(f"http://127.0.0.1:{port}/", deadline)
        running = " | ".join(workers(tmp_path).values())
        assert "log sequence --loop" in running and "ocds bulk --loop" in running, running
        assert "participation tick --loop" in running, running
        assert "notify send --loop" in running, running
        checkpoint = get(f"http://127.0.0.1:{port}/log/checkpoint", deadline)
        assert checkpoint.splitlines()[1] == b"0"  # an empty log, signed
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    assert workers(tmp_path) == {}


def test_serve_runs_the_demo_consortium_whose_witnesses_cosign(tmp_path: Path) -> None:
    demo(tmp_path, 2)
    demo_witnesses_move_to_free_ports(tmp_path)
    members = json.loads((tmp_path / "witnesses.json").read_text())
    names = {member["name"] for member in members}
    port = free_port()
    server = serve(tmp_path, port)
    try:
        deadline = time.monotonic() + 60
        first, signers = cosigners(get(f"http://127.0.0.1:{port}/log/checkpoint", deadline))
        while not names <= signers and time.monotonic() < deadline:
            time.sleep(0.3)
            first, signers = cosigners(get(f"http://127.0.0.1:{port}/log/checkpoint", deadline))
        assert first > 0 and names <= signers, signers
        assert len(workers(tmp_path, "witness")) == 3
        demo(tmp_path, 3)  # one more process published while serving: a larger checkpoint
        deadline = time.monotonic() + 60  # the second wait gets its own minute, not the rest
        size, signers = first, set()
        while not (size > first and names <= signers) and time.monotonic() < deadline:
            time.sleep(0.3)
            size, signers = cosigners(get(f"http://127.0.0.1:{port}/log/checkpoint", deadline))
        assert size > first and names <= signers, (size, signers)
        page = get(f"http://127.0.0.1:{port}/log/saksi/", deadline).decode()
        latest = page.split("<tbody")[1].split("</tr>")[0]  # the latest checkpoint's row
        assert f">{size} entri</th>" in latest and latest.count("✓") == 3
        assert "<strong>ya</strong>" in latest  # final
        policy = tmp_path / "kebijakan.txt"
        policy.write_bytes(get(f"http://127.0.0.1:{port}/log/saksi/kebijakan.txt", deadline))
        verify = terbuka(
            *(tmp_path, "verify", f"http://127.0.0.1:{port}/log/", "--policy", str(policy)),
            *("--state", str(tmp_path / "verify-state.json")),
        )
        assert verify.returncode == 0 and "witness quorum met" in verify.stdout, verify.stdout
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    assert workers(tmp_path, "witness") == {} and workers(tmp_path) == {}


def test_serve_stops_when_a_local_witness_cannot_listen(tmp_path: Path) -> None:
    entries = []
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        for group, port in (("warga", free_port()), ("auditor", taken.getsockname()[1])):
            key = tmp_path / f"{group}.key"
            made = terbuka(
                tmp_path, "keys", "generate", "--witness", "--name", group, "--out", str(key)
            )
            entries.append(
                {"name": group, "vkey": made.stdout.strip(), "url": f"http://127.0.0.1:{port}"}
                | {"group": group, "key": str(key), "state": str(key) + ".json", "port": port}
            )
        (tmp_path / "witnesses.json").write_text(json.dumps(entries))
        done = terbuka(tmp_path, "serve", f"127.0.0.1:{free_port()}", "--no-bulk")
    assert done.returncode != 0
    assert f"cannot listen on 127.0.0.1:{entries[1]['port']}" in done.stderr
    assert "witness auditor could not start" in done.stderr
    assert f"port {entries[1]['port']}: pid {os.getpid()} (" in done.stderr  # who holds it
    assert workers(tmp_path, "witness") == {}
