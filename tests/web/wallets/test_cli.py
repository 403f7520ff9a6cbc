"""Test `terbuka wallet merchants|enrol|balance|pay|allowance|offline-pay|sync` against a live
server, and `terbuka wallets` (merchants from the local database, an officer's challenge by
NIK, a merchant's sync token)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from terbuka.cli.main import main as terbuka_main
from terbuka.money.keys import WalletKey
from terbuka.money.spend import merchant_account, offline_account
from terbuka.money.walletfile import wallet_file_read
from terbuka_web.ledger.models import Account
from terbuka_web.wallets.models import Wallet
from terbuka_web.wallets.services import enrol_challenge_create, merchant_token_issue
from tests.web.benefits.conftest import person

from .conftest import ENTITLEMENT, SLUG, World

pytestmark = pytest.mark.django_db(transaction=True)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = terbuka_main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_terminal_wallet_enrols_pays_and_reads_its_balance(
    world: World, live_server: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server = live_server.url
    path = tmp_path / "dompet.json"
    assert run(capsys, "wallet", "keygen", "--out", str(path))[0] == 0
    issued = enrol_challenge_create(officer=world.operator, registrant=world.people[0])
    code, out, _ = run(
        capsys, "wallet", "enrol", "--server", server, "--wallet", str(path),
        f"--challenge={issued.challenge}", f"--expires={issued.expires}",
    )  # fmt: skip
    did = wallet_file_read(path).key.did
    assert code == 0 and out.strip() == did and Wallet.objects.filter(did=did).exists()
    pay = ["wallet", "pay", "--server", server, "--wallet", str(path), "--programme", SLUG]
    code, out, _ = run(capsys, *pay, "--merchant", "toko-ani", "--amount", "20000")
    assert code == 0 and "Rp 20000 -> toko-ani" in out
    code, _, err = run(capsys, *pay, "--merchant", "apotek-a", "--amount", "1000")
    assert code == 1 and "(wrong_category)" in err
    assert wallet_file_read(path).counter == 1  # the refused intent's counter stays free
    code, out, _ = run(capsys, *pay, "--merchant", "toko-ani", "--amount", "1000")
    assert code == 0
    code, out, _ = run(capsys, "wallet", "balance", "--server", server, "--wallet", str(path))
    assert code == 0 and f"{SLUG}\tRp {ENTITLEMENT - 21000}\tatk,warung" in out
    assert "nomor/counter 2" in out
    code, out, _ = run(capsys, "wallet", "merchants", "--server", server, "--json")
    assert code == 0 and [m["id"] for m in json.loads(out)] == ["apotek-a", "toko-ani", "toko-b"]


def test_merchants_without_a_server_read_the_local_database(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "wallet", "merchants")
    assert code == 0
    assert out.splitlines()[1].split("\t")[:4] == ["toko-ani", "Toko Ani", "atk", "35.22.01.2001"]


def test_an_unreachable_server_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "wallet", "merchants", "--server", "http://127.0.0.1:9")
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_officer_challenge_by_nik(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    call_command(
        "terbuka_wallets", "challenge", "--officer", world.operator.username,
        "--nik", str(person(0, "35.22.01.2001")["nik"]),
    )  # fmt: skip
    out = capsys.readouterr().out
    assert out.startswith("tantangan / challenge: ") and "kedaluwarsa / expires: " in out
    challenge = out.split("tantangan / challenge: ", 1)[1].split()[0]
    assert f"terbuka wallet enrol --wallet BERKAS/FILE --challenge={challenge} --expires=" in out


def test_a_terminal_wallet_pays_offline_and_the_merchant_syncs(
    world: World, issuer: WalletKey, live_server: Any, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    server = live_server.url
    path = tmp_path / "dompet.json"
    run(capsys, "wallet", "keygen", "--out", str(path))
    issued = enrol_challenge_create(officer=world.operator, registrant=world.people[0])
    run(
        capsys, "wallet", "enrol", "--server", server, "--wallet", str(path),
        f"--challenge={issued.challenge}", f"--expires={issued.expires}",
    )  # fmt: skip
    code, out, err = run(
        capsys, "wallet", "allowance", "--server", server, "--wallet", str(path),
        "--programme", SLUG, "--amount", "50000", "--count", "3",
    )  # fmt: skip
    assert code == 0 and out.startswith("TOA1.") and "2..4" in out, err
    did = wallet_file_read(path).key.did
    vouchers = tmp_path / "voucher.txt"
    taken = []
    for amount in ("20000", "10000"):
        code, out, _ = run(
            capsys, "wallet", "offline-pay", "--wallet", str(path), "--merchant", "toko-ani",
            "--amount", amount,
        )  # fmt: skip
        assert code == 0
        taken.append(out.splitlines()[0])
    vouchers.write_text("\n".join(taken) + "\n", encoding="utf-8")
    token = merchant_token_issue(officer=world.ppk, code="toko-ani")
    sync = ["wallet", "sync", "--server", server, "--token", token, str(vouchers)]
    code, out, _ = run(capsys, *sync)
    assert code == 0 and out.count("accepted\t") == 2
    code, out, _ = run(capsys, *sync)
    assert code == 0 and out.count("duplicate\t") == 2
    code, _, err = run(capsys, "wallet", "sync", "--server", server, "--token", "x", str(vouchers))
    assert code == 1 and "the merchant token is not valid" in err
    assert Account.objects.get(key=merchant_account("toko-ani")).balance == 30000
    assert Account.objects.get(key=offline_account(did, SLUG)).balance == 20000
    # online payments go on after the allowance's counters
    code, out, err = run(
        capsys, "wallet", "pay", "--server", server, "--wallet", str(path), "--programme", SLUG,
        "--merchant", "toko-ani", "--amount", "1000",
    )  # fmt: skip
    assert code == 0, err
    assert wallet_file_read(path).counter == 5


def test_officer_issues_a_merchant_token(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("terbuka_wallets", "token", "toko-ani", "--officer", world.ppk.username)
    assert capsys.readouterr().out.startswith("toko-ani.")
