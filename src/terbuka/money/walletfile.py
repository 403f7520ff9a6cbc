"""Keep a terminal wallet in one file: its key, its chain head and its offline allowances.

What the phone keeps in the browser, `terbuka wallet` keeps in a JSON file of mode 0600:

    {"type":"terbuka/wallet-file/1",
     "did":"did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
     "key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
     "counter":0,"prev":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
     "allowances":{"pip-2026":{"allowance":"TOA1...","spent":0}},
     "days":{"pip-2026":[20793,25000]}}

"key" is the 32-byte Ed25519 seed in base64url; "counter" and "prev" are the last intent's
number and hash (0 and 43 "A" before the first); "days" holds per programme the day number
(terbuka.money.purpose.day_of) of the last offline payment and what was paid offline that
day, for the allowance's per-day cap (absent in a file written before any such payment).
A payment advances them and the file is replaced atomically before the payload is shown,
so a crash never reuses a counter.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from terbuka.money.allowance import SignedAllowance
from terbuka.money.errors import PaymentRefused, WalletFormatError
from terbuka.money.intent import GENESIS, HASH_SIZE, Intent, SignedIntent, intent_sign
from terbuka.money.keys import SEED_SIZE, WalletKey, wallet_key_from_seed, wallet_key_load
from terbuka.money.purpose import cap_check, day_of
from terbuka.money.voucher import Voucher
from terbuka.money.wire import b64url_decode, b64url_encode, integer_check
from terbuka.secrets import read_secret_file
from terbuka.tlog.origin_state import write_atomically

WALLET_FILE_TYPE = "terbuka/wallet-file/1"


@dataclass(frozen=True)
class WalletFile:
    """Hold a terminal wallet: key, last counter and hash, allowances (with spent) by programme."""

    key: WalletKey
    counter: int = 0
    prev: str = GENESIS
    allowances: dict[str, tuple[SignedAllowance, int]] = field(default_factory=dict)
    days: dict[str, tuple[int, int]] = field(default_factory=dict)

    def as_data(self) -> dict[str, object]:
        """Return the file's JSON object (see the module doc)."""
        return {
            "type": WALLET_FILE_TYPE,
            "did": self.key.did,
            "key": b64url_encode(self.key.private.private_bytes_raw()),
            "counter": self.counter,
            "prev": self.prev,
            "allowances": {
                programme: {"allowance": signed.format(), "spent": spent}
                for programme, (signed, spent) in sorted(self.allowances.items())
            },
            "days": {programme: list(day) for programme, day in sorted(self.days.items())},
        }

    @classmethod
    def parse(cls, text: str, where: str = "wallet") -> WalletFile:
        """Return the wallet of the file's text; raise WalletFormatError when it is not one."""
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or data.get("type") != WALLET_FILE_TYPE:
                raise ValueError("type")
            key = wallet_key_from_seed(b64url_decode(data["key"], SEED_SIZE, "key"))
            if key.did != data["did"]:
                raise ValueError("did")
            allowances = {
                str(programme): (
                    SignedAllowance.parse(entry["allowance"]),
                    integer_check(entry["spent"], "spent"),
                )
                for programme, entry in data["allowances"].items()
            }
            days = {
                str(programme): (integer_check(day, "day"), integer_check(paid, "day"))
                for programme, (day, paid) in data.get("days", {}).items()
            }
            counter = integer_check(data["counter"], "counter")
            prev = data["prev"]
            b64url_decode(prev, HASH_SIZE, "prev")
        except (ValueError, KeyError, TypeError, AttributeError, WalletFormatError) as exc:
            raise WalletFormatError(
                f"berkas dompet tidak sah ({exc})",
                f"the wallet file is not valid ({exc})",
                where=where,
            ) from exc
        return cls(key, counter, prev, allowances, days)


def wallet_file_read(path: Path) -> WalletFile:
    """Return the wallet in path (a wallet file, or a PEM key with a fresh chain)."""
    raw = path.read_bytes()
    if raw.lstrip().startswith(b"-----BEGIN"):
        return WalletFile(wallet_key_load(raw, str(path)))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise WalletFormatError(
            "berkas dompet bukan UTF-8", "the wallet file is not UTF-8", where=str(path)
        ) from exc
    return WalletFile.parse(text, str(path))


def wallet_file_write(wallet: WalletFile, path: Path, *, new: bool = False) -> None:
    """Write wallet to path with mode 0600: new=True never overwrites; else replace atomically."""
    data = (json.dumps(wallet.as_data(), indent=1) + "\n").encode("utf-8")
    if new:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        return
    write_atomically(path, data)


def wallet_allowance_add(wallet: WalletFile, signed: SignedAllowance) -> WalletFile:
    """Return wallet holding signed as its allowance for its programme (spent 0).

    Raises PaymentRefused (wrong_wallet) when the allowance is another wallet's.
    """
    if signed.allowance.wallet != wallet.key.did:
        raise PaymentRefused(
            "wrong_wallet",
            "jatah luring ini milik dompet lain",
            "this offline allowance belongs to another wallet",
            where="allowance",
        )
    allowances = {**wallet.allowances, signed.allowance.programme: (signed, 0)}
    return replace(wallet, allowances=allowances)


def wallet_pay(
    wallet: WalletFile, *, merchant: str, amount: int, programme: str, expires: int
) -> tuple[WalletFile, SignedIntent]:
    """Return the wallet advanced by one online intent and that intent.

    Online intents skip the counters an allowance reserves: when a held allowance covers the
    next counter, the intent is number start+count, prev the allowance's hash (docs/wallet.md).
    """
    for signed, _spent in wallet.allowances.values():
        a = signed.allowance
        if a.covers(wallet.counter + 1):
            wallet = replace(wallet, counter=a.start + a.count - 1, prev=signed.hash())
    return _wallet_sign(
        wallet, merchant=merchant, amount=amount, programme=programme, expires=expires
    )


def _wallet_sign(
    wallet: WalletFile, *, merchant: str, amount: int, programme: str, expires: int
) -> tuple[WalletFile, SignedIntent]:
    """Return the wallet advanced by its next intent (counter + 1 after prev) and that intent."""
    intent = Intent(
        wallet=wallet.key.did,
        merchant=merchant,
        programme=programme,
        amount=amount,
        counter=wallet.counter + 1,
        expires=expires,
        prev=wallet.prev,
    )
    signed = intent_sign(wallet.key, intent)
    return replace(wallet, counter=intent.counter, prev=signed.hash()), signed


def wallet_pay_offline(
    wallet: WalletFile, *, merchant: str, amount: int, programme: str, expires: int, now: int
) -> tuple[WalletFile, Voucher]:
    """Return the wallet advanced by one offline payment and its voucher.

    Raises PaymentRefused when the wallet holds no allowance for programme
    (outside_allowance), when it has expired (expired), when the next counter is outside it
    (outside_allowance) or when the amount passes its per-payment cap, what the wallet may
    still pay offline today under its per-day cap, or what is left of it (over_payment_cap,
    over_day_cap, allowance_overdrawn): an honest wallet never makes a voucher a merchant
    would refuse.
    """
    held = wallet.allowances.get(programme)
    if held is None:
        raise PaymentRefused(
            "outside_allowance",
            f"dompet tidak punya jatah luring untuk program {programme}",
            f"the wallet holds no offline allowance for programme {programme}",
            where="programme",
        )
    signed, spent = held
    allowance = signed.allowance
    _offline_limits(allowance.expires, allowance.covers(wallet.counter + 1), now)
    advanced, intent = _wallet_sign(
        wallet, merchant=merchant, amount=amount, programme=programme, expires=expires
    )
    voucher = Voucher(intent, signed)
    restrictions = voucher.restrictions()
    day = day_of(now, restrictions)
    last_day, paid_that_day = wallet.days.get(programme, (day, 0))
    paid_today = paid_that_day if last_day == day else 0
    cap_check(intent, restrictions, paid_today)
    if spent + amount > allowance.amount:
        raise PaymentRefused(
            "allowance_overdrawn",
            f"sisa jatah luring Rp {allowance.amount - spent}, kurang dari Rp {amount}",
            f"Rp {allowance.amount - spent} is left of the offline allowance, less than Rp "
            f"{amount}",
            where="amount",
        )
    allowances = {**advanced.allowances, programme: (signed, spent + amount)}
    days = {**advanced.days, programme: (day, paid_today + amount)}
    return replace(advanced, allowances=allowances, days=days), voucher


def _offline_limits(expires: int, covered: bool, now: int) -> None:
    """Refuse an offline payment past the allowance's expiry or beyond its counters."""
    if now > expires:
        raise PaymentRefused(
            "expired",
            "jatah luring sudah kedaluwarsa: sambungkan ke internet untuk yang baru",
            "the offline allowance has expired: go online for a new one",
            where="allowance",
        )
    if not covered:
        raise PaymentRefused(
            "outside_allowance",
            "jatah luring sudah terpakai semua: sambungkan ke internet untuk yang baru",
            "the offline allowance is used up: go online for a new one",
            where="allowance",
        )


def issuer_key_read(path: Path, did: str) -> WalletKey:
    """Return the allowance issuer's key from path (0600: a PEM key or a wallet file).

    Raises SecretFileError for a missing, unreadable or too open file, WalletFormatError
    when it holds no key or a key whose did:key is not did (TERBUKA_WALLET_ISSUER).
    """
    where = "TERBUKA_WALLET_ISSUER_KEY_FILE"
    text = read_secret_file(path, where=where)
    if text.startswith("-----BEGIN"):
        key = wallet_key_load(text.encode("utf-8"), where)
    else:
        key = WalletFile.parse(text, where).key
    if key.did != did:
        raise WalletFormatError(
            f"kunci di {path} bukan kunci penerbit TERBUKA_WALLET_ISSUER ({did or '-'})",
            f"the key in {path} is not the key of TERBUKA_WALLET_ISSUER ({did or '-'})",
            where=where,
        )
    return key
