"""Check uploaded PDFs: a plain file name, the size limit, no polyglot, no active content.

The parse runs in a child process capped in memory and time (contracting.pdfscan), so one
hostile or huge PDF cannot take a web worker's memory. What is refused, and why, is listed
for officials in docs/panduan-operator.md.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import select
import subprocess
import sys
import threading
import unicodedata
from collections.abc import Iterator
from typing import IO, Any

from django.conf import settings

from terbuka.errors import ValidationError
from terbuka.human import size_over_words, size_words

PDF_MAGIC = b"%PDF-"
HEAD_BYTES = 1024
HTML_MARKERS = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|iframe|svg|object|embed|img|meta|a\s)", re.I
)
PDF_CHECK_MEMORY_MIB = 256
PDF_CHECK_SECONDS: float = 20
CHUNK = 64 * 1024
MAX_NAME = 150
NAME_MARKS = frozenset(" ._()-,&+'")


class UploadRefused(ValidationError):
    """Report an upload refused for its name, size or content."""

    code = "upload_refused"


def _name_char_ok(ch: str) -> bool:
    """Report whether ch may appear in a file name: a letter or digit of any script, a
    combining mark, a space, or one of NAME_MARKS."""
    return ch in NAME_MARKS or unicodedata.category(ch).startswith(("L", "N", "M"))


def filename_check(name: str) -> str:
    """Return the NFC form of name when it is a plain PDF file name, else raise UploadRefused.

    Letters and digits of any script are kept ("ünï.pdf", "Laporan Kemajuan (Mei).pdf"): the
    name is only shown to people and sent back on download (RFC 6266 filename*), never used
    as a path, since the file is stored under its SHA-256. Refused: paths ("../", "/", "\\"),
    control and invisible characters (e.g. U+202E, which would show "fdp.exe" as "exe.pdf"),
    hidden names, other symbols, names over MAX_NAME characters, names not ending in .pdf.
    Example: "Laporan u\u0308.pdf" → "Laporan ü.pdf"; "../etc/passwd.pdf" → UploadRefused.
    """
    name = unicodedata.normalize("NFC", name)
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise UploadRefused(
            "nama berkas memuat karakter kendali atau tak terlihat",
            "the file name contains control or invisible characters",
            where="file",
        )
    if "/" in name or "\\" in name or ".." in name:
        raise UploadRefused(
            f"nama berkas {name!r} memuat jalur (/, \\ atau ..); unggah berkas saja",
            f"file name {name!r} contains a path (/, \\ or ..); upload a plain file",
            where="file",
        )
    stem = name[:-4] if name.lower().endswith(".pdf") else ""
    if (
        not stem
        or len(name) > MAX_NAME
        or not stem[0].isalnum()
        or not all(_name_char_ok(ch) for ch in stem)
    ):
        raise UploadRefused(
            f"nama berkas {name!r} harus berakhiran .pdf, paling panjang {MAX_NAME} karakter, "
            "diawali huruf atau angka, dan hanya memuat huruf, angka, spasi atau . _ ( ) - , & + '",
            f"file name {name!r} must end in .pdf, be at most {MAX_NAME} characters long, start "
            "with a letter or digit and hold only letters, digits, spaces or . _ ( ) - , & + '",
            where="file",
        )
    return name


def upload_too_large(size: int | None) -> UploadRefused:
    """Return the refusal of a file of size bytes (None: unknown, beyond the limit) over
    MAX_UPLOAD_BYTES, sizes in KB/MB. Example: "berkas 25 MB melebihi batas 20 MB"."""
    limit_id, limit_en = size_words(settings.MAX_UPLOAD_BYTES)
    if size is None:
        return UploadRefused(
            f"berkas melebihi batas {limit_id}; perkecil atau pisahkan PDF-nya",
            f"the file exceeds the {limit_en} limit; make the PDF smaller or split it",
            where="file",
        )
    over_id, over_en = size_over_words(size, settings.MAX_UPLOAD_BYTES)
    return UploadRefused(
        f"berkas {over_id}; perkecil atau pisahkan PDF-nya",
        f"the file of {over_en}; make the PDF smaller or split it",
        where="file",
    )


def _size_of(stream: IO[bytes]) -> int:
    """Return the size of stream without reading it (its .size, or seeking to the end)."""
    size = getattr(stream, "size", None)
    if isinstance(size, int):
        return size
    position = stream.tell()
    end = stream.seek(0, io.SEEK_END)
    stream.seek(position)
    return end


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    """Yield stream's bytes from the start in CHUNK-sized pieces."""
    stream.seek(0)
    while chunk := stream.read(CHUNK):
        yield chunk


class _Scanner:
    """Keep one pdfscan child per process and ask it, one upload at a time, about a PDF.

    Starting a child for each upload cost ~0.25 s of interpreter and pypdf start-up (the demo
    uploads thousands of PDFs); the child stays up instead, capped at PDF_CHECK_MEMORY_MIB,
    and is started again after it exits (out of memory), is killed for taking longer than
    PDF_CHECK_SECONDS, or when the cap changes. It ends when this process closes its input.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.child: subprocess.Popen[bytes] | None = None
        self.memory = 0

    def _running(self) -> subprocess.Popen[bytes]:
        """Return the live child for the current cap, starting one when needed."""
        if self.child is not None and (
            self.child.poll() is not None or self.memory != PDF_CHECK_MEMORY_MIB
        ):
            self._stop()
        if self.child is None:
            self.memory = PDF_CHECK_MEMORY_MIB
            command = [sys.executable, "-m", "terbuka_web.contracting.pdfscan", str(self.memory)]
            self.child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        return self.child

    def _stop(self) -> None:
        """Kill and reap the child, if any."""
        if self.child is not None:
            self.child.kill()
            self.child.wait()
            for pipe in (self.child.stdin, self.child.stdout):
                if pipe is not None:
                    pipe.close()
            self.child = None

    def ask(self, stream: IO[bytes], size: int) -> dict[str, Any]:
        """Return the child's answer for stream's size bytes (contracting.pdfscan lists them).

        A parse that runs out of memory, or answers later than PDF_CHECK_SECONDS, gives
        {"refused": "complex"}.
        """
        with self.lock:
            child = self._running()
            assert child.stdin is not None and child.stdout is not None
            try:
                child.stdin.write(size.to_bytes(8, "big"))
                for chunk in _chunks(stream):
                    child.stdin.write(chunk)
                child.stdin.flush()
            except BrokenPipeError:
                line = b""
            else:
                ready, _, _ = select.select([child.stdout], [], [], PDF_CHECK_SECONDS)
                line = child.stdout.readline() if ready else b""
            if not line:  # too slow, or the child died (out of memory, killed)
                self._stop()
                return {"refused": "complex"}
            answer: dict[str, Any] = json.loads(line)
            return answer


_SCANNER = _Scanner()


def pdf_check(stream: IO[bytes]) -> tuple[str, int]:
    """Return (SHA-256 hex, size) of stream after checking it is a passive PDF within limits.

    The size is checked before anything is read; then the magic bytes "%PDF-" at the very
    start and no HTML in the first KiB (a PDF/HTML polyglot); then a full parse in a child
    capped at PDF_CHECK_MEMORY_MIB and PDF_CHECK_SECONDS (contracting.pdfscan): at least one
    page, and no active content (JavaScript, automatic or launch actions, embedded files,
    rich media, XFA). Raises UploadRefused with a bilingual reason (docs/panduan-operator.md).
    """
    limit = settings.MAX_UPLOAD_BYTES
    size = _size_of(stream)
    if size > limit:
        raise upload_too_large(size)
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    if not head.startswith(PDF_MAGIC):
        raise UploadRefused(
            "berkas bukan PDF (tidak diawali %PDF-); ganti nama saja tidak cukup",
            "the file is not a PDF (it does not start with %PDF-); renaming is not enough",
            where="file",
        )
    if HTML_MARKERS.search(head):
        raise UploadRefused(
            "berkas memuat HTML di awal PDF (berkas poliglot, bisa dijalankan peramban); "
            "unggah PDF asli dari aplikasi pembuatnya",
            "the file holds HTML at the start of the PDF (a polyglot a browser could run); "
            "upload the original PDF from the application that made it",
            where="file",
        )
    _pdf_answer_check(_SCANNER.ask(stream, size))
    digest = hashlib.sha256()
    for chunk in _chunks(stream):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest(), size


def _pdf_answer_check(answer: dict[str, Any]) -> None:
    """Raise UploadRefused, with a bilingual reason, unless pdfscan's answer is a passive PDF."""
    refused = answer.get("refused")
    if refused == "active":
        found = answer["found"]
        raise UploadRefused(
            f"PDF memuat konten aktif ({found}): JavaScript, tindakan otomatis atau peluncuran "
            "program, berkas sisipan, media, atau formulir XFA. Simpan ulang sebagai PDF biasa "
            "(mis. Cetak > Simpan sebagai PDF) lalu unggah lagi",
            f"the PDF holds active content ({found}): JavaScript, automatic or launch actions, "
            "embedded files, media or XFA forms. Save it again as a plain PDF (e.g. Print > "
            "Save as PDF) and upload that",
            where="file",
        )
    if refused == "complex":
        raise UploadRefused(
            f"PDF terlalu rumit untuk diperiksa (melebihi {PDF_CHECK_MEMORY_MIB} MB memori atau "
            f"{PDF_CHECK_SECONDS:g} detik); simpan ulang sebagai PDF biasa lalu unggah lagi",
            f"the PDF is too complex to check (over {PDF_CHECK_MEMORY_MIB} MB of memory or "
            f"{PDF_CHECK_SECONDS:g} seconds); save it again as a plain PDF and upload that",
            where="file",
        )
    if refused == "damaged":
        raise UploadRefused(
            "berkas PDF rusak atau tidak lengkap; buka di komputer Anda, simpan ulang sebagai "
            "PDF lalu unggah lagi",
            "the PDF is damaged or incomplete; open it on your computer, save it again as a PDF "
            "and upload that",
            where="file",
        )
    if answer["pages"] < 1:
        raise UploadRefused("PDF tidak memiliki halaman", "the PDF has no pages", where="file")
