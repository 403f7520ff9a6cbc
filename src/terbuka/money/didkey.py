"""Format and parse a wallet's identity as a W3C `did:key` of an Ed25519 public key.

did:key (W3C CCG did-method-key) writes a public key as "did:key:" + multibase base58btc ("z")
of the multicodec varint of the key type followed by the raw key. For Ed25519 the multicodec
is ed25519-pub 0xed, varint bytes 0xed 0x01, so every wallet id starts with "did:key:z6Mk".
Only Ed25519 is accepted: another key type (secp256k1, P-256, X25519, BLS, RSA) is refused by
name. Example (W3C test vector, seed of 32 zero bytes): raw public key
3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29 ↔
"did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp".
"""

from __future__ import annotations

import functools

from terbuka.money.errors import WalletFormatError

DID_KEY_PREFIX = "did:key:"
ED25519_MULTICODEC = b"\xed\x01"
PUBLIC_KEY_SIZE = 32
BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE58_INDEX = {char: index for index, char in enumerate(BASE58_ALPHABET)}
# Multicodec codes of other public key types, to refuse them by name.
_OTHER_KEY_TYPES = {
    0xE7: "secp256k1",
    0xEC: "X25519",
    0x1200: "P-256",
    0x1201: "P-384",
    0x1202: "P-521",
    0x1205: "RSA",
    0xEA: "BLS12-381 G1",
    0xEB: "BLS12-381 G2",
}
# Longer text is refused before decoding (an RSA-4096 did:key is about 750 characters).
_MAX_TEXT = 1000
_ED25519_TEXT = 56  # "did:key:z6Mk" + 44 more: every Ed25519 did:key


def base58_encode(data: bytes) -> str:
    """Return the base58btc (Bitcoin alphabet) text of data, a leading "1" per leading zero byte."""
    zeros = len(data) - len(data.lstrip(b"\0"))
    number = int.from_bytes(data, "big")
    digits: list[str] = []
    while number:
        number, rest = divmod(number, 58)
        digits.append(BASE58_ALPHABET[rest])
    return "1" * zeros + "".join(reversed(digits))


def base58_decode(text: str, where: str = "did") -> bytes:
    """Return the bytes of base58btc text; raise WalletFormatError on a character outside it."""
    number = 0
    for char in text:
        index = _BASE58_INDEX.get(char)
        if index is None:
            raise WalletFormatError(
                f"karakter {char!r} bukan base58btc",
                f"character {char!r} is not base58btc",
                where=where,
            )
        number = number * 58 + index
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def did_key_format(public_key: bytes) -> str:
    """Return the did:key of a raw 32-byte Ed25519 public key; raise WalletFormatError otherwise."""
    if len(public_key) != PUBLIC_KEY_SIZE:
        raise WalletFormatError(
            f"kunci publik Ed25519 harus 32 bita, bukan {len(public_key)}",
            f"an Ed25519 public key must be 32 bytes, not {len(public_key)}",
            where="public_key",
        )
    return DID_KEY_PREFIX + "z" + base58_encode(ED25519_MULTICODEC + public_key)


def did_key_parse(text: str, where: str = "did") -> bytes:
    """Return the raw 32-byte Ed25519 public key of a did:key (see _did_key_parse)."""
    if isinstance(text, str) and len(text) == _ED25519_TEXT:
        key = _did_key_cached(text)
        if key is not None:
            return key
    return _did_key_parse(text, where)


@functools.lru_cache(maxsize=4096)
def _did_key_cached(text: str) -> bytes | None:
    """Return the key of a well-formed Ed25519 did:key, None for any other text (cached)."""
    try:
        return _did_key_parse(text, "did")
    except WalletFormatError:
        return None


def _did_key_parse(text: str, where: str) -> bytes:
    """Return the raw 32-byte Ed25519 public key of a did:key.

    Raises WalletFormatError when text is not "did:key:z" + base58btc, when its key type is
    not Ed25519 (the type is named: secp256k1, P-256, ...) or when the key is not 32 bytes.
    """
    if not isinstance(text, str) or not text.startswith(DID_KEY_PREFIX + "z"):
        raise WalletFormatError(
            "identitas dompet harus did:key dengan multibase base58btc ('did:key:z...')",
            "a wallet identity must be a did:key in multibase base58btc ('did:key:z...')",
            where=where,
        )
    if len(text) > _MAX_TEXT:
        raise WalletFormatError(
            "did:key terlalu panjang",
            "did:key is too long",
            where=where,
        )
    raw = base58_decode(text[len(DID_KEY_PREFIX) + 1 :], where)
    code, size = _varint(raw, where)
    if code != 0xED:
        name = _OTHER_KEY_TYPES.get(code, f"multicodec 0x{code:x}")
        raise WalletFormatError(
            f"jenis kunci {name} tidak diterima: dompet Terbuka hanya memakai Ed25519",
            f"key type {name} is not accepted: Terbuka wallets use Ed25519 only",
            where=where,
        )
    key = raw[size:]
    if len(key) != PUBLIC_KEY_SIZE:
        raise WalletFormatError(
            f"kunci Ed25519 dalam did:key harus 32 bita, bukan {len(key)}",
            f"the Ed25519 key in a did:key must be 32 bytes, not {len(key)}",
            where=where,
        )
    return key


def _varint(raw: bytes, where: str) -> tuple[int, int]:
    """Return the unsigned varint at the start of raw and its length in bytes (at most 3)."""
    value = 0
    for index, byte in enumerate(raw[:3]):
        value |= (byte & 0x7F) << (7 * index)
        if not byte & 0x80:
            return value, index + 1
    raise WalletFormatError(
        "awalan multicodec did:key tidak terbaca",
        "the did:key multicodec prefix cannot be read",
        where=where,
    )
