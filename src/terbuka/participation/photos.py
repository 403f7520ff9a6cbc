"""Sniff JPEG and PNG photos and strip their metadata (EXIF with GPS, XMP, comments, text).

A citizen's phone photo carries the place it was taken, the phone's serial and often the
owner's name; an *anonim* reporter must not be identified by it. The image data is copied
byte for byte (no re-encoding, no quality loss); only metadata segments and chunks go, and
anything after the end of the image (a second file appended to it) is dropped.
JPEG: ITU-T T.81 §B.1.1.2 (markers), §B.1.1.5 (entropy-coded data). PNG: ISO/IEC 15948 §5.
"""

from __future__ import annotations

import struct
import zlib
from typing import Literal

from terbuka.participation.errors import PhotoError

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# JPEG segments kept: APP0 (JFIF), APP2 only for an ICC colour profile, APP14 (Adobe colour
# transform); every other APPn (EXIF, XMP, maker notes, Photoshop IRB) and COM are dropped.
JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})
PNG_DROPPED = frozenset({b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"})
PhotoKind = Literal["jpeg", "png"]


def photo_sniff(data: bytes) -> PhotoKind | None:
    """Return "jpeg" or "png" from data's magic bytes, None for anything else."""
    if data.startswith(JPEG_MAGIC):
        return "jpeg"
    if data.startswith(PNG_MAGIC):
        return "png"
    return None


def photo_strip(data: bytes) -> tuple[PhotoKind, bytes]:
    """Return (kind, data without metadata) of a JPEG or PNG photo.

    Raises PhotoError (bilingual) when data is neither, or is truncated or malformed.
    Example: a JPEG FFD8 FFE1<EXIF> FFDB… FFD9 comes back as FFD8 FFDB… FFD9.
    """
    kind = photo_sniff(data)
    if kind == "jpeg":
        return kind, _jpeg_strip(data)
    if kind == "png":
        return kind, _png_strip(data)
    raise _bad("bukan foto JPEG atau PNG", "not a JPEG or PNG photo")


def _bad(message_id: str, message_en: str) -> PhotoError:
    return PhotoError(
        f"berkas foto ditolak: {message_id}", f"photo refused: {message_en}", where="file"
    )


def _jpeg_keep(marker: int, body: bytes) -> bool:
    """Report whether the JPEG segment marker with body carries image data, not metadata."""
    if marker == 0xFE or 0xE1 <= marker <= 0xEF:
        return (marker == 0xE2 and body.startswith(b"ICC_PROFILE\x00")) or marker == 0xEE
    return True


def _jpeg_strip(data: bytes) -> bytes:
    out = bytearray(data[:2])
    at = 2
    while True:
        if at + 2 > len(data) or data[at] != 0xFF:
            raise _bad("JPEG terpotong atau rusak", "truncated or malformed JPEG")
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte before a marker
            at += 1
            continue
        if marker == 0xD9:  # EOI: the end; trailing bytes are dropped
            out += b"\xff\xd9"
            return bytes(out)
        if marker in JPEG_STANDALONE:
            out += data[at : at + 2]
            at += 2
            continue
        if at + 4 > len(data):
            raise _bad("JPEG terpotong", "truncated JPEG")
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        end = at + 2 + length
        if length < 2 or end > len(data):
            raise _bad("panjang segmen JPEG salah", "bad JPEG segment length")
        if _jpeg_keep(marker, data[at + 4 : end]):
            out += data[at:end]
        at = end
        if marker == 0xDA:  # SOS: entropy-coded data up to the next real marker
            scan_end = _scan_end(data, at)
            out += data[at:scan_end]
            at = scan_end


def _scan_end(data: bytes, at: int) -> int:
    """Return the index of the marker ending the entropy-coded data starting at at."""
    while True:
        at = data.find(b"\xff", at)
        if at < 0 or at + 1 >= len(data):
            raise _bad("data gambar JPEG terpotong", "truncated JPEG image data")
        follower = data[at + 1]
        if follower == 0x00 or 0xD0 <= follower <= 0xD7:
            at += 2
            continue
        return at


def _png_strip(data: bytes) -> bytes:
    out = bytearray(PNG_MAGIC)
    at = len(PNG_MAGIC)
    first = True
    while True:
        if at + 12 > len(data):
            raise _bad("PNG terpotong", "truncated PNG")
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        end = at + 12 + length
        if end > len(data) or (first and kind != b"IHDR"):
            raise _bad("potongan PNG salah", "bad PNG chunk")
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(data[at + 4 : end - 4]) != crc:
            raise _bad("CRC potongan PNG salah", "bad PNG chunk CRC")
        if kind not in PNG_DROPPED:
            out += data[at:end]
        first, at = False, end
        if kind == b"IEND":
            return bytes(out)
