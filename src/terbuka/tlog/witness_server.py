"""Serve a witness over HTTP: C2SP tlog-witness `POST /add-checkpoint` on a member's machine.

The decision (signature, consistency proof, fork refusal) is WitnessCore's; this module only
adds what a running witness needs around it: one lock so requests are decided one at a time,
the state file written durably BEFORE a cosignature leaves the process, and HTTP framing.

Request (C2SP tlog-witness §add-checkpoint), body of `POST /add-checkpoint`:

    old 8
    <base64 consistency proof hash, one per line>

    example.com/log
    15
    <base64 root>

    — example.com/log <base64 signature>

Answers: 200 with the cosignature line(s); 409 `text/x.tlog.size` with the size the witness
last cosigned; 404 unknown log; 403 bad log signature; 422 bad proof; 400 malformed request;
503 when max_connections connections are already open.

A connection is served by one of at most max_connections threads; each socket read or write
that waits longer than timeout seconds drops the connection, so a client that sends half a
request (or keeps an idle connection open) holds a thread for timeout seconds at most, and a
real request is served at the latest timeout seconds after the cap was reached.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TextIO

from terbuka.tlog.errors import MalformedError
from terbuka.tlog.note import Verifier
from terbuka.tlog.origin_state import OriginState
from terbuka.tlog.witness import AddCheckpointRequest, WitnessCore, WitnessDecision

MAX_REQUEST_BYTES = 1 << 20
TIMEOUT_SECONDS = 10.0
MAX_CONNECTIONS = 32
BUSY_BODY = b"saksi sedang sibuk, coba lagi sebentar lagi\nthe witness is busy, try again shortly\n"
BUSY_ANSWER = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
    + f"Content-Length: {len(BUSY_BODY)}\r\nConnection: close\r\n\r\n".encode()
    + BUSY_BODY
)


@dataclass(frozen=True)
class Answer:
    """Hold an HTTP answer: status, content type and body bytes."""

    status: int
    content_type: str
    body: bytes


def _text_answer(status: int, message_id: str, message_en: str) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", f"{message_id}\n{message_en}\n".encode())


class Witness:
    """Decide add-checkpoint requests with WitnessCore and persist what it cosigns."""

    def __init__(self, core: WitnessCore, state: OriginState, vkey: str) -> None:
        self.core = core
        self.state = state
        self.vkey = vkey

    def add_checkpoint(self, body: bytes, *, now: int | None = None) -> Answer:
        """Decide one add-checkpoint request body and return the HTTP answer.

        Requests are decided one at a time; the new (size, root) is written and fsynced
        before a 200 answer is returned, and a failure to write it turns the answer into
        500, so no cosignature escapes that was not recorded.
        """
        when = int(time.time()) if now is None else now
        try:
            request = AddCheckpointRequest.parse(body)
            origin = self.core.origin_of(request)
        except MalformedError:
            return _from_decision(self.core.add_checkpoint(body, 0, None, now=when))  # 400
        with self.state.lock:
            last_size, last_root = self.state.get(origin)
            decision = self.core.add_checkpoint(request, last_size, last_root, now=when)
            if decision.status == 200:
                assert decision.new_size is not None and decision.new_root is not None
                try:
                    self.state.put(origin, decision.new_size, decision.new_root)
                except OSError as exc:
                    return _text_answer(
                        500,
                        f"status saksi tidak dapat disimpan: {exc}",
                        f"the witness state cannot be saved: {exc}",
                    )
        return _from_decision(decision)


def _from_decision(decision: WitnessDecision) -> Answer:
    return Answer(decision.status, decision.content_type, decision.body)


class _Handler(BaseHTTPRequestHandler):
    server: WitnessHTTPServer
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.request_timeout)  # each read and write

    def do_POST(self) -> None:
        if self.path != "/add-checkpoint":
            self._send(_text_answer(404, "alamat tidak ada", "no such endpoint"))
            return
        length_text = self.headers.get("Content-Length") or ""
        length = int(length_text) if length_text.isdigit() else -1
        if not 0 <= length <= MAX_REQUEST_BYTES:
            self._send(
                _text_answer(
                    400,
                    "permintaan butuh Content-Length hingga 1 MiB",
                    "the request needs a Content-Length of at most 1 MiB",
                )
            )
            return
        self._send(self.server.witness.add_checkpoint(self.rfile.read(length)))

    def do_GET(self) -> None:
        if self.path != "/":
            self._send(_text_answer(404, "alamat tidak ada", "no such endpoint"))
            return
        self._send(
            Answer(200, "text/plain; charset=utf-8", f"{self.server.witness.vkey}\n".encode())
        )

    def _send(self, answer: Answer) -> None:
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        self.wfile.write(answer.body)

    def log_message(self, format: str, *args: Any) -> None:
        self.server.log.write(f"{self.address_string()} {format % args}\n")
        self.server.log.flush()


class WitnessHTTPServer(ThreadingHTTPServer):
    """Serve one Witness over HTTP, one thread per connection, at most max_connections at
    once, each socket operation limited to request_timeout seconds."""

    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        witness: Witness,
        log: TextIO = sys.stderr,
        *,
        request_timeout: float = TIMEOUT_SECONDS,
        max_connections: int = MAX_CONNECTIONS,
    ):
        super().__init__(address, _Handler)
        self.witness = witness
        self.log = log
        self.request_timeout = request_timeout
        self._slots = threading.BoundedSemaphore(max_connections)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve the connection in a new thread, or answer 503 and close it when every
        slot is taken."""
        if not self._slots.acquire(blocking=False):
            try:
                request.settimeout(self.request_timeout)
                request.sendall(BUSY_ANSWER)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(
        self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any
    ) -> None:
        """Serve the connection, then free its slot before closing it, so that a client
        that sees its connection closed can count on the slot being free."""
        try:
            self.finish_request(request, client_address)
        except Exception:
            self.handle_error(request, client_address)
        finally:
            self._slots.release()
            self.shutdown_request(request)


def witness_serve(
    witness: Witness,
    *,
    host: str,
    port: int,
    ready: TextIO = sys.stdout,
    timeout: float = TIMEOUT_SECONDS,
    max_connections: int = MAX_CONNECTIONS,
) -> WitnessHTTPServer:
    """Bind the witness to host:port (0 picks a free port) and announce it on ready.

    Prints `listening on http://HOST:PORT` (flushed) so that a parent process can read the
    chosen port; the caller then runs `serve_forever()`. Raises OSError when binding fails.
    """
    server = WitnessHTTPServer(
        (host, port), witness, request_timeout=timeout, max_connections=max_connections
    )
    bound_host, bound_port = server.server_address[:2]
    ready.write(f"listening on http://{bound_host!s}:{bound_port}\n")
    ready.flush()
    return server


def origin_verifiers(verifiers: Sequence[Verifier]) -> dict[str, list[Verifier]]:
    """Group log verifiers by origin, the key name a log signs its checkpoints with.

    Raises MalformedError when no log key is given (a witness must trust at least one log).
    """
    if not verifiers:
        raise MalformedError(
            "saksi harus memercayai minimal satu kunci log (--log atau --policy)",
            "a witness must trust at least one log key (--log or --policy)",
            where="--log",
        )
    grouped: dict[str, list[Verifier]] = {}
    for verifier in verifiers:
        grouped.setdefault(verifier.name, []).append(verifier)
    return grouped
