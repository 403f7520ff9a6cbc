"""Prove that a wallet's own key asks to read its balances and history (signed reads).

A did:key travels in every payment QR, so whoever saw one could otherwise follow the
wallet's balances and payments. Reads of a wallet therefore carry, in the header

    Authorization: Wallet 1796515500.<base64url Ed25519 signature, 86 characters>

the wallet's signature, at that Unix time, of the RFC 8785 bytes

    {"at":1796515500,"type":"terbuka/wallet-read/1",
     "wallet":"did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"}

(one line). The server accepts it within READ_WINDOW seconds either side of its clock, for
that wallet only. A read proof moves no money: replayed within the window it shows the same
wallet's figures to whoever already holds the proof, nothing else.
"""

from __future__ import annotations

from terbuka.canonical import canonical_json
from terbuka.money.didkey import did_key_parse
from terbuka.money.errors import PaymentRefused, SignatureRefused, WalletFormatError
from terbuka.money.keys import WalletKey, signature_valid
from terbuka.money.wire import b64url_decode, b64url_encode, integer_check

READ_TYPE = "terbuka/wallet-read/1"
READ_SCHEME = "Wallet"
READ_WINDOW = 300


def read_bytes(wallet: str, at: int) -> bytes:
    """Return the RFC 8785 bytes a wallet signs to read; WalletFormatError on a bad field."""
    did_key_parse(wallet, "wallet")
    integer_check(at, "at")
    return canonical_json({"at": at, "type": READ_TYPE, "wallet": wallet}, plain=True)


def read_authorization(key: WalletKey, at: int) -> str:
    """Return the Authorization header value of a read by key's wallet at Unix time at.

    Example: "Wallet 1796515500.<86 base64url characters>".
    """
    return f"{READ_SCHEME} {at}.{b64url_encode(key.sign(read_bytes(key.did, at)))}"


def read_authorization_check(wallet: str, header: str, now: int) -> None:
    """Check that header is wallet's own read proof, made within READ_WINDOW of now.

    Raises WalletFormatError (no "Wallet <at>.<signature>" value), PaymentRefused (reason
    expired: too far from now) or SignatureRefused (not wallet's signature of read_bytes).
    """
    scheme, _, value = header.strip().partition(" ")
    at_text, _, proof = value.strip().partition(".")
    if scheme != READ_SCHEME or not at_text.isdigit() or len(at_text) > 12:
        raise WalletFormatError(
            'bukti baca dompet harus "Wallet <waktu>.<tanda tangan>"',
            'a wallet read proof must be "Wallet <time>.<signature>"',
            where="Authorization",
        )
    at = int(at_text)
    signature = b64url_decode(proof, 64, "Authorization")
    if abs(now - at) > READ_WINDOW:
        raise PaymentRefused(
            "expired",
            "bukti baca dompet kedaluwarsa: periksa jam ponsel",
            "the wallet read proof has expired: check the phone's clock",
            where="Authorization",
        )
    if not signature_valid(wallet, signature, read_bytes(wallet, at)):
        raise SignatureRefused(
            "bukti baca bukan tanda tangan dompet ini",
            "the read proof is not this wallet's signature",
            where="Authorization",
        )
