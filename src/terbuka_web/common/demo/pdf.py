"""Write small, valid PDF 1.4 files of plain text (Helvetica, A4), with no dependency.

Used for the demo's DPA, Renja, KAK, jadwal and other stage documents: real PDFs that
pypdf parses and extracts text from. Text is encoded as WinAnsi (Latin-1); characters
outside it become "?". Long documents flow onto further pages.
Reference: ISO 32000-1:2008 §7.5 (file structure), §9 (text), Annex D (WinAnsiEncoding).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 56
LEADING = 14
LINES_PER_PAGE = (PAGE_HEIGHT - 2 * MARGIN) // LEADING
WRAP = 92
_PDF_DATE = "D:20260101000000Z"


def pdf_render(*, title: str, lines: Sequence[str], subject: str = "") -> bytes:
    """Return the bytes of a PDF whose first line is title (bold) followed by lines.

    Lines wrap at about 92 characters; "" gives a blank line. The document info holds title
    and subject. The output is deterministic (fixed dates, no random ids).
    Example: pdf_render(title="KAK", lines=["Latar belakang"]) starts with b"%PDF-1.4".
    """
    flowed = [wrapped for line in lines for wrapped in (textwrap.wrap(line, WRAP) or [""])]
    per_page = LINES_PER_PAGE - 2
    pages = [flowed[i : i + per_page] for i in range(0, len(flowed) or 1, per_page)]
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, filled in once the page object numbers are known
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    ]
    kids = []
    for number, page_lines in enumerate(pages, start=1):
        stream = _content(title if number == 1 else "", page_lines, number, len(pages))
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content_ref = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> >>"
            % (PAGE_WIDTH, PAGE_HEIGHT, content_ref)
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    objects.append(
        b"<< /Title %s /Subject %s /Producer (Terbuka demo) /CreationDate (%s) >>"
        % (_string(title), _string(subject), _PDF_DATE.encode())
    )
    return _assemble(objects, info=len(objects))


def _content(title: str, lines: Sequence[str], page: int, pages: int) -> bytes:
    y = PAGE_HEIGHT - MARGIN
    ops = [b"BT"]
    if title:
        ops.append(b"/F2 13 Tf 1 0 0 1 %d %d Tm %s Tj" % (MARGIN, y, _string(title)))
        y -= 2 * LEADING
    ops.append(b"/F1 10 Tf %d TL 1 0 0 1 %d %d Tm" % (LEADING, MARGIN, y))
    for line in lines:
        ops.append(b"%s Tj T*" % _string(line))
    footer = f"Halaman {page} dari {pages}"
    ops.append(b"/F1 8 Tf 1 0 0 1 %d %d Tm %s Tj" % (MARGIN, MARGIN // 2, _string(footer)))
    ops.append(b"ET")
    return b"\n".join(ops)


def _string(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _assemble(objects: Sequence[bytes], *, info: int) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (len(objects) + 1, info)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
