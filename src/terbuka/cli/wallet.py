"""Run a citizen wallet from a terminal and verify offline payments: `terbuka wallet ...`.

keygen, allowance-add and offline-pay are the citizen's side (a wallet file, 0600, see
terbuka.money.walletfile), allow the issuer's (signs an offline allowance), sign makes an
intent from explicit fields. Needs no database and no network. `verify` is what a
merchant's laptop runs on a QR payload (a voucher "TPI1...~TOA1...", or a bare intent with
--allowance): it checks the wallet's and the issuer's signatures, the allowance and the
programme's restrictions, prints the result in Bahasa Indonesia and English, and exits 0
(valid), 1 (refused, with the reason) or 2 (an input other than the payload cannot be used).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from terbuka.cli import wallet_server
from terbuka.errors import TerbukaError
from terbuka.money.allowance import Allowance, SignedAllowance, allowance_sign
from terbuka.money.didkey import did_key_parse
from terbuka.money.intent import GENESIS, Intent, SignedIntent, intent_sign
from terbuka.money.keys import wallet_key_generate
from terbuka.money.purpose import Merchant, refusal_reason
from terbuka.money.qr import qr_write
from terbuka.money.voucher import (
    Voucher,
    chain_accept,
    conflicts_find,
    offline_check,
    voucher_verify,
)
from terbuka.money.walletfile import (
    WalletFile,
    wallet_allowance_add,
    wallet_file_read,
    wallet_file_write,
    wallet_pay_offline,
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `wallet` command: keygen, allow, allowance-add, offline-pay, sign, verify,
    conflicts, and the server subcommands merchants, enrol, balance, pay (wallet_server)."""
    wallet = subparsers.add_parser(
        "wallet", help="dompet warga: kunci, niat bayar, verifikasi luring / citizen wallets"
    )
    sub = wallet.add_subparsers(dest="wallet_command", metavar="SUBCOMMAND", required=True)
    gen = sub.add_parser("keygen", help="buat berkas dompet baru / make a new wallet file")
    gen.add_argument("--out", required=True, type=Path, help="berkas dompet (0600) / wallet file")
    gen.set_defaults(handler=keygen_command)
    _add_allow(sub)
    add = sub.add_parser("allowance-add", help="simpan jatah luring / store an offline allowance")
    add.add_argument("--wallet", required=True, type=Path, help="berkas dompet / wallet file")
    add.add_argument("allowance", help="jatah TOA1, atau @BERKAS / the allowance, or @FILE")
    add.set_defaults(handler=allowance_add_command)
    pay = sub.add_parser("offline-pay", help="bayar luring dengan QR / pay offline by QR")
    pay.add_argument("--wallet", required=True, type=Path, help="berkas dompet / wallet file")
    pay.add_argument("--merchant", required=True, help="id pedagang / merchant id")
    pay.add_argument("--amount", required=True, type=int, help="jumlah Rupiah / amount (Rp)")
    pay.add_argument("--programme", help="id program (bawaan: satu-satunya) / programme id")
    pay.add_argument("--qr", type=Path, help="tulis kode QR (PNG/SVG) / write the QR code")
    pay.add_argument("--expires-in", type=int, default=3600, help="detik berlaku / valid for (s)")
    pay.set_defaults(handler=offline_pay_command)
    _add_sign(sub)
    _add_verify(sub)
    conflicts = sub.add_parser(
        "conflicts", help="cari belanja ganda dalam voucher / find double spends in vouchers"
    )
    conflicts.add_argument("file", type=Path, help="voucher, satu per baris / one per line")
    conflicts.add_argument("--issuer", help="did:key penerbit (bawaan: TERBUKA_WALLET_ISSUER)")
    conflicts.set_defaults(handler=conflicts_command)
    wallet_server.register(sub)


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


def _add_allow(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `wallet allow`: the issuer signs an offline allowance and prints it."""
    allow = sub.add_parser("allow", help="tandatangani jatah luring / sign an offline allowance")
    allow.add_argument("--issuer-key", required=True, type=Path, help="berkas kunci penerbit")
    allow.add_argument("--wallet", required=True, help="did:key dompet / the wallet's did:key")
    allow.add_argument("--programme", required=True, help="id program / programme id")
    allow.add_argument("--amount", required=True, type=int, help="jumlah Rupiah / amount (Rp)")
    allow.add_argument("--count", required=True, type=int, help="jumlah niat / number of intents")
    allow.add_argument("--start", required=True, type=int, help="nomor urut awal / first counter")
    allow.add_argument("--expires", required=True, type=int, help="detik unix / unix seconds")
    allow.add_argument("--payment-cap", type=int, default=0, help="batas per bayar / cap (Rp)")
    allow.add_argument("--day-cap", type=int, default=0, help="batas harian / per-day cap (Rp)")
    allow.add_argument("--category", action="append", default=[], help="kategori / category")
    allow.add_argument("--region", action="append", default=[], help="kode wilayah / region")
    allow.set_defaults(handler=allow_command)


def _add_verify(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `wallet verify`: check a QR payload offline."""
    check = sub.add_parser("verify", help="periksa muatan QR luring / verify a QR payload offline")
    check.add_argument("payload", help="muatan QR, atau @BERKAS / the QR payload, or @FILE")
    check.add_argument(
        "--issuer",
        help="did:key penerbit jatah, atau @BERKAS (bawaan: TERBUKA_WALLET_ISSUER) / "
        "the allowance signer's did:key",
    )
    check.add_argument("--merchant", help="id pedagang ini / this merchant's id")
    check.add_argument("--category", help="kategori pedagang / merchant category")
    check.add_argument("--region", help="kode desa / village code")
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
    """Write a new wallet file to --out (0600, never overwriting); print its did:key."""
    wallet = WalletFile(wallet_key_generate())
    try:
        wallet_file_write(wallet, args.out, new=True)
    except OSError as exc:
        return _fail(exc)
    print(wallet.key.did)
    return 0


def allow_command(args: argparse.Namespace) -> int:
    """Print the offline allowance signed by --issuer-key (a wallet file or PEM key)."""
    try:
        issuer = wallet_file_read(args.issuer_key).key
        allowance = Allowance(
            wallet=args.wallet,
            programme=args.programme,
            amount=args.amount,
            count=args.count,
            start=args.start,
            expires=args.expires,
            payment_cap=args.payment_cap,
            day_cap=args.day_cap,
            categories=tuple(sorted(set(args.category))),
            regions=tuple(sorted({region.replace(".", "") for region in args.region})),
        )
    except (TerbukaError, OSError, ValueError) as exc:
        return _fail(exc)
    print(allowance_sign(issuer, allowance).format())
    return 0


def allowance_add_command(args: argparse.Namespace) -> int:
    """Store the allowance in the wallet file (replacing the programme's previous one)."""
    try:
        wallet = wallet_file_read(args.wallet)
        signed = SignedAllowance.parse(_text_of(args.allowance))
        wallet_file_write(wallet_allowance_add(wallet, signed), args.wallet)
    except (TerbukaError, OSError, ValueError) as exc:
        return _fail(exc)
    a = signed.allowance
    print(f"{a.programme}: Rp {a.amount}, {a.count} niat/intents, {a.start}..")
    return 0


def offline_pay_command(args: argparse.Namespace) -> int:
    """Sign the next intent under the allowance, save the wallet, print (and draw) the voucher."""
    try:
        wallet = wallet_file_read(args.wallet)
        programme = args.programme or _only_programme(wallet)
        now = int(time.time())
        advanced, voucher = wallet_pay_offline(
            wallet,
            merchant=args.merchant,
            amount=args.amount,
            programme=programme,
            expires=now + args.expires_in,
            now=now,
        )
        payload = voucher.format()
        size = qr_write(payload, args.qr) if args.qr else None  # refuses a too-long payload
        wallet_file_write(advanced, args.wallet)  # saved before the payload is shown
    except (TerbukaError, OSError, ValueError) as exc:
        return _fail(exc)
    print(payload)
    if size:
        print(f"qr versi/version {size.version}, {size.modules}x{size.modules} modul/modules")
    return 0


def _only_programme(wallet: WalletFile) -> str:
    """Return the programme of the wallet's only allowance; ValueError when not exactly one."""
    if len(wallet.allowances) != 1:
        raise ValueError(
            "pilih --programme: dompet memegang jatah untuk "
            f"{', '.join(sorted(wallet.allowances)) or '-'} / choose --programme"
        )
    return next(iter(wallet.allowances))


def sign_command(args: argparse.Namespace) -> int:
    """Print the signed intent (a voucher with --allowance) and its hash; draw it with --qr."""
    try:
        key = wallet_file_read(args.wallet).key
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
    """Check the payload offline; print SAH/VALID (exit 0) or DITOLAK/REFUSED (exit 1).

    --merchant, --category and --region go together; without them those rules are skipped
    and the output says so.
    """
    try:
        issuer = _issuer_of(args.issuer)
        merchant = _merchant_of(args)
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
            issuer=issuer,
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
    if merchant is None:
        print(
            "tidak diperiksa / not checked: "
            "pedagang, kategori, wilayah / merchant, category, region"
        )
    return 0


def conflicts_command(args: argparse.Namespace) -> int:
    """Print one JSON line per refused voucher, conflict and branch decision; exit 1 on any.

    Each line of FILE is a voucher in arrival order. A voucher whose signatures or allowance
    do not hold is refused; among the others every double spend is printed with its signed
    evidence, and the branch rule (terbuka.money.voucher.chain_accept) names the accepted,
    rejected and waiting intents by hash.
    """
    try:
        issuer = _issuer_of(args.issuer)
        lines = args.file.read_text(encoding="utf-8").splitlines()
    except (TerbukaError, OSError, ValueError) as exc:
        return _fail(exc)
    vouchers: list[Voucher] = []
    problems = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            voucher = Voucher.parse(line.strip())
            voucher_verify(voucher, issuer)
        except TerbukaError as exc:
            problems += 1
            refusal = {"line": number, "reason": refusal_reason(exc), "message": exc.message_id}
            print(json.dumps({"refused": {**refusal, "message_en": exc.message_en}}))
            continue
        vouchers.append(voucher)
    for conflict in conflicts_find(vouchers):
        problems += 1
        print(json.dumps({"conflict": conflict.as_data()}))
    outcome = chain_accept(vouchers, {})
    print(
        json.dumps(
            {
                "accepted": [v.intent.hash() for v in outcome.accepted],
                "rejected": [v.intent.hash() for v in outcome.rejected],
                "waiting": [v.intent.hash() for v in outcome.waiting],
            }
        )
    )
    return 1 if problems else 0


def _issuer_of(value: str | None) -> str:
    """Return the issuer's did:key from --issuer (text or @FILE) or TERBUKA_WALLET_ISSUER."""
    text = _text_of(value) if value else os.environ.get("TERBUKA_WALLET_ISSUER", "").strip()
    if not text:
        raise ValueError(
            "berikan --issuer atau TERBUKA_WALLET_ISSUER / give --issuer or set "
            "TERBUKA_WALLET_ISSUER (the allowance signer's did:key)"
        )
    did_key_parse(text, "--issuer")
    return text


def _merchant_of(args: argparse.Namespace) -> Merchant | None:
    """Return the merchant of --merchant, --category, --region (all or none), or None."""
    given = [args.merchant, args.category, args.region]
    if not any(given):
        return None
    if not all(given):
        raise ValueError(
            "--merchant, --category dan --region diberikan bersama / "
            "--merchant, --category and --region go together"
        )
    return Merchant(args.merchant, args.category, args.region)


def _seen_of(path: Path) -> list[SignedIntent]:
    """Return the intents of a file of vouchers or intents, one per line (blank lines skipped)."""
    seen: list[SignedIntent] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.strip()
        if text:
            seen.append(Voucher.parse(text).intent if "~" in text else SignedIntent.parse(text))
    return seen
