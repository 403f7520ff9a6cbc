"""Sign, format, parse and verify a wallet's payment intent (every debit is one).

An intent says: wallet W pays merchant M, from programme P, amount A Rupiah, as W's intent
number C, following the intent whose hash is H, valid until unix second E. Its signature
input is the RFC 8785 canonical JSON of these fields plus "type":

    {"amount":25000,"counter":1,"expires":1796518800,"merchant":"toko-ani",
     "prev":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","programme":"pip-2026",
     "type":"terbuka/payment-intent/1",
     "wallet":"did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"}

(one line, no spaces), signed with the wallet's Ed25519 key. "prev" is the intent hash of
the wallet's previous intent — base64url (unpadded) of SHA-256 of its signature input — or
43 "A" (32 zero bytes) for the first. The wire text (what the QR code carries) puts the same
values in a fixed order after the header "TPI1", separated by ".", the wallet as its did:key
without "did:key:", the 64-byte signature last in base64url:

    TPI1.z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp.toko-ani.pip-2026.25000.1.
    1796518800.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.<86 characters of signature>

(one line). An independent verifier rebuilds the JSON from the fields, canonicalises it and
checks the signature with the public key inside the did:key.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass

from terbuka.money.didkey import DID_KEY_PREFIX, did_key_parse
from terbuka.money.errors import SignatureRefused
from terbuka.money.keys import WalletKey, signature_valid
from terbuka.money.wire import (
    b64url_decode,
    b64url_encode,
    fields_split,
    identifier_check,
    integer_check,
    integer_parse,
)

INTENT_TYPE = "terbuka/payment-intent/1"
INTENT_HEADER = "TPI1"
GENESIS = "A" * 43  # base64url of 32 zero bytes: "prev" of a wallet's first intent
HASH_SIZE = 32
SIGNATURE_SIZE = 64
MAX_INTENT_TEXT = 400


@dataclass(frozen=True)
class Intent:
    """Hold the fields of a payment intent, before or without its signature."""

    wallet: str
    merchant: str
    programme: str
    amount: int
    counter: int
    expires: int
    prev: str = GENESIS

    def __post_init__(self) -> None:
        did_key_parse(self.wallet, "wallet")
        identifier_check(self.merchant, "merchant")
        identifier_check(self.programme, "programme")
        integer_check(self.amount, "amount", minimum=1)
        integer_check(self.counter, "counter", minimum=1)
        integer_check(self.expires, "expires")
        b64url_decode(self.prev, HASH_SIZE, "prev")

    def as_data(self) -> dict[str, str | int]:
        """Return the intent's JSON object (the signature input before canonicalisation)."""
        return {
            "amount": self.amount,
            "counter": self.counter,
            "expires": self.expires,
            "merchant": self.merchant,
            "prev": self.prev,
            "programme": self.programme,
            "type": INTENT_TYPE,
            "wallet": self.wallet,
        }

    def signing_bytes(self) -> bytes:
        """Return the RFC 8785 canonical JSON bytes that the wallet signs."""
        return self._signing_bytes

    def hash(self) -> str:
        """Return the intent hash: base64url of SHA-256 of signing_bytes (the next one's prev)."""
        return self._hash

    @functools.cached_property
    def _signing_bytes(self) -> bytes:  # computed once: a sync asks for it several times
        # canonical_json(self.as_data()) written out (a sync's hot path): the keys in RFC 8785
        # order, and no value needs escaping (__post_init__ allows none that would)
        return (
            f'{{"amount":{self.amount},"counter":{self.counter},"expires":{self.expires},'
            f'"merchant":"{self.merchant}","prev":"{self.prev}","programme":"{self.programme}",'
            f'"type":"{INTENT_TYPE}","wallet":"{self.wallet}"}}'
        ).encode("ascii")

    @functools.cached_property
    def _hash(self) -> str:
        return b64url_encode(hashlib.sha256(self._signing_bytes).digest())


@dataclass(frozen=True)
class SignedIntent:
    """Hold an intent and the wallet's 64-byte Ed25519 signature of its signing bytes."""

    intent: Intent
    signature: bytes

    def format(self) -> str:
        """Return the wire text "TPI1.<wallet>.<merchant>...<signature>" (see module doc)."""
        i = self.intent
        fields = [
            INTENT_HEADER,
            i.wallet[len(DID_KEY_PREFIX) :],
            i.merchant,
            i.programme,
            str(i.amount),
            str(i.counter),
            str(i.expires),
            i.prev,
            b64url_encode(self.signature),
        ]
        return ".".join(fields)

    @classmethod
    def parse(cls, text: str) -> SignedIntent:
        """Return the signed intent of wire text; raise WalletFormatError naming the bad field.

        Parsing checks the form only; intent_verify checks the signature.
        """
        wallet, merchant, programme, amount, counter, expires, prev, signature = fields_split(
            text, INTENT_HEADER, 8, limit=MAX_INTENT_TEXT, what="intent"
        )
        intent = Intent(
            wallet=DID_KEY_PREFIX + wallet,
            merchant=merchant,
            programme=programme,
            amount=integer_parse(amount, "amount", minimum=1),
            counter=integer_parse(counter, "counter", minimum=1),
            expires=integer_parse(expires, "expires"),
            prev=prev,
        )
        return cls(intent, b64url_decode(signature, SIGNATURE_SIZE, "signature"))

    def hash(self) -> str:
        """Return the intent hash of the signed intent (see Intent.hash)."""
        return self.intent.hash()


def intent_sign(key: WalletKey, intent: Intent) -> SignedIntent:
    """Return intent signed by key; raise SignatureRefused when key is not intent's wallet."""
    if key.did != intent.wallet:
        raise SignatureRefused(
            "kunci ini bukan kunci dompet dalam niat pembayaran",
            "this key is not the key of the intent's wallet",
            where="wallet",
        )
    return SignedIntent(intent, key.sign(intent.signing_bytes()))


def intent_verify(signed: SignedIntent) -> None:
    """Check the wallet's signature of the intent; raise SignatureRefused (reason forged)."""
    intent = signed.intent
    if not signature_valid(intent.wallet, signed.signature, intent.signing_bytes()):
        raise SignatureRefused(
            "tanda tangan niat pembayaran tidak sah (dipalsukan atau diubah)",
            "the payment intent's signature is invalid (forged or altered)",
            where="signature",
        )
