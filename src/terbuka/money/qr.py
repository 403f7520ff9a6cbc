"""Draw a wallet payload (intent or offline voucher) as a QR code a cheap phone camera reads.

The code is at most version 15 (77×77 modules) at error correction level M, in byte mode, so
that a 2 MP camera reads it from a phone screen at arm's length. A typical offline voucher
(intent + allowance, about 370 characters) fits version 14 (73×73 modules). segno (BSD) comes
with the web extra; the core imports it only here, when a QR code is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from terbuka.money.errors import WalletFormatError

if TYPE_CHECKING:
    import segno

MAX_VERSION = 15
ERROR_LEVEL = "M"


@dataclass(frozen=True)
class QrSize:
    """Hold a QR code's version and its width in modules (17 + 4 × version, quiet zone apart)."""

    version: int
    modules: int


def qr_make(payload: str) -> segno.QRCode:
    """Return payload's QR code (level M, at most version 15); WalletFormatError when too long."""
    import segno

    try:
        code = segno.make_qr(
            payload, error=ERROR_LEVEL, boost_error=False, mode="byte", encoding="ascii"
        )
    except (segno.DataOverflowError, ValueError) as exc:
        raise _too_long(payload) from exc
    if not isinstance(code.version, int) or code.version > MAX_VERSION:
        raise _too_long(payload)
    return code


def qr_size(payload: str) -> QrSize:
    """Return the version and width of payload's QR code (see qr_make)."""
    code = qr_make(payload)
    width, _height = code.symbol_size(border=0)
    return QrSize(int(code.version), int(width))


def qr_write(payload: str, path: Path, *, scale: int = 4) -> QrSize:
    """Write payload's QR code as PNG (or SVG by suffix) to path; return its size."""
    code = qr_make(payload)
    code.save(str(path), scale=scale, border=4)
    width, _height = code.symbol_size(border=0)
    return QrSize(int(code.version), int(width))


def _too_long(payload: str) -> WalletFormatError:
    """Return the error for a payload that does not fit version 15 at level M."""
    return WalletFormatError(
        f"muatan {len(payload)} karakter tidak muat dalam QR versi {MAX_VERSION} tingkat M",
        f"a payload of {len(payload)} characters does not fit a version {MAX_VERSION} level M QR",
        where="payload",
    )
