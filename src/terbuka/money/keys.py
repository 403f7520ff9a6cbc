"""Make, store and use a wallet's Ed25519 key (RFC 8032), held by the citizen alone.

On the phone the key is a non-extractable WebCrypto key; from a terminal (`terbuka wallet
keygen`) it is a PKCS#8 PEM file of mode 0600. The server only ever sees the public key, as
a did:key (terbuka.money.didkey). The allowance issuer (the server) uses the same kind of key.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from terbuka.money.didkey import did_key_format, did_key_parse
from terbuka.money.errors import WalletFormatError

SEED_SIZE = 32


@dataclass(frozen=True)
class WalletKey:
    """Hold a wallet's (or the allowance issuer's) Ed25519 private key and its did:key."""

    private: Ed25519PrivateKey

    def __eq__(self, other: object) -> bool:
        """Report whether other is a WalletKey of the same public key (its repr hides it)."""
        return isinstance(other, WalletKey) and other.did == self.did

    def __hash__(self) -> int:
        return hash(self.did)

    @property
    def did(self) -> str:
        """Return the did:key of the public key."""
        return did_key_format(self.private.public_key().public_bytes_raw())

    def sign(self, message: bytes) -> bytes:
        """Return the 64-byte Ed25519 signature of message."""
        return self.private.sign(message)

    def pem(self) -> bytes:
        """Return the private key as unencrypted PKCS#8 PEM bytes (store them with mode 0600)."""
        return self.private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


def wallet_key_generate() -> WalletKey:
    """Return a fresh random wallet key."""
    return WalletKey(Ed25519PrivateKey.generate())


def wallet_key_from_seed(seed: bytes) -> WalletKey:
    """Return the key of a 32-byte RFC 8032 seed (tests, W3C vectors); WalletFormatError else."""
    if len(seed) != SEED_SIZE:
        raise WalletFormatError(
            f"benih kunci harus 32 bita, bukan {len(seed)}",
            f"a key seed must be 32 bytes, not {len(seed)}",
            where="seed",
        )
    return WalletKey(Ed25519PrivateKey.from_private_bytes(seed))


def wallet_key_load(pem: bytes, where: str = "key") -> WalletKey:
    """Return the wallet key of PKCS#8 PEM bytes; raise WalletFormatError when not Ed25519."""
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise WalletFormatError(
            "berkas kunci dompet bukan PEM PKCS#8 tanpa sandi",
            "the wallet key file is not an unencrypted PKCS#8 PEM",
            where=where,
        ) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise WalletFormatError(
            "kunci dompet harus Ed25519",
            "a wallet key must be Ed25519",
            where=where,
        )
    return WalletKey(key)


VERIFIED_MAX = 8192
_verified: dict[tuple[str, bytes, bytes], None] = {}  # oldest first


def signatures_verified(triples: Iterable[tuple[str, bytes, bytes]]) -> None:
    """Record (did, signature, message) triples this program verified in another process
    (verifypool's workers), so signature_valid answers them without verifying again; the
    VERIFIED_MAX latest are kept."""
    for triple in triples:
        _verified[triple] = None
    for oldest in list(itertools.islice(_verified, max(0, len(_verified) - VERIFIED_MAX))):
        del _verified[oldest]


def signatures_forget() -> None:
    """Forget every memoised and recorded answer of signature_valid (benches time real work)."""
    _verified.clear()
    signature_valid.cache_clear()


@functools.lru_cache(maxsize=8192)
def signature_valid(did: str, signature: bytes, message: bytes) -> bool:
    """Report whether signature is the Ed25519 signature of message by did's key.

    Raises WalletFormatError when did is not an Ed25519 did:key. The answer, a pure function
    of the three arguments, is memoised (and known for what signatures_verified recorded):
    the ledger re-checks the signature of the payment the wallets app has just checked
    without a second verification.
    """
    if (did, signature, message) in _verified:
        return True
    try:
        _public_key(did).verify(signature, message)
    except InvalidSignature:
        return False
    return True


@functools.lru_cache(maxsize=4096)
def _public_key(did: str) -> Ed25519PublicKey:
    """Return the public key object of did (cached: a sync checks many intents per wallet)."""
    return Ed25519PublicKey.from_public_bytes(did_key_parse(did))
