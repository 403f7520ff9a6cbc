"""Hash identity numbers with a key and seal names and addresses, so none is stored in clear.

- nik_hash / kk_hash: HMAC-SHA-256 (RFC 2104) keyed by the registry HMAC key, over a domain
  label and the 16 digits; lowercase hex. Without the key, nobody can test a guessed NIK.
  Example: kk_hash(b"k", "3522010101010001") is 64 hex digits, never the number itself.
- seal / unseal: AES-256-GCM (NIST SP 800-38D), a random 96-bit nonce before the ciphertext,
  the field name as associated data (a sealed name cannot pass as an address).
Both keys come from secret text (a 0600 file or the environment) through HKDF-SHA-256
(RFC 5869), so a secret of any length gives a 32-byte key.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from terbuka.registry.errors import SealError

NONCE_SIZE = 12


def key_derive(secret: str, *, purpose: str) -> bytes:
    """Return a 32-byte key for purpose ("registry-hmac", "registry-seal") from secret text."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=f"terbuka/{purpose}".encode())
    return hkdf.derive(secret.encode("utf-8"))


def keyed_hash(key: bytes, label: str, text: str) -> str:
    """Return HMAC-SHA-256 (64 hex) under key of "terbuka/<label>/v1:<text>" (label: the
    domain, e.g. "nik"), the one keyed hash of the registry: NIK, KK, pseudonyms."""
    return hmac.new(key, f"terbuka/{label}/v1:{text}".encode(), hashlib.sha256).hexdigest()


def nik_hash(key: bytes, nik: str) -> str:
    """Return the keyed hash (64 hex) of a 16-digit NIK."""
    return keyed_hash(key, "nik", nik)


def kk_hash(key: bytes, number: str) -> str:
    """Return the keyed hash (64 hex) of a 16-digit KK (family card) number."""
    return keyed_hash(key, "kk", number)


def seal(key: bytes, text: str, *, field: str) -> bytes:
    """Return nonce ‖ AES-GCM ciphertext of text, bound to field (e.g. "nama")."""
    nonce = os.urandom(NONCE_SIZE)
    return nonce + AESGCM(key).encrypt(nonce, text.encode("utf-8"), field.encode())


def unseal(key: bytes, sealed: bytes, *, field: str) -> str:
    """Return the text seal produced; raise SealError for a wrong key, field or altered data."""
    try:
        plain = AESGCM(key).decrypt(sealed[:NONCE_SIZE], sealed[NONCE_SIZE:], field.encode())
    except (InvalidTag, ValueError) as exc:
        raise SealError(
            f"data {field} tidak dapat dibuka dengan kunci registri (kunci salah atau data diubah)",
            f"the {field} data does not open with the registry key (wrong key or altered data)",
            where=field,
        ) from exc
    return plain.decode("utf-8")
