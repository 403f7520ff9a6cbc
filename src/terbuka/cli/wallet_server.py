"""Use a citizen wallet against a Terbuka server: `terbuka wallet enrol|balance|pay|merchants|
allowance|sync`.

The wallet file (terbuka.money.walletfile) stays on the citizen's machine: enrol sends only
the did:key and the proof of possession, pay sends only the signed intent. The server is
--server URL (default TERBUKA_WALLET_SERVER). `allowance` asks for an offline allowance
(a signed intent to "luring") and stores it in the wallet file for `offline-pay`; `sync` is the
merchant's: it hands in the vouchers it took (a file, one per line) with its sync token.
`merchants` without a server reads the local database when the web extra is installed (the
plug-in fills LOCAL). Exit codes: 0 done,
1 refused by the server (the reason printed), 2 an input or the server cannot be used.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from terbuka.errors import TerbukaError
from terbuka.money.allowance import SignedAllowance
from terbuka.money.enrol import enrol_proof_sign
from terbuka.money.reads import read_authorization
from terbuka.money.spend import OFFLINE_MERCHANT
from terbuka.money.walletfile import (
    wallet_allowance_add,
    wallet_file_read,
    wallet_file_write,
    wallet_pay,
)

# Handlers that answer from the local database instead of a server, set by the web plug-in.
LOCAL: dict[str, Callable[[list[str]], int]] = {}
TIMEOUT = 30
MERCHANT_FIELDS = ("id", "name", "category", "village_code", "village")
SYNC_BATCH = 500  # the server's limit per sync


class ServerRefused(Exception):
    """Carry the server's error object (the API's one error shape) of a refused request."""

    def __init__(self, error: Mapping[str, Any]) -> None:
        super().__init__(str(error.get("message_en", "")))
        self.error = error


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the server subcommands to `terbuka wallet`."""
    server = argparse.ArgumentParser(add_help=False)
    server.add_argument(
        "--server",
        default=os.environ.get("TERBUKA_WALLET_SERVER"),
        help="URL server Terbuka (bawaan: TERBUKA_WALLET_SERVER) / the server's URL",
    )
    listing = sub.add_parser(
        "merchants", parents=[server], help="pedagang yang disetujui / approved merchants"
    )
    listing.add_argument("--json", action="store_true", help="satu larik JSON / one JSON array")
    listing.set_defaults(handler=merchants_command)
    enrol = sub.add_parser("enrol", parents=[server], help="daftarkan dompet / enrol the wallet")
    enrol.add_argument("--wallet", required=True, type=Path, help="berkas dompet / wallet file")
    enrol.add_argument("--challenge", required=True, help="tantangan petugas / the challenge")
    enrol.add_argument("--expires", required=True, type=int, help="kedaluwarsanya / its expiry")
    enrol.set_defaults(handler=enrol_command)
    balance = sub.add_parser("balance", parents=[server], help="saldo dompet / balances")
    balance.add_argument("--wallet", required=True, type=Path, help="berkas dompet / wallet file")
    balance.set_defaults(handler=balance_command)
    pay = sub.add_parser("pay", parents=[server], help="bayar daring / pay online")
    pay.add_argument("--wallet", required=True, type=Path, help="berkas dompet / wallet file")
    pay.add_argument("--merchant", required=True, help="id pedagang / merchant id")
    pay.add_argument("--amount", required=True, type=int, help="jumlah Rupiah / amount (Rp)")
    pay.add_argument("--programme", required=True, help="id program / programme id")
    pay.add_argument("--expires-in", type=int, default=600, help="detik berlaku / valid for (s)")
    pay.set_defaults(handler=pay_command)
    allow = sub.add_parser(
        "allowance", parents=[server], help="minta jatah luring / get an offline allowance"
    )
    allow.add_argument("--wallet", required=True, type=Path, help="berkas dompet / wallet file")
    allow.add_argument("--programme", required=True, help="id program / programme id")
    allow.add_argument("--amount", required=True, type=int, help="jumlah Rupiah / amount (Rp)")
    allow.add_argument("--count", type=int, default=5, help="jumlah niat / intents (1-20)")
    allow.set_defaults(handler=allowance_command)
    sync = sub.add_parser(
        "sync", parents=[server], help="sinkronkan voucher pedagang / a merchant's sync"
    )
    sync.add_argument("file", type=Path, help="voucher, satu per baris / vouchers, one a line")
    sync.add_argument(
        "--token",
        default=os.environ.get("TERBUKA_MERCHANT_TOKEN"),
        help="token sinkron pedagang (bawaan: TERBUKA_MERCHANT_TOKEN) / the merchant's token",
    )
    sync.set_defaults(handler=sync_command)


def merchants_lines(rows: Iterable[Mapping[str, Any]], as_json: bool) -> list[str]:
    """Return merchants as one JSON array line, or one tab-separated line each (id, name, …)."""
    rows = [{field: row[field] for field in MERCHANT_FIELDS} for row in rows]
    if as_json:
        return [json.dumps(rows, ensure_ascii=False)]
    return ["\t".join(str(row[field]) for field in MERCHANT_FIELDS) for row in rows]


def request(
    server: str | None, path: str, body: Mapping[str, Any] | None = None, authorization: str = ""
) -> Any:
    """Return the JSON answer of GET (or POST body to) server + path.

    authorization is the Authorization header's value, if any: "Bearer <merchant token>" or a
    wallet's read proof "Wallet <at>.<signature>" (terbuka.money.reads).

    Raises ValueError without a server, ServerRefused for an error answer, OSError when the
    server cannot be reached.
    """
    if not server:
        raise ValueError(
            "berikan --server atau TERBUKA_WALLET_SERVER / give --server or set "
            "TERBUKA_WALLET_SERVER"
        )
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"}
    if authorization:
        headers["Authorization"] = authorization
    call = urllib.request.Request(server.rstrip("/") + path, data=data, headers=headers)
    try:
        with urllib.request.urlopen(call, timeout=TIMEOUT) as answer:
            return json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        try:
            error = json.loads(exc.read()).get("error", {})
        except (ValueError, AttributeError):
            error = {"message": str(exc), "message_en": str(exc)}
        raise ServerRefused(error) from exc


def _run(action: Callable[[], int]) -> int:
    """Run action; print a refusal (exit 1) or an unusable input or server (exit 2)."""
    try:
        return action()
    except ServerRefused as exc:
        e = exc.error
        reason = f" ({e['reason']})" if e.get("reason") else ""
        print(f"DITOLAK / REFUSED{reason}", file=sys.stderr)
        print(f"{e.get('field', '')}: {e.get('message')} / {e.get('message_en')}", file=sys.stderr)
        return 1
    except TerbukaError as exc:
        print(f"{exc.where}: {exc.message_id} / {exc.message_en}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:
        print(f"terbuka wallet: {exc}", file=sys.stderr)
        return 2


def merchants_command(args: argparse.Namespace) -> int:
    """List approved merchants from the server, or from the local database without one."""
    if not args.server and "merchants" in LOCAL:
        return LOCAL["merchants"](["--json"] if args.json else [])

    def listing() -> int:
        for line in merchants_lines(request(args.server, "/api/wallets/merchants"), args.json):
            print(line)
        return 0

    return _run(listing)


def enrol_command(args: argparse.Namespace) -> int:
    """Sign the officer's challenge with the wallet key and enrol it; print the did:key."""

    def enrol() -> int:
        key = wallet_file_read(args.wallet).key
        proof = enrol_proof_sign(key, args.challenge, args.expires)
        body = {"challenge": args.challenge, "wallet": key.did, "proof": proof}
        answer = request(args.server, "/api/wallets/enrolments", body)
        print(answer["wallet"])
        if answer.get("replaces"):
            print(f"menggantikan / replaces {answer['replaces']}")
        return 0

    return _run(enrol)


def balance_command(args: argparse.Namespace) -> int:
    """Print the wallet's balance per programme and its chain head at the server."""

    def balance() -> int:
        key = wallet_file_read(args.wallet).key
        proof = read_authorization(key, int(time.time()))
        shown = request(args.server, "/api/wallets/" + quote(key.did), None, proof)
        for row in shown["balances"]:
            print(f"{row['programme']}\tRp {row['balance']}\t{','.join(row['categories'])}")
        print(f"nomor/counter {shown['counter']} hash {shown['head']} ({shown['status']})")
        return 0

    return _run(balance)


def pay_command(args: argparse.Namespace) -> int:
    """Sign the next intent, save the wallet file, send the intent; print the receipt."""

    def pay() -> int:
        wallet = wallet_file_read(args.wallet)
        advanced, signed = wallet_pay(
            wallet, merchant=args.merchant, amount=args.amount, programme=args.programme,
            expires=int(time.time()) + args.expires_in,
        )  # fmt: skip
        wallet_file_write(advanced, args.wallet)  # saved first: a counter is never reused
        try:
            receipt = request(args.server, "/api/wallets/payments", {"intent": signed.format()})
        except ServerRefused:  # refused for sure: the counter stays free for the next intent
            wallet_file_write(wallet, args.wallet)
            raise
        print(f"DIBAYAR / PAID Rp {receipt['amount']} -> {receipt['merchant']}")
        print(f"hash {receipt['hash']}")
        return 0

    return _run(pay)


def allowance_command(args: argparse.Namespace) -> int:
    """Sign a request to "luring", get the allowance, keep it in the wallet file; print it."""

    def allowance() -> int:
        wallet = wallet_file_read(args.wallet)
        advanced, signed = wallet_pay(
            wallet, merchant=OFFLINE_MERCHANT, amount=args.amount, programme=args.programme,
            expires=int(time.time()) + 600,
        )  # fmt: skip
        wallet_file_write(advanced, args.wallet)  # saved first: a counter is never reused
        body = {"intent": signed.format(), "count": args.count}
        try:
            answer = request(args.server, "/api/wallets/allowances", body)
        except ServerRefused:  # refused for sure: the counter stays free
            wallet_file_write(wallet, args.wallet)
            raise
        granted = SignedAllowance.parse(answer["allowance"])
        wallet_file_write(wallet_allowance_add(advanced, granted), args.wallet)
        print(answer["allowance"])
        print(
            f"Rp {answer['amount']}, {answer['count']} niat/intents "
            f"{answer['start']}..{answer['start'] + answer['count'] - 1}, "
            f"sampai/until {answer['expires']}"
        )
        return 0

    return _run(allowance)


def sync_command(args: argparse.Namespace) -> int:
    """Send the merchant's vouchers; print one line each; exit 1 when any is not paid."""

    def sync() -> int:
        if not args.token:
            raise ValueError(
                "berikan --token atau TERBUKA_MERCHANT_TOKEN / give --token or set "
                "TERBUKA_MERCHANT_TOKEN (the merchant's sync token)"
            )
        lines = args.file.read_text(encoding="utf-8").splitlines()
        vouchers = [line.strip() for line in lines if "~" in line]
        unpaid = 0
        for at in range(0, len(vouchers), SYNC_BATCH):
            body = {"vouchers": vouchers[at : at + SYNC_BATCH]}
            answer = request(args.server, "/api/wallets/sync", body, f"Bearer {args.token}")
            for result in answer["results"]:
                reason = f" ({result['reason']})" if result["reason"] else ""
                print(f"{result['status']}{reason}\t{result['hash'] or '-'}")
                unpaid += result["status"] not in ("accepted", "duplicate")
        print(f"{len(vouchers)} voucher, {unpaid} belum dibayar / not paid")
        return 1 if unpaid else 0

    return _run(sync)
