"""Run `terbuka wallet` as a real process: keygen, sign a voucher, verify it offline."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from tests.core.wallet.samples import ISSUER, NOW, WALLET, allowance_of, voucher_of

from terbuka.money.voucher import Voucher
from terbuka.money.walletfile import wallet_file_read

SRC = Path(__file__).resolve().parents[3] / "src"
MERCHANT = ["--merchant", "toko-ani", "--category", "atk", "--region", "3522012001"]


def _wallet(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "terbuka.cli.main", "wallet", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _verify(payload: str, *extra: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return _wallet(
        "verify", payload, "--issuer", ISSUER.did, *MERCHANT, "--at", str(NOW), *extra, cwd=cwd
    )


def test_keygen_writes_a_0600_key_and_prints_its_did(tmp_path: Path) -> None:
    run = _wallet("keygen", "--out", "dompet.json", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    key_file = tmp_path / "dompet.json"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert wallet_file_read(key_file).key.did == run.stdout.strip()
    again = _wallet("keygen", "--out", "dompet.json", cwd=tmp_path)
    assert again.returncode == 2 and "exists" in again.stderr


def test_sign_prints_the_golden_voucher_and_draws_its_qr(tmp_path: Path) -> None:
    (tmp_path / "w.pem").write_bytes(WALLET.pem())
    run = _wallet(
        "sign",
        "--wallet", "w.pem", "--merchant", "toko-ani", "--programme", "pip-2026",
        "--amount", "25000", "--counter", "1", "--expires", "1796518800",
        "--allowance", allowance_of().format(), "--qr", "bayar.png",
        cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == voucher_of().format()
    assert lines[1] == f"hash {voucher_of().intent.hash()}"
    assert lines[2] == "qr versi/version 15, 77x77 modul/modules"
    assert (tmp_path / "bayar.png").read_bytes().startswith(b"\x89PNG")


def test_verify_accepts_a_valid_voucher(tmp_path: Path) -> None:
    run = _verify(voucher_of().format(), cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.startswith("SAH / VALID\nRp 25000 did:key:z6MkiTBz")


def test_verify_reads_a_file_and_a_separate_allowance(tmp_path: Path) -> None:
    (tmp_path / "qr.txt").write_text(voucher_of().intent.format() + "\n")
    (tmp_path / "jatah.txt").write_text(allowance_of().format())
    run = _verify("@qr.txt", "--allowance", "@jatah.txt", cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr


def test_verify_refuses_with_the_reason_bilingual(tmp_path: Path) -> None:
    forged = voucher_of().format().replace(".25000.", ".45000.")
    run = _verify(forged, cwd=tmp_path)
    assert run.returncode == 1
    assert run.stdout.startswith("DITOLAK / REFUSED (forged)")
    assert "tidak sah" in run.stdout and "invalid" in run.stdout
    wrong = _wallet(
        "verify", voucher_of().format(), "--issuer", ISSUER.did, "--merchant", "toko-ani",
        "--category", "apotek", "--region", "3522012001", "--at", str(NOW), cwd=tmp_path,
    )  # fmt: skip
    assert wrong.returncode == 1 and "(wrong_category)" in wrong.stdout
    late = _wallet(
        "verify", voucher_of().format(), "--issuer", ISSUER.did, *MERCHANT,
        "--at", "1796518801", cwd=tmp_path,
    )  # fmt: skip
    assert late.returncode == 1 and "(expired)" in late.stdout
    garbage = _verify("TPI1.xyz", cwd=tmp_path)
    assert garbage.returncode == 1 and "(wallet_format)" in garbage.stdout


def test_verify_detects_a_double_spend_against_taken_vouchers(tmp_path: Path) -> None:
    taken = Voucher(voucher_of(amount=1000).intent, allowance_of())
    (tmp_path / "diterima.txt").write_text(taken.format() + "\n\n")
    run = _verify(voucher_of().format(), "--seen", "diterima.txt", cwd=tmp_path)
    assert run.returncode == 1 and "(double_spend)" in run.stdout


def test_verify_with_a_bad_issuer_is_a_usage_error(tmp_path: Path) -> None:
    run = _wallet("verify", voucher_of().format(), "--issuer", "did:web:x", *MERCHANT, cwd=tmp_path)
    assert run.returncode == 2 and "did:key" in run.stderr


def test_citizen_pays_offline_and_the_merchant_verifies(tmp_path: Path) -> None:
    """The whole offline flow from terminals: issuer, citizen, merchant; no network."""
    issuer = _wallet("keygen", "--out", "issuer.json", cwd=tmp_path).stdout.strip()
    citizen = _wallet("keygen", "--out", "dompet.json", cwd=tmp_path).stdout.strip()
    allowance = _wallet(
        "allow", "--issuer-key", "issuer.json", "--wallet", citizen, "--programme", "pip-2026",
        "--amount", "60000", "--count", "3", "--start", "1", "--expires", "4102444800",
        "--payment-cap", "50000", "--category", "atk", "--region", "35.22",
        cwd=tmp_path,
    )  # fmt: skip
    assert allowance.returncode == 0, allowance.stderr
    assert ".atk.3522." in allowance.stdout
    added = _wallet(
        "allowance-add", "--wallet", "dompet.json", allowance.stdout.strip(), cwd=tmp_path
    )
    assert added.returncode == 0, added.stderr
    payloads = []
    for amount in ("25000", "30000"):
        pay = _wallet(
            "offline-pay", "--wallet", "dompet.json", "--merchant", "toko-ani",
            "--amount", amount, "--qr", f"bayar-{amount}.png", cwd=tmp_path,
        )  # fmt: skip
        assert pay.returncode == 0, pay.stderr
        payloads.append(pay.stdout.splitlines()[0])
        assert pay.stdout.splitlines()[1].startswith("qr versi/version ")
    assert stat.S_IMODE((tmp_path / "dompet.json").stat().st_mode) == 0o600
    assert wallet_file_read(tmp_path / "dompet.json").counter == 2
    over = _wallet(
        "offline-pay", "--wallet", "dompet.json", "--merchant", "toko-ani", "--amount", "10000",
        cwd=tmp_path,
    )  # fmt: skip
    assert over.returncode == 2 and "offline allowance" in over.stderr
    merchant = ["--issuer", issuer, "--merchant", "toko-ani", "--category", "atk"]
    for payload in payloads:
        run = _wallet("verify", payload, *merchant, "--region", "35.22.01.2001", cwd=tmp_path)
        assert run.returncode == 0, run.stdout + run.stderr
    (tmp_path / "diterima.txt").write_text(payloads[0] + "\n")
    again = _wallet(
        "verify", payloads[0], *merchant, "--region", "3522012001", "--seen", "diterima.txt",
        cwd=tmp_path,
    )  # fmt: skip
    assert again.returncode == 1 and "(replay)" in again.stdout


def test_verify_payload_alone_with_the_issuer_from_the_environment(tmp_path: Path) -> None:
    env_issuer = {"TERBUKA_WALLET_ISSUER": ISSUER.did}
    run = _wallet("verify", voucher_of().format(), "--at", str(NOW), cwd=tmp_path, env=env_issuer)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "not checked: pedagang, kategori, wilayah / merchant, category, region" in run.stdout
    forged = voucher_of().format().replace(".25000.", ".45000.")
    refused = _wallet("verify", forged, "--at", str(NOW), cwd=tmp_path, env=env_issuer)
    assert refused.returncode == 1 and "(forged)" in refused.stdout
    none = _wallet("verify", voucher_of().format(), cwd=tmp_path, env={"TERBUKA_WALLET_ISSUER": ""})
    assert none.returncode == 2 and "TERBUKA_WALLET_ISSUER" in none.stderr
    partial = _wallet(
        "verify", voucher_of().format(), "--merchant", "toko-ani", cwd=tmp_path, env=env_issuer
    )
    assert partial.returncode == 2 and "go together" in partial.stderr


def test_conflicts_names_double_spends_and_the_accepted_branch(tmp_path: Path) -> None:
    honest = voucher_of()
    double = voucher_of(amount=1000, merchant="toko-budi")
    forged = voucher_of().format().replace(".25000.", ".45000.")
    lines = [double.format(), honest.format(), honest.format(), forged, ""]
    (tmp_path / "sync.txt").write_text("\n".join(lines))
    run = _wallet("conflicts", "sync.txt", "--issuer", ISSUER.did, cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    refused, conflict, branches = [json.loads(line) for line in run.stdout.splitlines()]
    assert refused["refused"]["line"] == 4 and refused["refused"]["reason"] == "forged"
    assert conflict["conflict"]["kind"] == "counter"
    assert sorted(conflict["conflict"]["intents"]) == sorted(
        [honest.intent.format(), double.intent.format()]
    )
    assert branches["accepted"] == [double.intent.hash()]  # it arrived first
    assert branches["rejected"] == [honest.intent.hash()]
    (tmp_path / "clean.txt").write_text(honest.format() + "\n")
    clean = _wallet("conflicts", "clean.txt", "--issuer", ISSUER.did, cwd=tmp_path)
    assert clean.returncode == 0 and json.loads(clean.stdout)["accepted"] == [honest.intent.hash()]
