"""Make wallet keys, sign intents and verify offline payments: `terbuka wallet keygen|sign|verify`.

Needs no database and no network. `verify` is what a merchant's laptop runs on a QR payload
(a voucher "TPI1...~TOA1...", or a bare intent with --allowance): it checks the wallet's and
the issuer's signatures, the allowance and the programme's restrictions, prints the result in
Bahasa Indonesia and English, and exits 0 (valid), 1 (refused, with the reason) or 2 (an
input other than the payload cannot be used).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from terbuka.errors import TerbukaError
from terbuka.money.allowance import SignedAllowance
from terbuka.money.didkey import did_key_parse
from terbuka.money.intent import GENESIS, Intent, SignedIntent, intent_sign
from terbuka.money.keys import wallet_key_generate, wallet_key_load, wallet_key_write
from terbuka.money.purpose import Merchant, refusal_reason
from terbuka.money.qr import qr_write
from terbuka.money.voucher import Voucher, offline_check


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `wallet` command with keygen, sign and verify."""
    wallet = subparsers.add_parser(
        "wallet", help="dompet warga: kunci, niat bayar, verifikasi luring / citizen wallets"
    )
    sub = wallet.add_subparsers(dest="wallet_command", metavar="SUBCOMMAND", required=True)
    gen = sub.add_parser("keygen", help="buat kunci dompet Ed25519 / make a wallet key")
    gen.add_argument("--out", required=True, type=Path, help="berkas kunci privat (0600)")
    gen.set_defaults(handler=keygen_command)
    _add_sign(sub)
    _add_verify(sub)


def _add_sign(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `wallet sign`: sign an intent from explicit fields, print it (and draw its QR)."""
    sign = sub.add_parser("sign", help="tandatangani niat bayar / sign a payment intent")
    sign.add_argument("--wallet", required=True, type=Path, help="berkas kunci dompet / key file")
    sign.add_argument("--merchant", required=True, help="id pedagang / merchant id")
    sign.add_argument("--programme", required=True, help="id program / programme id")
    sign.add_argument("--amount", required=True, type=int, help="jumlah Rupiah / amount (Rp)")
    sign.add_argument("--counter", required=True, type=int, help="nomor urut niat / counter")
    sign.add_argument("--prev", default=GENESIS, help="hash niat sebelumnya / previous hash")
    sign.add_argument("--expires", type=int, help="kedaluwarsa, detik unix / expiry, unix s (+1 h)")
    sign.add_argument("--allowance", help="jatah luring TOA1 / offline allowance (a voucher)")
    sign.add_argument("--qr", type=Path, help="tulis kode QR (PNG/SVG) / write the QR code")
    sign.set_defaults(handler=sign_command)


def _add_verify(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `wallet verify`: check a QR payload offline."""
    check = sub.add_parser("verify", help="periksa muatan QR luring / verify a QR payload offline")
    check.add_argument("payload", help="muatan QR, atau @BERKAS / the QR payload, or @FILE")
    check.add_argument("--issuer", required=True, help="did:key penerbit jatah / allowance signer")
    check.add_argument("--merchant", required=True, help="id pedagang ini / this merchant's id")
    check.add_argument("--category", required=True, help="kategori pedagang / merchant category")
    check.add_argument("--region", required=True, help="kode desa tanpa titik / village code")
    check.add_argument("--allowance", help="jatah TOA1 bila muatan hanya niat / allowance text")
    check.add_argument(
        "--seen", type=Path, help="voucher yang sudah diterima, satu per baris / taken vouchers"
    )
    check.add_argument(
        "--spent-today", type=int, default=0, help="Rp dari dompet ini hari ini / Rp spent today"
    )
    check.add_argument("--at", type=int, help="waktu periksa, detik unix / check time")
    check.set_defaults(handler=verify_command)


def _fail(exc: TerbukaError | OSError | ValueError) -> int:
    """Print an unusable input's error and return 2."""
    if isinstance(exc, TerbukaError):
        print(f"{exc.where}: {exc.message_id} / {exc.message_en}", file=sys.stderr)
    else:
        print(f"terbuka wallet: {exc}", file=sys.stderr)
    return 2


def _text_of(value: str) -> str:
    """Return value, or the stripped content of the file it names after "@"."""
    return Path(value[1:]).read_text(encoding="utf-8").strip() if value.startswith("@") else value


def keygen_command(args: argparse.Namespace) -> int:
    """Write a new wallet key to --out (0600, never overwriting); print its did:key."""
    key = wallet_key_generate()
    try:
        wallet_key_write(key, args.out)
    except OSError as exc:
        return _fail(exc)
    print(key.did)
    return 0


def sign_command(args: argparse.Namespace) -> int:
    """Print the signed intent (a voucher with --allowance) and its hash; draw it with --qr."""
    try:
        key = wallet_key_load(args.wallet.read_bytes(), str(args.wallet))
        expires = args.expires if args.expires is not None else int(time.time()) + 3600
        intent = Intent(
            wallet=key.did,
            merchant=args.merchant,
            programme=args.programme,
            amount=args.amount,
            counter=args.counter,
            expires=expires,
            prev=args.prev,
        )
        signed = intent_sign(key, intent)
        payload = signed.format()
        if args.allowance:
            allowance = SignedAllowance.parse(_text_of(args.allowance))
            payload = Voucher(signed, allowance).format()
        size = qr_write(payload, args.qr) if args.qr else None
    except (TerbukaError, OSError, ValueError) as exc:
        return _fail(exc)
    print(payload)
    print(f"hash {signed.hash()}")
    if size:
        print(f"qr versi/version {size.version}, {size.modules}x{size.modules} modul/modules")
    return 0


def verify_command(args: argparse.Namespace) -> int:
    """Check the payload offline; print SAH/VALID (exit 0) or DITOLAK/REFUSED (exit 1)."""
    try:
        did_key_parse(args.issuer, "--issuer")
        merchant = Merchant(args.merchant, args.category, args.region)
        seen = _seen_of(args.seen) if args.seen else []
        allowance = _text_of(args.allowance) if args.allowance else ""
        payload = _text_of(args.payload)
    except (TerbukaError, OSError, ValueError) as exc:
        return _fail(exc)
    now = args.at if args.at is not None else int(time.time())
    try:
        if allowance:
            voucher = Voucher(SignedIntent.parse(payload), SignedAllowance.parse(allowance))
        else:
            voucher = Voucher.parse(payload)
        offline_check(
            voucher,
            issuer=args.issuer,
            merchant=merchant,
            now=now,
            seen=seen,
            spent_today=args.spent_today,
        )
    except TerbukaError as exc:
        print(f"DITOLAK / REFUSED ({refusal_reason(exc)})")
        print(f"{exc.where}: {exc.message_id} / {exc.message_en}")
        return 1
    i = voucher.intent.intent
    print("SAH / VALID")
    print(f"Rp {i.amount} {i.wallet} -> {i.merchant} program/programme {i.programme}")
    print(f"nomor/counter {i.counter} hash {voucher.intent.hash()}")
    return 0


def _seen_of(path: Path) -> list[SignedIntent]:
    """Return the intents of a file of vouchers or intents, one per line (blank lines skipped)."""
    seen: list[SignedIntent] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.strip()
        if text:
            seen.append(Voucher.parse(text).intent if "~" in text else SignedIntent.parse(text))
    return seen
