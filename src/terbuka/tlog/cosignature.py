"""Sign and verify C2SP cosignature/v1: a witness's timestamped Ed25519 note signature.

Spec: C2SP tlog-cosignature (https://c2sp.org/tlog-cosignature). A cosigner key has type
0x04 and key ID SHA-256(name || 0x0A || 0x04 || public key)[:4]. The note signature is
key ID || u64 big-endian timestamp (seconds, at most 2^63-1) || Ed25519 signature over

    cosignature/v1
    time 1679315147
    example.com/behind-the-sofa
    20852163
    CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=

that is the header lines followed by the whole checkpoint text. On the wire:

    — witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==
"""  # noqa: E501

from __future__ import annotations

import time
from typing import Self

from terbuka.tlog.errors import MalformedError
from terbuka.tlog.note import ALG_ED25519, Signature, Signer, Verifier, split_vkey

ALG_COSIGNATURE_V1 = 0x04
MAX_TIMESTAMP = 2**63 - 1
COSIGNATURE_SIZE = 8 + 64
"""Bytes after the key ID: the timestamp and the Ed25519 signature."""


def cosigned_message(checkpoint_text: str, timestamp: int) -> bytes:
    """Return the bytes a cosignature/v1 signs for the checkpoint text at the timestamp.

    Raises MalformedError for a timestamp outside 0..2^63-1. Example:
    `cosignature/v1\\ntime 1679315147\\nexample.com/behind-the-sofa\\n20852163\\nCsUY...q2I=\\n`.
    """
    _check_timestamp(timestamp)
    return f"cosignature/v1\ntime {timestamp}\n{checkpoint_text}".encode()


def _check_timestamp(timestamp: int) -> None:
    if not 0 <= timestamp <= MAX_TIMESTAMP:
        raise MalformedError(
            f"cap waktu kosignatur {timestamp} di luar 0..2^63-1",
            f"cosignature timestamp {timestamp} is outside 0..2^63-1",
            where="cosignature",
        )


def signature_timestamp(sig_bytes: bytes) -> int:
    """Return the timestamp of a decoded cosignature: key ID || timestamp || signature.

    Accepts the 76 decoded bytes of a signature line or the 72 bytes after the key ID.
    Raises MalformedError for another length or a timestamp above 2^63-1.
    Spec: C2SP tlog-cosignature §"Format". Example: base64 `ZGhGuQAAAABm/qTP...` → 1727964367.
    """
    if len(sig_bytes) == COSIGNATURE_SIZE + 4:
        sig_bytes = sig_bytes[4:]
    if len(sig_bytes) != COSIGNATURE_SIZE:
        raise MalformedError(
            f"kosignatur harus {COSIGNATURE_SIZE + 4} byte, bukan {len(sig_bytes)}",
            f"cosignature must be {COSIGNATURE_SIZE + 4} bytes, not {len(sig_bytes)}",
            where="cosignature",
        )
    timestamp = int.from_bytes(sig_bytes[:8], "big")
    _check_timestamp(timestamp)
    return timestamp


class CosignatureVerifier(Verifier):
    """Verify cosignature/v1 signatures (type 0x04) of one witness key."""

    key_type = ALG_COSIGNATURE_V1

    @classmethod
    def from_vkey(cls, vkey: str) -> Self:
        """Return the verifier for a type 0x04 vkey (or an Ed25519 0x01 vkey, converted).

        A type 0x01 vkey is accepted like transparency-dev/formats does; its cosignature key
        ID is then recomputed with type 0x04. Raises MalformedError for a malformed vkey, a
        wrong key ID or another type. Example:
        `remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2`.
        """
        name, _, key_type, raw = split_vkey(vkey)
        if key_type not in (ALG_COSIGNATURE_V1, ALG_ED25519):
            raise MalformedError(
                f"jenis kunci 0x{key_type:02x} bukan kunci kosignatur",
                f"key type 0x{key_type:02x} is not a cosigner key",
                where="vkey",
            )
        return cls(name, raw)

    def verify(self, text: bytes, signature: bytes) -> bool:
        """Report whether timestamp || signature cosigns the checkpoint text."""
        try:
            timestamp = signature_timestamp(signature)
            message = cosigned_message(text.decode(), timestamp)
        except (MalformedError, UnicodeDecodeError):
            return False
        return super().verify(message, signature[8:])


class CosignatureSigner(Signer):
    """Produce cosignature/v1 signatures (type 0x04) with a witness's Ed25519 key."""

    key_type = ALG_COSIGNATURE_V1

    def sign(self, text: bytes, timestamp: int | None = None) -> bytes:
        """Return timestamp || Ed25519 signature over the cosigned message (now by default)."""
        when = int(time.time()) if timestamp is None else timestamp
        message = cosigned_message(text.decode(), when)
        return when.to_bytes(8, "big") + super().sign(message)

    def cosign(self, checkpoint_text: str, timestamp: int) -> Signature:
        """Return the cosignature of the checkpoint text at the timestamp as a note signature.

        Raises MalformedError for a timestamp outside 0..2^63-1.
        """
        return Signature(self.name, self.key_id, self.sign(checkpoint_text.encode(), timestamp))

    def verifier(self) -> CosignatureVerifier:
        """Return the verifier for this cosigner's public key."""
        return CosignatureVerifier(self.name, self.public_key)


def generate_cosigner_key(name: str) -> tuple[str, str]:
    """Return a fresh cosignature/v1 (skey, vkey) pair, both of type 0x04.

    Raises MalformedError for an invalid name.
    """
    signer = CosignatureSigner.generate(name)
    return signer.skey, signer.vkey
