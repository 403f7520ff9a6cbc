"""Sign and open C2SP signed notes: text followed by one or more signature lines.

Spec: C2SP signed-note (https://c2sp.org/signed-note), compatible with Go's
golang.org/x/mod/sumdb/note. A note is UTF-8 text ending in a newline, a blank line, then
signature lines `— <key name> base64(key ID || signature)` (U+2014 EM DASH):

    This is an example message.

    — example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=

A verifier key (vkey) is `name+hexid+base64(type || public key)`, for example
`example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k`; a signer key
(skey) uses Go's layout `PRIVATE+KEY+name+hexid+base64(type || seed)`. The key ID is
SHA-256(name || 0x0A || type || public key)[:4] and is always checked.
"""  # noqa: E501

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Self

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from terbuka.tlog import _text
from terbuka.tlog._keys import ALG_ED25519, NAME_ID_TYPES, check_key_name, key_id, split_vkey
from terbuka.tlog.errors import MalformedError, NoVerifiableSignatureError, SignatureError

__all__ = [
    "ALG_ED25519",
    "MAX_SIGNATURES",
    "NAME_ID_TYPES",
    "SIG_PREFIX",
    "Note",
    "Signature",
    "Signer",
    "Verifier",
    "check_key_name",
    "check_text",
    "generate_key",
    "key_id",
    "open_note",
    "parse_note",
    "sign_note",
    "split_vkey",
]

SIG_PREFIX = "— "
MAX_SIGNATURES = 100
"""Most signature lines a note may carry (Go's limit), to bound the work of opening one."""


def _ed25519_public(raw: bytes, where: str) -> Ed25519PublicKey:
    if len(raw) != 32:
        raise MalformedError(
            f"kunci publik Ed25519 harus 32 byte, bukan {len(raw)}",
            f"Ed25519 public key must be 32 bytes, not {len(raw)}",
            where=where,
        )
    try:
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as exc:
        raise MalformedError(
            "kunci publik Ed25519 tidak sah", "invalid Ed25519 public key", where=where
        ) from exc


class Verifier:
    """Verify Ed25519 note signatures (type 0x01) for one named key.

    Subclasses (cosignature/v1) override `key_type` and `verify`.
    """

    key_type = ALG_ED25519

    def __init__(self, name: str, public_key: bytes) -> None:
        check_key_name(name)
        self.name = name
        self.public_key = public_key
        self._key = _ed25519_public(public_key, "vkey")
        self.key_id = key_id(name, self.key_type, public_key)

    @classmethod
    def from_vkey(cls, vkey: str) -> Self:
        """Return the verifier for an Ed25519 vkey `name+hexid+base64(0x01||pk)`.

        Raises MalformedError for a malformed vkey, a wrong key ID or another key type.
        Spec: C2SP signed-note §"Verifier keys".
        """
        name, _, key_type, raw = split_vkey(vkey)
        if key_type != cls.key_type:
            raise MalformedError(
                f"jenis kunci 0x{key_type:02x} tidak didukung di sini",
                f"key type 0x{key_type:02x} is not supported here",
                where="vkey",
            )
        return cls(name, raw)

    @property
    def vkey(self) -> str:
        """Return the verifier key string `name+hexid+base64(type||pk)`."""
        return _text.format_vkey(self.name, self.key_id, bytes([self.key_type]) + self.public_key)

    def verify(self, text: bytes, signature: bytes) -> bool:
        """Report whether signature (without key ID) signs the note text."""
        try:
            self._key.verify(signature, text)
        except InvalidSignature:
            return False
        return True

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name}+{self.key_id:08x})"

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is type(self)
            and isinstance(other, Verifier)
            and (other.name, other.public_key) == (self.name, self.public_key)
        )

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.name, self.public_key))


class Signer:
    """Sign notes with an Ed25519 private key (type 0x01)."""

    key_type = ALG_ED25519

    def __init__(self, name: str, seed: bytes) -> None:
        check_key_name(name)
        if len(seed) != 32:
            raise MalformedError(
                "kunci privat Ed25519 harus 32 byte", "Ed25519 seed must be 32 bytes", where="skey"
            )
        self.name = name
        self._seed = seed
        self._key = Ed25519PrivateKey.from_private_bytes(seed)
        self.public_key = self._key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.key_id = key_id(name, self.key_type, self.public_key)

    @classmethod
    def from_skey(cls, skey: str) -> Self:
        """Return the signer for `PRIVATE+KEY+name+hexid+base64(0x01||seed)`.

        Raises MalformedError for a malformed skey, another key type or a key ID that does
        not match the derived public key. Example:
        `PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz`.
        """
        prefix = "PRIVATE+KEY+"
        if not skey.startswith(prefix):
            raise MalformedError(
                "kunci privat harus diawali PRIVATE+KEY+",
                "signer key must start with PRIVATE+KEY+",
                where="skey",
            )
        parts = skey[len(prefix) :].split("+", 2)
        if len(parts) != 3:
            raise MalformedError(
                "kunci privat harus berbentuk PRIVATE+KEY+nama+id+base64",
                "signer key must have the form PRIVATE+KEY+name+id+base64",
                where="skey",
            )
        name, hex_id, key64 = parts
        check_key_name(name, "skey")
        kid = _text.parse_key_id(hex_id, "skey")
        raw = _text.b64decode(key64, "skey")
        if not raw or raw[0] != cls.key_type:
            raise MalformedError(
                "jenis kunci privat tidak didukung", "unsupported signer key type", where="skey"
            )
        signer = cls(name, raw[1:])
        if signer.key_id != kid:
            raise MalformedError(
                f"ID kunci {hex_id} tidak cocok dengan kunci privat",
                f"key ID {hex_id} does not match the private key",
                where="skey",
            )
        return signer

    @classmethod
    def generate(cls, name: str) -> Self:
        """Return a signer with a fresh random Ed25519 key. Raises MalformedError for a bad name."""
        return cls(name, Ed25519PrivateKey.generate().private_bytes_raw())

    @property
    def skey(self) -> str:
        """Return the Go-style signer key `PRIVATE+KEY+name+hexid+base64(type||seed)`."""
        return "PRIVATE+KEY+" + _text.format_vkey(
            self.name, self.key_id, bytes([self.key_type]) + self._seed
        )

    @property
    def vkey(self) -> str:
        """Return the matching verifier key."""
        return _text.format_vkey(self.name, self.key_id, bytes([self.key_type]) + self.public_key)

    def verifier(self) -> Verifier:
        """Return the verifier for this signer's public key."""
        return Verifier(self.name, self.public_key)

    def sign(self, text: bytes) -> bytes:
        """Return the signature of the note text, without the key ID."""
        return self._key.sign(text)


def generate_key(name: str) -> tuple[str, str]:
    """Return a fresh Ed25519 (skey, vkey) pair for the key name.

    Raises MalformedError for an invalid name. Example vkey:
    `example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k`.
    """
    signer = Signer.generate(name)
    return signer.skey, signer.vkey


@dataclass(frozen=True)
class Signature:
    """Hold one signature line: key name, 32-bit key ID and signature bytes (without the ID)."""

    name: str
    key_id: int
    signature: bytes

    def line(self) -> str:
        """Return the line `— name base64(keyid||sig)` with its final newline."""
        payload = self.key_id.to_bytes(4, "big") + self.signature
        return f"{SIG_PREFIX}{self.name} {_text.b64encode(payload)}\n"


@dataclass(frozen=True)
class Note:
    """Hold a note's text, its verified signatures and those from unknown keys."""

    text: str
    signatures: tuple[Signature, ...] = ()
    unverified: tuple[Signature, ...] = ()


def check_text(text: str, where: str = "note") -> None:
    """Check note text: ends in a newline, no control characters except newline.

    Raises MalformedError. Spec: C2SP signed-note §"Note text".
    """
    if not text.endswith("\n"):
        raise MalformedError(
            "teks catatan harus diakhiri baris baru",
            "note text must end with a newline",
            where=where,
        )
    _text.check_no_controls(text, where)


def sign_note(text: str, signers: Sequence[Signer], *, keep: Sequence[Signature] = ()) -> bytes:
    """Return the signed note: text, a blank line, then one line per signature.

    Signatures in keep (for example a log's, when a witness cosigns) come first, except those
    replaced by a signer with the same name and key ID. Raises MalformedError for invalid
    text. Spec: C2SP signed-note. Example output:
    `This is an example message.\\n\\n— example.com/foo Uw2QOkn8...aQM=\\n`.
    """
    check_text(text)
    body = text.encode()
    fresh = [Signature(s.name, s.key_id, s.sign(body)) for s in signers]
    replaced = {(s.name, s.key_id) for s in fresh}
    kept = [s for s in keep if (s.name, s.key_id) not in replaced]
    if len(kept) + len(fresh) > MAX_SIGNATURES:
        raise MalformedError(
            f"lebih dari {MAX_SIGNATURES} tanda tangan",
            f"more than {MAX_SIGNATURES} signatures",
            where="note",
        )
    return (text + "\n" + "".join(s.line() for s in (*kept, *fresh))).encode()


def _parse_signature(line: str, number: int) -> Signature:
    where = f"note signature line {number}"
    if not line.startswith(SIG_PREFIX):
        raise MalformedError(
            "baris tanda tangan harus diawali '— '",
            "signature line must start with '— ' (U+2014 and a space)",
            where=where,
        )
    name, _, b64 = line[len(SIG_PREFIX) :].partition(" ")
    check_key_name(name, where)
    raw = _text.b64decode(b64, where)
    if len(raw) < 5:
        raise MalformedError("tanda tangan terlalu pendek", "signature is too short", where=where)
    return Signature(name, int.from_bytes(raw[:4], "big"), raw[4:])


def parse_note(msg: bytes | str) -> Note:
    """Split a signed note into text and signatures without verifying any.

    Every signature is returned in `unverified`. Raises MalformedError for invalid UTF-8,
    control characters, a missing blank line or signature block, a malformed signature
    line or more than MAX_SIGNATURES lines. Spec: C2SP signed-note. Example input:
    `This is an example message.\\n\\n— example.com/foo Uw2QOkn8...aQM=\\n`.
    """
    data = _text.decode_utf8(msg, "note")
    _text.check_no_controls(data, "note")
    split = data.rfind("\n\n")
    if split < 0:
        raise MalformedError(
            "catatan tidak punya baris kosong sebelum tanda tangan",
            "note has no blank line before its signatures",
            where="note",
        )
    text, block = data[: split + 1], data[split + 2 :]
    if not block or not block.endswith("\n"):
        raise MalformedError(
            "blok tanda tangan kosong atau tidak diakhiri baris baru",
            "signature block is empty or does not end with a newline",
            where="note",
        )
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise MalformedError(
            f"lebih dari {MAX_SIGNATURES} tanda tangan",
            f"more than {MAX_SIGNATURES} signatures",
            where="note",
        )
    sigs = tuple(_parse_signature(line, i + 1) for i, line in enumerate(lines))
    return Note(text=text, unverified=sigs)


def _index(verifiers: Sequence[Verifier]) -> dict[tuple[str, int], list[Verifier]]:
    index: dict[tuple[str, int], list[Verifier]] = {}
    for v in verifiers:
        index.setdefault((v.name, v.key_id), []).append(v)
    return index


def open_note(msg: bytes | str, verifiers: Sequence[Verifier]) -> Note:
    """Parse a signed note and verify its signatures against the trusted verifiers.

    Signatures from unknown keys (name and key ID not both matching) are kept in
    `unverified`; repeated signatures by one key count once. Raises MalformedError as
    parse_note does; SignatureError when a known key's signature is invalid or two verifiers
    share a name and key ID; NoVerifiableSignatureError (carrying `.note`) when no trusted key
    signed. Spec: C2SP signed-note §"Verifying".
    """
    parsed = parse_note(msg)
    body = parsed.text.encode()
    index = _index(verifiers)
    verified: list[Signature] = []
    unknown: list[Signature] = []
    for sig in parsed.unverified:
        found = index.get((sig.name, sig.key_id), [])
        if not found:
            if sig not in unknown:
                unknown.append(sig)
            continue
        label = f"{sig.name}+{sig.key_id:08x}"
        if len(found) > 1:
            raise SignatureError(f"kunci ambigu {label}", f"ambiguous key {label}", where="note")
        if any(v.name == sig.name and v.key_id == sig.key_id for v in verified):
            continue
        if not found[0].verify(body, sig.signature):
            raise SignatureError(
                f"tanda tangan tidak sah untuk kunci {label}",
                f"invalid signature for key {label}",
                where="note",
            )
        verified.append(sig)
    note = Note(text=parsed.text, signatures=tuple(verified), unverified=tuple(unknown))
    if not verified:
        raise NoVerifiableSignatureError(note)
    return note
