"""Golden pairs and fuzzing of the photo metadata stripper (terbuka.participation.photos)."""

from __future__ import annotations

import struct
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terbuka.participation.errors import PhotoError
from terbuka.participation.photos import photo_sniff, photo_strip

APP0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
EXIF = b"\xff\xe1\x00\x0dExif\x00\x00GPS!!"
COMMENT = b"\xff\xfe\x00\x07owner"
DQT = b"\xff\xdb\x00\x04\x00\x01"
SCAN = b"\xff\xda\x00\x03\x01" + b"\x10\xff\x00\x20\xff\xd0\x30"
JPEG_IN = b"\xff\xd8" + APP0 + EXIF + COMMENT + DQT + SCAN + b"\xff\xd9appended"
JPEG_OUT = b"\xff\xd8" + APP0 + DQT + SCAN + b"\xff\xd9"


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


IHDR = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
IDAT = chunk(b"IDAT", zlib.compress(b"\x00\x00"))
PNG_IN = (
    b"\x89PNG\r\n\x1a\n" + IHDR + chunk(b"tEXt", b"Author\x00Siti") + IDAT + chunk(b"IEND", b"")
)
PNG_OUT = b"\x89PNG\r\n\x1a\n" + IHDR + IDAT + chunk(b"IEND", b"")


def test_golden_jpeg() -> None:
    assert photo_strip(JPEG_IN) == ("jpeg", JPEG_OUT)
    assert photo_strip(JPEG_OUT) == ("jpeg", JPEG_OUT)


def test_golden_png() -> None:
    assert photo_strip(PNG_IN) == ("png", PNG_OUT)
    assert photo_strip(PNG_OUT) == ("png", PNG_OUT)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"%PDF-1.7",
        JPEG_IN[:30],
        PNG_IN[:40],
        PNG_IN.replace(b"Siti", b"Sitx"),
        b"\xff\xd8\xffx",
    ],
)
def test_bad_photos_are_refused_bilingually(data: bytes) -> None:
    with pytest.raises(PhotoError) as refused:
        photo_strip(data)
    assert refused.value.message_id.startswith("berkas foto ditolak")
    assert refused.value.message_en.startswith("photo refused")


@given(st.binary(max_size=200))
def test_random_bytes_after_a_magic_never_crash(tail: bytes) -> None:
    for magic in (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n"):
        try:
            kind, out = photo_strip(magic + tail)
        except PhotoError:
            continue
        assert photo_sniff(out) == kind and photo_strip(out) == (kind, out)
