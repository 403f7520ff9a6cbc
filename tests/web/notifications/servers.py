"""Real servers on loopback for the notices' tests: an SMTP server (Python's smtpd, run as its
own process) and an SMS/WhatsApp gateway (http.server in a thread) that can fail on purpose."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.web.processes import free_port

TOKEN = "rahasia-gerbang-uji-123"


@dataclass
class SmtpServer:
    """Python's smtpd DebuggingServer on 127.0.0.1:port, printing each message to a file."""

    port: int
    output: Path

    def text(self) -> str:
        return self.output.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, needle: str, timeout: float = 60) -> str:
        """Return the server's output once it holds needle; fail after timeout seconds."""
        deadline = time.monotonic() + timeout
        while needle not in (text := self.text()):
            assert time.monotonic() < deadline, f"{needle!r} never reached the SMTP server"
            time.sleep(0.2)
        return text


@contextmanager
def smtp_server(tmp_path: Path) -> Iterator[SmtpServer]:
    """Run an SMTP server (stdlib smtpd, deprecated but present in 3.11) while in the block."""
    port, output = free_port(), tmp_path / "smtp.out"
    with output.open("w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-u", "-W", "ignore", "-m", "smtpd", "-n", "-c", "DebuggingServer",
             f"127.0.0.1:{port}"],
            stdout=sink, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        _listening(port)
        yield SmtpServer(port, output)
    finally:
        process.terminate()
        process.wait(timeout=10)


def _listening(port: int) -> None:
    import socket

    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            assert time.monotonic() < deadline, "the SMTP server did not start"
            time.sleep(0.05)


@dataclass
class Gateway:
    """A gateway on loopback that answers 500 to its first `failures` POSTs (-1: always)."""

    failures: int = 0
    requests: list[dict[str, Any]] = field(default_factory=list)
    accepted: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def answer(self, headers: dict[str, str], body: dict[str, Any]) -> int:
        with self.lock:
            self.requests.append({"headers": headers, "body": body})
            if headers.get("Authorization") != f"Bearer {TOKEN}":
                return 401
            if self.failures == -1 or len(self.requests) <= self.failures:
                return 500
            self.accepted.append(body)
            return 200


@contextmanager
def gateway_server(failures: int = 0) -> Iterator[Gateway]:
    """Serve a Gateway on 127.0.0.1 at /kirim while in the block."""
    gateway = Gateway(failures)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length))
            status = gateway.answer(dict(self.headers), body)
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}/kirim"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()
