"""Test `terbuka verify` against real logs in export layout, intact and tampered with.

Each tamper test changes one thing an attacker could change (a byte of an entry bundle, a
tile, the checkpoint or a cosignature; fewer cosignatures; a forked or rolled-back tree) and
checks that verification fails with exit 1 and says what is wrong.
"""

from __future__ import annotations

import base64
import functools
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from tests.core.tlog.logbuild import (
    OTHER_PUB,
    TEST_PUB,
    TEST_WIF,
    Consortium,
    export_log,
    receipt_for,
    release_entry,
)

from terbuka.cli.main import main
from terbuka.tlog.anchor import AnchorPayload, anchor_operation, anchor_sign
from terbuka.tlog.checkpoint import Checkpoint
from terbuka.tlog.note import parse_note

SIZE = 300  # two entry bundles, a partial level-0 tile and a level-1 tile


@pytest.fixture(scope="module")
def consortium() -> Consortium:
    return Consortium.generate()


@pytest.fixture
def policy(tmp_path: Path, consortium: Consortium) -> Path:
    path = tmp_path / "kebijakan.txt"
    path.write_text(consortium.policy())
    return path


@pytest.fixture
def log_dir(tmp_path: Path, consortium: Consortium) -> Path:
    directory = tmp_path / "ekspor"
    export_log(directory, [release_entry(i) for i in range(SIZE)], consortium)
    return directory


class Verify:
    """Run `terbuka verify` in-process with a fixed policy and state file."""

    def __init__(self, policy: Path, state: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.policy, self.state, self.capsys = policy, state, capsys
        self.out = ""

    def __call__(self, *args: str) -> int:
        code = main(["verify", *args, "--policy", str(self.policy), "--state", str(self.state)])
        self.out = self.capsys.readouterr().out
        return code


@pytest.fixture
def verify(policy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Verify:
    return Verify(policy, tmp_path / "state" / "verify-state.json", capsys)


def flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_intact_log_verifies_and_is_remembered(verify: Verify, log_dir: Path) -> None:
    assert verify(str(log_dir)) == 0, verify.out
    assert "HASIL: TERVERIFIKASI" in verify.out and "RESULT: VERIFIED" in verify.out
    assert "kuorum saksi terpenuhi" in verify.out and "witness quorum met" in verify.out
    assert json.loads(verify.state.read_text())["origins"]["terbuka.test/log"]["size"] == SIZE
    assert verify(str(log_dir), "--audit") == 0, verify.out
    assert f"audit penuh: {SIZE} entri" in verify.out


def test_record_inclusion_from_entry_or_release(
    verify: Verify, log_dir: Path, tmp_path: Path
) -> None:
    entry = tmp_path / "entri.json"
    entry.write_bytes(release_entry(270))
    assert verify(str(log_dir), "--file", str(entry)) == 0, verify.out
    assert "indeks 270" in verify.out and "index 270" in verify.out
    release = tmp_path / "rilis.json"
    release.write_text(json.dumps(json.loads(release_entry(7))["release"], indent=2))
    assert verify(str(log_dir), "--file", str(release)) == 0, verify.out
    assert "indeks 7" in verify.out


def test_record_not_in_log_fails(verify: Verify, log_dir: Path, tmp_path: Path) -> None:
    record = tmp_path / "palsu.json"
    record.write_bytes(release_entry(SIZE + 1))
    assert verify(str(log_dir), "--file", str(record)) == 1
    assert "TIDAK ADA di log" in verify.out and "NOT in the log" in verify.out


def test_flipped_entry_bundle_byte_fails_audit_and_inclusion(
    verify: Verify, log_dir: Path, tmp_path: Path
) -> None:
    bundle = log_dir / "tile" / "entries" / "000"
    flip(bundle, 2 + 20)  # inside the first entry's JSON, length prefix intact
    assert verify(str(log_dir), "--audit") == 1
    assert "BERBEDA" in verify.out and "DIFFERS" in verify.out
    record = tmp_path / "rilis.json"
    record.write_bytes(release_entry(0))
    assert verify(str(log_dir), "--file", str(record)) == 1
    assert "NOT in the log" in verify.out


def test_flipped_entry_length_prefix_is_reported_as_malformed(
    verify: Verify, log_dir: Path
) -> None:
    flip(log_dir / "tile" / "entries" / "001.p" / "44", 1)
    assert verify(str(log_dir), "--audit") == 1
    assert "tile/entries/001.p/44" in verify.out and "malformed" in verify.out


def test_flipped_tile_byte_fails(verify: Verify, log_dir: Path, tmp_path: Path) -> None:
    flip(log_dir / "tile" / "0" / "000", 100)
    record = tmp_path / "rilis.json"
    record.write_bytes(release_entry(3))
    assert verify(str(log_dir), "--file", str(record)) == 1
    assert "✗" in verify.out and "GAGAL" in verify.out
    assert verify(str(log_dir), "--audit") == 1
    assert "tile/0/000" in verify.out


def test_flipped_checkpoint_byte_fails(verify: Verify, log_dir: Path) -> None:
    checkpoint = log_dir / "checkpoint"
    text = checkpoint.read_bytes()
    flip(checkpoint, text.index(b"\n", text.index(b"\n") + 1) + 5)  # inside the root line
    assert verify(str(log_dir)) == 1
    assert "invalid signature" in verify.out


def test_flipped_cosignature_byte_fails(verify: Verify, log_dir: Path) -> None:
    checkpoint = log_dir / "checkpoint"
    *head, last, _ = checkpoint.read_text().split("\n")
    name, sig = last.rsplit(" ", 1)
    raw = bytearray(base64.b64decode(sig))
    raw[4 + 8 + 10] ^= 0x01  # inside the Ed25519 signature, after key ID and timestamp
    tampered = f"{name} {base64.b64encode(bytes(raw)).decode()}"
    checkpoint.write_text("\n".join([*head, tampered, ""]))
    assert verify(str(log_dir)) == 1
    assert "invalid signature for key saksi-" in verify.out  # names the witness


def test_too_few_cosignatures_fail_quorum(
    verify: Verify, tmp_path: Path, consortium: Consortium
) -> None:
    directory = tmp_path / "sedikit"
    export_log(
        directory,
        [release_entry(i) for i in range(5)],
        consortium,
        cosigners=consortium.witnesses["pemerintah"] + consortium.witnesses["auditor"],
    )
    assert verify(str(directory)) == 1
    assert "kuorum saksi" in verify.out and "quorum" in verify.out and "not met" in verify.out


def test_forks_and_rollbacks_fail(
    verify: Verify, log_dir: Path, tmp_path: Path, consortium: Consortium
) -> None:
    assert verify(str(log_dir)) == 0
    forked = [release_entry(i) for i in range(SIZE)]
    forked[5] = release_entry(9999)
    same_size = tmp_path / "cabang"
    export_log(same_size, forked, consortium)
    assert verify(str(same_size)) == 1
    assert "CABANG" in verify.out and "FORK" in verify.out
    bigger = tmp_path / "cabang-besar"
    export_log(bigger, [*forked, release_entry(SIZE)], consortium)
    assert verify(str(bigger)) == 1
    assert "does not contain tree" in verify.out
    smaller = tmp_path / "mundur"
    export_log(smaller, forked[:5], consortium)
    assert verify(str(smaller)) == 1
    assert "smaller tree" in verify.out


def test_growth_is_consistent(
    verify: Verify, log_dir: Path, tmp_path: Path, consortium: Consortium
) -> None:
    assert verify(str(log_dir)) == 0
    grown = tmp_path / "tumbuh"
    export_log(grown, [release_entry(i) for i in range(SIZE + 300)], consortium)
    assert verify(str(grown)) == 0, verify.out
    assert f"konsisten dengan checkpoint sebelumnya (ukuran {SIZE})" in verify.out


def test_missing_tile_or_unreachable_log_is_exit_3(verify: Verify, log_dir: Path) -> None:
    (log_dir / "tile" / "entries" / "001.p" / "44").unlink()
    assert verify(str(log_dir), "--audit") == 3
    assert "TIDAK DAPAT DIPASTIKAN" in verify.out
    assert verify("http://127.0.0.1:9/log/") == 3
    assert "cannot be reached" in verify.out


def test_usage_errors_are_exit_2(verify: Verify, log_dir: Path, tmp_path: Path) -> None:
    assert verify() == 2
    assert "SOURCE" in verify.out
    bad = tmp_path / "rusak.txt"
    bad.write_text("quorum nobody\n")
    assert main(["verify", str(log_dir), "--policy", str(bad)]) == 2
    assert verify(str(log_dir), "--file", str(tmp_path / "none.json")) == 2
    assert "cannot be read" in verify.out


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"kind": "x", "a": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
        ('{"kind": "x", "a": "\\ud800"}', "/a: text holds a lone UTF-16 surrogate"),
        ('{"kind": "x", "a": [1e400]}', "/a/0: number is infinite"),
        ('{"kind": "x", "a": ' + "9" * 4301 + "}", "/a: number is infinite"),
        ('{"ocid": "x", "\\u0000": 1}', "/release/\\u0000: JSON key: text holds a NUL"),
    ],
)
def test_bad_record_file_is_an_input_error(
    verify: Verify, log_dir: Path, tmp_path: Path, text: str, said: str
) -> None:
    record = tmp_path / "rekaman.json"
    record.write_text(text)
    assert verify(str(log_dir), "--file", str(record)) == 2, verify.out
    assert said in verify.out and "USAGE OR INPUT ERROR" in verify.out


def test_http_source(verify: Verify, log_dir: Path) -> None:
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(log_dir))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        assert verify(url, "--audit") == 0, verify.out
    finally:
        server.shutdown()
        server.server_close()


def test_anchor_matches_checkpoint(verify: Verify, log_dir: Path, tmp_path: Path) -> None:
    checkpoint = Checkpoint.parse(parse_note((log_dir / "checkpoint").read_bytes()).text)
    good = AnchorPayload(checkpoint.origin, checkpoint.size, checkpoint.root)
    anchor = tmp_path / "tx.json"
    anchor.write_text(json.dumps({"operations": [anchor_operation(good, account="terbuka")]}))
    assert verify(str(log_dir), "--anchor", str(anchor)) == 0, verify.out
    assert "jangkar" in verify.out
    signed = anchor_sign(
        good,
        account="terbuka",
        wif=TEST_WIF,
        ref_block_num=1,
        ref_block_prefix=2,
        expiration="2026-11-28T08:00:00",
    )
    anchor.write_text(json.dumps(signed))
    assert verify(str(log_dir), "--anchor", str(anchor), "--anchor-key", TEST_PUB) == 0
    assert "signed by" in verify.out
    assert verify(str(log_dir), "--anchor", str(anchor), "--anchor-key", OTHER_PUB) == 1
    assert "not signed by" in verify.out
    wrong = AnchorPayload(checkpoint.origin, checkpoint.size - 1, checkpoint.root)
    anchor.write_text(json.dumps({"operations": [anchor_operation(wrong, account="terbuka")]}))
    assert verify(str(log_dir), "--anchor", str(anchor)) == 1
    assert "size differs" in verify.out


@pytest.fixture(autouse=True)
def _no_home_state(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    yield


def receipt_files(tmp_path: Path, log_dir: Path, index: int, record: bytes) -> tuple[Path, Path]:
    note = (log_dir / "checkpoint").read_bytes()
    receipt = tmp_path / "tanda-terima.txt"
    receipt.write_bytes(receipt_for(log_dir, index, note, SIZE))
    entry = tmp_path / "rekaman.json"
    entry.write_bytes(record)
    return receipt, entry


def test_receipt_verifies_offline(verify: Verify, log_dir: Path, tmp_path: Path) -> None:
    receipt, entry = receipt_files(tmp_path, log_dir, 12, release_entry(12))
    assert verify("--receipt", str(receipt), "--file", str(entry)) == 0, verify.out
    assert "tanda terima sah" in verify.out and "index 12" in verify.out


def test_receipt_for_another_record_or_tampered_checkpoint_fails(
    verify: Verify, log_dir: Path, tmp_path: Path
) -> None:
    receipt, entry = receipt_files(tmp_path, log_dir, 12, release_entry(13))
    assert verify("--receipt", str(receipt), "--file", str(entry)) == 1
    assert "✗" in verify.out
    receipt, entry = receipt_files(tmp_path, log_dir, 12, release_entry(12))
    text = receipt.read_text()
    lines = text.split("\n")
    root_line = lines.index("terbuka.test/log") + 2
    lines[root_line] = ("A" if lines[root_line][0] != "A" else "B") + lines[root_line][1:]
    receipt.write_text("\n".join(lines))
    assert verify("--receipt", str(receipt), "--file", str(entry)) == 1
    assert "invalid signature" in verify.out


def test_receipt_needs_the_record(verify: Verify, log_dir: Path, tmp_path: Path) -> None:
    receipt, _ = receipt_files(tmp_path, log_dir, 1, release_entry(1))
    assert verify("--receipt", str(receipt)) == 2
    assert "--receipt needs --file" in verify.out


def test_receipt_contradicting_remembered_tree_is_a_fork(
    verify: Verify, log_dir: Path, tmp_path: Path, consortium: Consortium
) -> None:
    assert verify(str(log_dir)) == 0
    forked = [release_entry(i) for i in range(SIZE)]
    forked[2] = release_entry(777)
    other = tmp_path / "cabang"
    export_log(other, forked, consortium)
    receipt, entry = receipt_files(tmp_path, other, 2, release_entry(777))
    assert verify("--receipt", str(receipt), "--file", str(entry)) == 1
    assert "FORK" in verify.out


def test_default_state_lives_in_xdg_state_home(
    log_dir: Path, policy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    assert main(["verify", str(log_dir), "--policy", str(policy)]) == 0
    remembered = json.loads((tmp_path / "xdg" / "terbuka" / "verify-state.json").read_text())
    assert remembered["origins"]["terbuka.test/log"]["size"] == SIZE


BLOCK_WEB = """
import sys
from importlib.abc import MetaPathFinder

class NoWeb(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"django", "ninja", "terbuka_web"}:
            raise ImportError(f"{name} is not installed in a citizen's verifier")
        return None

sys.meta_path.insert(0, NoWeb())
from terbuka.cli.main import main
code = main(sys.argv[1:])
assert not any(m.split(".")[0] in {"django", "ninja", "terbuka_web"} for m in sys.modules)
sys.exit(code)
"""


def test_verify_runs_on_the_core_alone(log_dir: Path, policy: Path, tmp_path: Path) -> None:
    args = ["verify", str(log_dir), "--audit", "--policy", str(policy)]
    args += ["--state", str(tmp_path / "s.json")]
    done = subprocess.run(
        [sys.executable, "-c", BLOCK_WEB, *args], capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 0, done.stdout + done.stderr
    flip(next((log_dir / "tile" / "entries").iterdir()), 5)
    tampered = subprocess.run(
        [sys.executable, "-c", BLOCK_WEB, *args], capture_output=True, text=True, cwd=tmp_path
    )
    assert tampered.returncode == 1, tampered.stdout + tampered.stderr


CORE_ONLY_COMMANDS = """
import importlib.util
import sys

real_find_spec = importlib.util.find_spec
importlib.util.find_spec = lambda name, *a: (
    None if name.split(".")[0] == "django" else real_find_spec(name, *a)
)
from terbuka.cli.main import build_parser

print(" ".join(sorted(build_parser()._subparsers._group_actions[0].choices)))
"""


def test_core_only_install_lists_only_core_commands() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CORE_ONLY_COMMANDS], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["flags", "governance", "keys", "verify", "wallet", "witness"]
