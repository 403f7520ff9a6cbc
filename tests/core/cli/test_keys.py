"""Run `terbuka keys` as a real process and use the keys it makes."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from terbuka.tlog.cosignature import CosignatureSigner, CosignatureVerifier
from terbuka.tlog.note import Signer, Verifier, open_note, sign_note

SRC = Path(__file__).resolve().parents[3] / "src"


def _terbuka(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run(
        [sys.executable, "-m", "terbuka.cli.main", "keys", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_generate_writes_private_skey_and_prints_vkey(tmp_path: Path) -> None:
    run = _terbuka(
        "generate", "--name", "log.terbuka.example/jabar", "--out", "log.skey", cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr
    vkey = run.stdout.strip()
    skey_file = tmp_path / "log.skey"
    assert stat.S_IMODE(skey_file.stat().st_mode) == 0o600
    signer = Signer.from_skey(skey_file.read_text().strip())
    assert signer.vkey == vkey
    assert open_note(sign_note("hi\n", [signer]), [Verifier.from_vkey(vkey)]).signatures
    again = _terbuka("vkey", "log.skey", cwd=tmp_path)
    assert (again.returncode, again.stdout.strip()) == (0, vkey)


def test_generate_witness_key_is_cosignature_v1(tmp_path: Path) -> None:
    run = _terbuka("generate", "--witness", "--name", "w.example", "--out", "w.skey", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    verifier = CosignatureVerifier.from_vkey(run.stdout.strip())
    signer = CosignatureSigner.from_skey((tmp_path / "w.skey").read_text().strip())
    assert signer.key_id == verifier.key_id
    assert _terbuka("vkey", "w.skey", cwd=tmp_path).stdout.strip() == run.stdout.strip()


def test_refuses_to_overwrite_and_rejects_bad_input(tmp_path: Path) -> None:
    (tmp_path / "k").write_text("keep me\n")
    run = _terbuka("generate", "--name", "x", "--out", "k", cwd=tmp_path)
    assert run.returncode == 2 and "sudah ada" in run.stderr and "exists" in run.stderr
    assert (tmp_path / "k").read_text() == "keep me\n"
    bad = _terbuka("generate", "--name", "a b", "--out", "n", cwd=tmp_path)
    assert bad.returncode == 2 and "invalid key name" in bad.stderr
    assert not (tmp_path / "n").exists()
    garbage = _terbuka("vkey", "k", cwd=tmp_path)
    assert garbage.returncode == 2 and "PRIVATE+KEY+" in garbage.stderr
    missing = _terbuka("vkey", "nope", cwd=tmp_path)
    assert missing.returncode == 2 and "cannot read" in missing.stderr
