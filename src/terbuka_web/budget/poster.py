"""Draw a village's APBDes board as a PDF (reportlab) and a PNG (Pillow), cached per version.

Both draw the one layout of terbuka.budget.poster in Bitstream Vera, the font reportlab
ships with its licence (reportlab/fonts/bitstream-vera-license.txt), so text measured for
the PDF fits the PNG too. A board is stored once per size, format and version of the
village's budget (its batches and projects): a new publication or project update makes a
new file (and deletes the earlier version's), an unchanged one is served from storage.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import reportlab
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.colors import HexColor
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from terbuka.budget.poster import Board, Box, Text, board_layout

FONTS: Final = Path(reportlab.__file__).parent / "fonts"
FACES: Final = {False: ("TerbukaVera", "Vera.ttf"), True: ("TerbukaVeraBd", "VeraBd.ttf")}
MM: Final = 72 / 25.4
FORMATS: Final = ("pdf", "png")
STORE: Final = "papan-apbdes"


@dataclass(frozen=True)
class Size:
    """A board size: layout width in units, fixed height or None, and units per PNG px/PDF pt."""

    width: float
    height: float | None
    png_per_unit: float
    pdf_per_unit: float


# A1 is 594 × 841 mm, laid out in points, its PNG at 100 dpi (2339 × 3311 px, ~23 MB while
# drawn); the phone board is 1080 px wide, as long as its content, its PDF at 96 dpi.
SIZES: Final = {
    "a1": Size(594 * MM, 841 * MM, 100 / 72, 1.0),
    "ponsel": Size(1080.0, None, 1.0, 0.75),
}


def _fonts_register() -> None:
    for name, filename in FACES.values():
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(FONTS / filename)))


def measure(text: str, size: float, bold: bool) -> float:
    """Return the width of text in Vera (bold or regular) at size, in the size's units."""
    _fonts_register()
    return float(pdfmetrics.stringWidth(text, FACES[bold][0], size))


def board_pdf(board: Board, size: Size) -> bytes:
    """Return board laid out at size as a one-page PDF with its text selectable."""
    layout = board_layout(board, width=size.width, height=size.height, measure=measure)
    k = size.pdf_per_unit
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(layout.width * k, layout.height * k), invariant=True)
    canvas.setTitle(f"APBDes {board.village} {board.year}")
    canvas.setAuthor(f"Pemerintah Desa {board.village}")
    top = layout.height * k
    for op in layout.ops:
        canvas.setFillColor(HexColor(op.color))
        if isinstance(op, Box):
            canvas.rect(op.x * k, top - (op.y + op.h) * k, op.w * k, op.h * k, stroke=0, fill=1)
            continue
        canvas.setFont(FACES[op.bold][0], op.size * k)
        draw = {
            "left": canvas.drawString,
            "right": canvas.drawRightString,
            "center": canvas.drawCentredString,
        }[op.align]
        draw(op.x * k, top - op.y * k, op.text)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def board_png(board: Board, size: Size) -> bytes:
    """Return board laid out at size as a PNG image."""
    layout = board_layout(board, width=size.width, height=size.height, measure=measure)
    k = size.png_per_unit
    image = Image.new("RGB", (round(layout.width * k), round(layout.height * k)), "#ffffff")
    draw = ImageDraw.Draw(image)
    for op in layout.ops:
        if isinstance(op, Box):
            box = (op.x * k, op.y * k, (op.x + op.w) * k - 1, (op.y + op.h) * k - 1)
            if op.w > 0 and op.h > 0:
                draw.rectangle(box, fill=op.color)
            continue
        _text(draw, op, k)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=6)
    image.close()
    return out.getvalue()


def _text(draw: ImageDraw.ImageDraw, op: Text, k: float) -> None:
    font = _font(op.bold, round(op.size * k))
    anchor = {"left": "ls", "right": "rs", "center": "ms"}[op.align]
    draw.text((op.x * k, op.y * k), op.text, font=font, fill=op.color, anchor=anchor)


_FONT_CACHE: dict[tuple[bool, int], ImageFont.FreeTypeFont] = {}


def _font(bold: bool, pixels: int) -> ImageFont.FreeTypeFont:
    key = (bold, max(pixels, 1))
    if key not in _FONT_CACHE:
        _FONT_CACHE[key] = ImageFont.truetype(str(FONTS / FACES[bold][1]), key[1])
    return _FONT_CACHE[key]


def board_file(*, board: Board, version: str, size: str, fmt: str, code: str) -> bytes:
    """Return the board file of code at size in fmt, drawn once per version and stored."""
    name = _name(code, board.year, version, size, fmt)
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as handle:
            return bytes(handle.read())
    render = board_pdf if fmt == "pdf" else board_png
    data = render(board, SIZES[size])
    _older_delete(code, board.year, version)
    default_storage.save(name, ContentFile(data))
    return data


def _older_delete(code: str, year: int, version: str) -> None:
    """Delete the boards of code's year drawn for earlier versions of its budget."""
    folder = f"{STORE}/{code}/{year}"
    try:
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for old in files:
        if not old.startswith(f"{version}-"):
            default_storage.delete(f"{folder}/{old}")


def board_sizes(*, code: str, year: int, version: str) -> dict[tuple[str, str], int]:
    """Return the byte size of each stored board file of this version: {(size, fmt): bytes}."""
    out = {}
    for size in SIZES:
        for fmt in FORMATS:
            name = _name(code, year, version, size, fmt)
            if default_storage.exists(name):
                out[(size, fmt)] = default_storage.size(name)
    return out


def _name(code: str, year: int, version: str, size: str, fmt: str) -> str:
    return f"{STORE}/{code}/{year}/{version}-{size}.{fmt}"
