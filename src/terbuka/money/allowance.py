"""Sign, format, parse and verify an offline allowance: the server's promise for offline pay.

While online, the server gives a wallet an allowance: up to "amount" Rupiah in at most "count"
intents numbered start..start+count-1, from one programme, until unix second "expires", under
the programme's restrictions (per-payment cap, per-day cap — 0 means none —, merchant
categories and region code prefixes — empty means any). Region prefixes are Kemendagri codes
without dots ("3522" is Kab. Bojonegoro, 35.22). Its signature input is the RFC 8785 JSON

    {"amount":150000,"categories":["atk","warung"],"count":5,"day_cap":100000,
     "expires":1797120000,"payment_cap":50000,"programme":"pip-2026","regions":["3522"],
     "start":1,"type":"terbuka/offline-allowance/1",
     "wallet":"did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"}

signed by the issuer's Ed25519 key (its did:key is configured at the merchant). Wire text:

    TOA1.z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp.pip-2026.150000.5.1.1797120000.
    50000.100000.atk,warung.3522.<86 characters of signature>

(one line; lists joined by ",", sorted, possibly empty). Inside an offline voucher the
wallet and programme fields are left empty ("TOA1...150000.5.1...."): they are the intent's.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from terbuka.canonical import canonical_json
from terbuka.money.didkey import DID_KEY_PREFIX, did_key_parse
from terbuka.money.errors import SignatureRefused, WalletFormatError
from terbuka.money.keys import WalletKey, signature_valid
from terbuka.money.wire import (
    b64url_decode,
    b64url_encode,
    fields_split,
    identifier_check,
    integer_check,
    integer_parse,
)
from terbuka.regions.codes import UNDOTTED

ALLOWANCE_TYPE = "terbuka/offline-allowance/1"
ALLOWANCE_HEADER = "TOA1"
MAX_ALLOWANCE_TEXT = 600
MAX_LIST = 4


@dataclass(frozen=True)
class Allowance:
    """Hold the fields of an offline allowance (see the module doc for their meaning)."""

    wallet: str
    programme: str
    amount: int
    count: int
    start: int
    expires: int
    payment_cap: int = 0
    day_cap: int = 0
    categories: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        did_key_parse(self.wallet, "wallet")
        identifier_check(self.programme, "programme")
        integer_check(self.amount, "amount", minimum=1)
        integer_check(self.count, "count", minimum=1)
        integer_check(self.start, "start", minimum=1)
        integer_check(self.expires, "expires")
        integer_check(self.payment_cap, "payment_cap")
        integer_check(self.day_cap, "day_cap")
        _list_check(self.categories, "categories", identifier_check)
        _list_check(self.regions, "regions", _region_check)

    def as_data(self) -> dict[str, object]:
        """Return the allowance's JSON object (the signature input before canonicalisation)."""
        return {
            "amount": self.amount,
            "categories": list(self.categories),
            "count": self.count,
            "day_cap": self.day_cap,
            "expires": self.expires,
            "payment_cap": self.payment_cap,
            "programme": self.programme,
            "regions": list(self.regions),
            "start": self.start,
            "type": ALLOWANCE_TYPE,
            "wallet": self.wallet,
        }

    def signing_bytes(self) -> bytes:
        """Return the RFC 8785 canonical JSON bytes that the issuer signs."""
        return self._signing_bytes

    @functools.cached_property
    def _signing_bytes(self) -> bytes:  # computed once: a sync asks for it per voucher
        return canonical_json(self.as_data(), plain=True)

    def covers(self, counter: int) -> bool:
        """Report whether intent number counter is one this allowance may pay offline."""
        return self.start <= counter < self.start + self.count


@dataclass(frozen=True)
class SignedAllowance:
    """Hold an allowance and the issuer's 64-byte Ed25519 signature of its signing bytes."""

    allowance: Allowance
    signature: bytes

    def format(self) -> str:
        """Return the wire text "TOA1.<wallet>.<programme>...<signature>" (see module doc)."""
        a = self.allowance
        fields = [
            ALLOWANCE_HEADER,
            a.wallet[len(DID_KEY_PREFIX) :],
            a.programme,
            str(a.amount),
            str(a.count),
            str(a.start),
            str(a.expires),
            str(a.payment_cap),
            str(a.day_cap),
            ",".join(a.categories),
            ",".join(a.regions),
            b64url_encode(self.signature),
        ]
        return ".".join(fields)

    def format_short(self) -> str:
        """Return the wire text with empty wallet and programme fields (a voucher's second part)."""
        fields = self.format().split(".")
        fields[1] = fields[2] = ""
        return ".".join(fields)

    @classmethod
    def parse(cls, text: str, *, wallet: str = "", programme: str = "") -> SignedAllowance:
        """Return the signed allowance of wire text; raise WalletFormatError naming the field.

        wallet (a did:key) and programme fill the fields when text leaves them empty, as a
        voucher does (see terbuka.money.voucher).
        """
        parts = fields_split(text, ALLOWANCE_HEADER, 11, limit=MAX_ALLOWANCE_TEXT, what="allowance")
        owner, plan, amount, count, start, expires, p_cap, d_cap, cats, regions, sig = parts
        if (owner or plan) and (wallet or programme):
            raise WalletFormatError(
                "jatah dalam voucher harus mengosongkan kolom dompet dan program",
                "an allowance inside a voucher must leave the wallet and programme fields empty",
                where="allowance",
            )
        allowance = Allowance(
            wallet=DID_KEY_PREFIX + owner if owner or not wallet else wallet,
            programme=plan or programme,
            amount=integer_parse(amount, "amount", minimum=1),
            count=integer_parse(count, "count", minimum=1),
            start=integer_parse(start, "start", minimum=1),
            expires=integer_parse(expires, "expires"),
            payment_cap=integer_parse(p_cap, "payment_cap"),
            day_cap=integer_parse(d_cap, "day_cap"),
            categories=tuple(cats.split(",")) if cats else (),
            regions=tuple(regions.split(",")) if regions else (),
        )
        return cls(allowance, b64url_decode(sig, 64, "allowance_signature"))

    def hash(self) -> str:
        """Return base64url SHA-256 of the signing bytes: the allowance's id at sync."""
        return self._hash

    @functools.cached_property
    def _hash(self) -> str:
        return b64url_encode(hashlib.sha256(self.allowance.signing_bytes()).digest())


def allowance_sign(issuer: WalletKey, allowance: Allowance) -> SignedAllowance:
    """Return allowance signed by the issuer's key (the server's allowance signer)."""
    return SignedAllowance(allowance, issuer.sign(allowance.signing_bytes()))


def allowance_verify(signed: SignedAllowance, issuer: str) -> None:
    """Check the issuer's signature (issuer: its did:key); raise SignatureRefused otherwise."""
    if not signature_valid(issuer, signed.signature, signed.allowance.signing_bytes()):
        raise SignatureRefused(
            "tanda tangan jatah luring tidak sah (bukan dari penerbit atau diubah)",
            "the offline allowance's signature is invalid (not the issuer's, or altered)",
            where="allowance_signature",
        )


def _list_check(items: tuple[str, ...], where: str, check: Callable[[str, str], str]) -> None:
    """Check a category or region list: a tuple of ≤ 8 sorted, distinct, valid items."""
    if (
        not isinstance(items, tuple)
        or len(items) > MAX_LIST
        or list(items) != sorted(set(items))
        or not all(isinstance(item, str) for item in items)
    ):
        raise WalletFormatError(
            f"daftar harus urut, tanpa duplikat, paling banyak {MAX_LIST} butir",
            f"the list must be sorted, without duplicates, at most {MAX_LIST} items",
            where=where,
        )
    for item in items:
        check(item, where)


def _region_check(text: str, where: str) -> str:
    """Return text when it is a Kemendagri code without dots (2, 4, 6 or 10 digits)."""
    if not UNDOTTED.fullmatch(text):
        raise WalletFormatError(
            f"awalan kode wilayah {text!r} harus kode Kemendagri tanpa titik (mis. 3522)",
            f"region prefix {text!r} must be a Kemendagri code without dots (e.g. 3522)",
            where=where,
        )
    return text
