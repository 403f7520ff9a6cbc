"""Make and read members' decision-signing keys (Ed25519, RFC 8032).

A public key travels as base64 of its 32 raw bytes (what WebCrypto's exportKey("raw") gives);
its key id is the first 16 hex digits of SHA-256 of those bytes. The private key stays with
the member: a PKCS#8 PEM file (mode 0600) for `terbuka governance sign`, or a non-extractable
WebCrypto key in the browser. Example (RFC 8032 §7.1 test 1): public
"11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", key id "21fe31dfa154a261".
"""

from __future__ import annotations

import base64
import binascii
import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from terbuka.governance.errors import GovernanceError

PUBLIC_KEY_SIZE = 32


def base64_strict(data: str | bytes) -> bytes:
    """Return the bytes of strict (RFC 4648) base64 data, or b"" when it is not base64."""
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        return b""


def public_key_parse(text: str, where: str = "public_key") -> bytes:
    """Return the 32 raw bytes of a base64 Ed25519 public key.

    Raises GovernanceError when text is not base64 of exactly 32 bytes.
    """
    raw = base64_strict(text.strip())
    if len(raw) != PUBLIC_KEY_SIZE:
        raise GovernanceError(
            "kunci publik harus base64 dari 32 bita Ed25519",
            "a public key must be base64 of 32 Ed25519 bytes",
            where=where,
        )
    return raw


def public_key_format(raw: bytes) -> str:
    """Return the base64 text of a raw 32-byte public key."""
    return base64.b64encode(raw).decode("ascii")


def key_id_of(raw: bytes) -> str:
    """Return the key id of a raw public key: SHA-256 of it, first 16 hex digits."""
    return hashlib.sha256(raw).hexdigest()[:16]


def signature_valid(raw_public: bytes, signature: bytes, message: bytes) -> bool:
    """Report whether signature is raw_public's Ed25519 signature of message."""
    try:
        Ed25519PublicKey.from_public_bytes(raw_public).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def private_key_generate() -> tuple[bytes, str]:
    """Return a fresh private key as PKCS#8 PEM bytes and its public key as base64."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return pem, public_key_format(key.public_key().public_bytes_raw())


def private_key_load(pem: bytes, where: str = "key") -> Ed25519PrivateKey:
    """Return the Ed25519 private key of PKCS#8 PEM bytes; raise GovernanceError otherwise."""
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise GovernanceError(
            f"berkas kunci privat tidak terbaca: {exc}",
            f"the private key file cannot be read: {exc}",
            where=where,
        ) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise GovernanceError(
            "kunci privat bukan Ed25519", "the private key is not Ed25519", where=where
        )
    return key
