"""Test `terbuka witness serve` as separate processes on loopback (C2SP tlog-witness).

Every witness runs as its own `python -m terbuka.cli.main witness serve --port 0` process
with its own key file and state file, as on a consortium member's machine.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.core.tlog.logbuild import (
    REPO,
    Consortium,
    WitnessProcess,
    add_checkpoint,
    consistency_proof,
    export_log,
    release_entry,
    start_witness,
)

from terbuka.tlog.cosignature import CosignatureSigner
from terbuka.tlog.note import Signer
from terbuka.tlog.origin_state import OriginState
from terbuka.tlog.witness import AddCheckpointRequest, WitnessCore, parse_cosignatures
from terbuka.tlog.witness_server import Witness, origin_verifiers

SIZE = 300
TEXT = "text/plain"


@pytest.fixture(scope="module")
def consortium() -> Consortium:
    return Consortium.generate()


@pytest.fixture
def witnesses(consortium: Consortium, tmp_path: Path) -> Iterator[list[WitnessProcess]]:
    started = [
        start_witness(signer, consortium.log.vkey, tmp_path / f"w{i}")
        for i, signer in enumerate(consortium.all_witnesses[:3])
    ]
    yield started
    for witness in started:
        witness.stop()


def log_note(consortium: Consortium, directory: Path, size: int, fork_at: int = -1) -> bytes:
    """Export a log of size entries (entry fork_at changed) signed by the log only."""
    entries = [release_entry(i) for i in range(size)]
    if fork_at >= 0:
        entries[fork_at] = release_entry(10_000 + fork_at)
    return export_log(directory, entries, consortium, cosigners=[])


def request(note: bytes, old: int = 0, proof: tuple[bytes, ...] = ()) -> bytes:
    return AddCheckpointRequest(old, proof, note).format()


def test_three_witnesses_cosign_growth_and_refuse_stale_sizes(
    consortium: Consortium, witnesses: list[WitnessProcess], tmp_path: Path
) -> None:
    small = log_note(consortium, tmp_path / "a", 5)
    big_dir = tmp_path / "b"
    big = log_note(consortium, big_dir, SIZE)
    text = big.decode().split("\n\n")[0] + "\n"
    for number, witness in enumerate(witnesses):
        status, content_type, body = add_checkpoint(witness.url, request(small))
        assert (status, content_type) == (200, TEXT), body
        state_file = tmp_path / f"w{number}" / "state.json"
        saved = json.loads(state_file.read_text())["origins"]["terbuka.test/log"]
        assert saved["size"] == 5
        assert stat.S_IMODE(state_file.stat().st_mode) == 0o600
        proof = consistency_proof(big_dir, SIZE, 5)
        status, _, body = add_checkpoint(witness.url, request(big, 5, proof))
        assert status == 200, body
        (cosignature,) = parse_cosignatures(body)
        verifier = witness.signer.verifier()
        assert (cosignature.name, cosignature.key_id) == (verifier.name, verifier.key_id)
        assert verifier.verify(text.encode(), cosignature.signature)
        status, content_type, body = add_checkpoint(witness.url, request(big, 5, proof))
        assert (status, content_type, body) == (409, "text/x.tlog.size", b"300\n")


def test_every_witness_refuses_a_fork(
    consortium: Consortium, witnesses: list[WitnessProcess], tmp_path: Path
) -> None:
    honest = log_note(consortium, tmp_path / "honest", SIZE)
    for witness in witnesses:
        assert add_checkpoint(witness.url, request(honest))[0] == 200
    fork_dir = tmp_path / "fork"
    fork = log_note(consortium, fork_dir, SIZE + 10, fork_at=3)
    same_size = log_note(consortium, tmp_path / "fork-same", SIZE, fork_at=3)
    for witness in witnesses:
        # presented as a fresh tree: the witness answers with the size it holds
        assert add_checkpoint(witness.url, request(fork))[:3:2] == (409, b"300\n")
        # presented as an extension of the witness's tree: no valid proof exists
        proof = consistency_proof(fork_dir, SIZE + 10, SIZE)
        status, _, body = add_checkpoint(witness.url, request(fork, SIZE, proof))
        assert status == 422, body
        # same size, another root
        assert add_checkpoint(witness.url, request(same_size, SIZE))[0] == 409
    for number in range(3):
        state = json.loads((tmp_path / f"w{number}" / "state.json").read_text())
        assert state["origins"]["terbuka.test/log"]["size"] == SIZE


def test_unknown_log_bad_signature_and_malformed_requests(
    consortium: Consortium, witnesses: list[WitnessProcess], tmp_path: Path
) -> None:
    url = witnesses[0].url
    other = Signer.generate("lain.test/log")
    stranger = Consortium(other, {})
    note = export_log(tmp_path / "other", [release_entry(0)], stranger, cosigners=[])
    assert add_checkpoint(url, request(note))[0] == 404
    impostor = Consortium(Signer.generate("terbuka.test/log"), {})
    note = export_log(tmp_path / "impostor", [release_entry(0)], impostor, cosigners=[])
    assert add_checkpoint(url, request(note))[0] == 403
    status, _, body = add_checkpoint(url, b"old x\n\nnot a note")
    assert status == 400 and b"\n" in body
    with urllib.request.urlopen(url + "/", timeout=10) as response:
        assert response.read().decode().strip() == witnesses[0].signer.vkey


def test_state_survives_a_restart(consortium: Consortium, tmp_path: Path) -> None:
    signer = consortium.all_witnesses[0]
    note = log_note(consortium, tmp_path / "log", SIZE)
    first = start_witness(signer, consortium.log.vkey, tmp_path / "w")
    try:
        assert add_checkpoint(first.url, request(note))[0] == 200
    finally:
        first.stop()
    again = start_witness(signer, consortium.log.vkey, tmp_path / "w")
    try:
        assert add_checkpoint(again.url, request(note))[:3:2] == (409, b"300\n")
    finally:
        again.stop()


def run_serve(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "terbuka.cli.main", "witness", "serve", "--port", "0"]
    environment = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    environment.pop("TERBUKA_WITNESS_KEY", None)
    environment.update(env or {})
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, env=environment, timeout=30
    )


def test_key_readable_by_others_is_refused(consortium: Consortium, tmp_path: Path) -> None:
    key = tmp_path / "saksi.key"
    key.write_text(consortium.all_witnesses[0].skey + "\n")
    key.chmod(0o644)
    result = run_serve("--key", str(key), "--log", consortium.log.vkey)
    assert result.returncode == 2
    assert "chmod 600" in result.stderr and "galat:" in result.stderr


def test_missing_key_or_log_is_a_usage_error(consortium: Consortium, tmp_path: Path) -> None:
    result = run_serve("--log", consortium.log.vkey, "--state", str(tmp_path / "s.json"))
    assert result.returncode == 2 and "TERBUKA_WITNESS_KEY" in result.stderr
    skey = CosignatureSigner.generate("w.test").skey
    result = run_serve("--state", str(tmp_path / "s.json"), env={"TERBUKA_WITNESS_KEY": skey})
    assert result.returncode == 2 and "--log" in result.stderr


def test_policy_file_supplies_trusted_logs(consortium: Consortium, tmp_path: Path) -> None:
    policy = tmp_path / "kebijakan.txt"
    policy.write_text(consortium.policy())
    note = log_note(consortium, tmp_path / "log", 3)
    signer = consortium.all_witnesses[1]
    witness = start_witness(signer, None, tmp_path / "w", "--policy", str(policy))
    try:
        assert add_checkpoint(witness.url, request(note))[0] == 200
    finally:
        witness.stop()


def test_no_cosignature_leaves_when_the_state_cannot_be_saved(
    consortium: Consortium, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-directory"
    state = OriginState.load(blocker / "state.json")
    blocker.write_text("")  # the state's directory cannot be created any more
    signer = consortium.all_witnesses[0]
    core = WitnessCore(origin_verifiers([consortium.log.verifier()]), signer)
    witness = Witness(core, state, signer.vkey)
    note = log_note(consortium, tmp_path / "log", 3)
    answer = witness.add_checkpoint(request(note), now=1_700_000_000)
    assert answer.status == 500 and "cannot be saved" in answer.body.decode()
    assert state.get(consortium.log.name) == (0, None)  # nothing remembered, nothing signed
    assert b"\xe2\x80\x94" not in answer.body  # no signature line (U+2014) in the answer


def test_bad_content_length_is_refused(witnesses: list[WitnessProcess]) -> None:
    url = witnesses[0].url.removeprefix("http://")
    host, port = url.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"POST /add-checkpoint HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n")
        assert sock.recv(100).startswith(b"HTTP/1.1 400")


def connect(witness: WitnessProcess) -> socket.socket:
    host, port = witness.url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=10)


def answer_of(sock: socket.socket) -> bytes:
    """Return everything the witness sends until it closes the connection."""
    data = b""
    while chunk := sock.recv(4096):
        data += chunk
    return data


def test_half_sent_and_idle_connections_are_dropped_and_capped(
    consortium: Consortium, tmp_path: Path
) -> None:
    witness = start_witness(
        consortium.all_witnesses[0],
        consortium.log.vkey,
        tmp_path,
        *("--timeout", "6", "--max-connections", "2"),  # 6 s: room for a loaded machine
    )
    try:
        # A slowloris client sends half a request and waits: dropped after the timeout.
        with connect(witness) as slow:
            slow.sendall(b"POST /add-checkpoint HTTP/1.1\r\nHost: x\r\nContent-Len")
            started = time.monotonic()
            assert answer_of(slow) == b""  # closed without an answer, not held forever
            assert 5.9 < time.monotonic() - started < 15
        # Two idle connections take both slots: a third is answered 503 at once, and a real
        # request is served once the idle ones time out.
        idle = [connect(witness), connect(witness)]
        time.sleep(0.2)
        # Under load the server may take a moment to hold both: ask again within their 6 s.
        deadline = time.monotonic() + 5
        while True:
            with connect(witness) as third:
                third.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                refused = answer_of(third)
            if refused.startswith(b"HTTP/1.1 503") or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert refused.startswith(b"HTTP/1.1 503")
        started = time.monotonic()
        while True:
            with connect(witness) as real:
                real.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                answer = answer_of(real)
            if not answer.startswith(b"HTTP/1.1 503"):
                break
            time.sleep(0.1)
        assert answer.startswith(b"HTTP/1.1 200") and witness.signer.vkey.encode() in answer
        assert time.monotonic() - started < 12  # the idle ones' 6 s, not held forever
        assert all(answer_of(sock) == b"" for sock in idle)  # dropped by then
        for sock in idle:
            sock.close()
    finally:
        witness.stop()
