"""Prove that a phone holds a wallet key at enrolment: the device signs the server's challenge.

At the officer's desk the server makes a fresh random challenge; the citizen's phone signs

    {"challenge":"<43 base64url characters: 32 random bytes>","expires":1796515500,
     "type":"terbuka/wallet-enrol/1",
     "wallet":"did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"}

(RFC 8785, one line) with the wallet key and returns the did:key and the signature in
base64url. The server keeps only the public key (the did:key). A challenge is used once:
the caller deletes it when enrol_proof_verify has passed.

The desk shows the challenge to the phone as one line, the enrolment code (text and QR):
"TEN1.<challenge>.<expires>" (enrol_code).
"""

from __future__ import annotations

import secrets

from terbuka.canonical import canonical_json
from terbuka.money.didkey import did_key_parse
from terbuka.money.errors import PaymentRefused, SignatureRefused
from terbuka.money.keys import WalletKey, signature_valid
from terbuka.money.wire import b64url_decode, b64url_encode, integer_check

ENROL_TYPE = "terbuka/wallet-enrol/1"
ENROL_CODE = "TEN1"
CHALLENGE_SIZE = 32


def enrol_challenge_new() -> str:
    """Return a fresh challenge: base64url of 32 random bytes."""
    return b64url_encode(secrets.token_bytes(CHALLENGE_SIZE))


def enrol_code(challenge: str, expires: int) -> str:
    """Return the desk's enrolment code for the phone: "TEN1.<challenge>.<expires>"."""
    b64url_decode(challenge, CHALLENGE_SIZE, "challenge")
    integer_check(expires, "expires")
    return f"{ENROL_CODE}.{challenge}.{expires}"


def enrol_proof_bytes(wallet: str, challenge: str, expires: int) -> bytes:
    """Return the RFC 8785 bytes the device signs; raise WalletFormatError on a bad field."""
    did_key_parse(wallet, "wallet")
    b64url_decode(challenge, CHALLENGE_SIZE, "challenge")
    integer_check(expires, "expires")
    data = {"challenge": challenge, "expires": expires, "type": ENROL_TYPE, "wallet": wallet}
    return canonical_json(data, plain=True)


def enrol_proof_sign(key: WalletKey, challenge: str, expires: int) -> str:
    """Return the device's proof: base64url of its signature of enrol_proof_bytes."""
    return b64url_encode(key.sign(enrol_proof_bytes(key.did, challenge, expires)))


def enrol_proof_verify(wallet: str, challenge: str, expires: int, proof: str, now: int) -> None:
    """Check the proof of possession of wallet's key for challenge.

    Raises WalletFormatError (a malformed field), PaymentRefused (reason expired) when now is
    past expires, or SignatureRefused when the proof is not wallet's signature.
    """
    message = enrol_proof_bytes(wallet, challenge, expires)
    signature = b64url_decode(proof, 64, "proof")
    if now > expires:
        raise PaymentRefused(
            "expired",
            "tantangan pendaftaran sudah kedaluwarsa: minta yang baru",
            "the enrolment challenge has expired: ask for a new one",
            where="challenge",
        )
    if not signature_valid(wallet, signature, message):
        raise SignatureRefused(
            "bukti kepemilikan kunci tidak sah",
            "the proof of key possession is invalid",
            where="proof",
        )
