"""Lay out a village's APBDes board (papan informasi APBDes) as drawing operations.

The layout is framework- and library-free: it returns boxes and text runs with their
baseline in page units (top-left origin, y downwards), measured with a function the caller
gives, so one layout draws the same poster as a PDF and as a PNG. Type is sized from the
page width (an A1 poster read from a few metres, a phone read in the hand); a page of fixed
height shrinks the whole layout until it fits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from lokal import format_rupiah

Measure = Callable[[str, float, bool], float]
INK: Final = "#1b2733"
MUTED: Final = "#44505c"
BAND: Final = "#0b4f8a"
TRACK: Final = "#dfe6ee"
PLANNED: Final = "#8fb3d9"
REALISED: Final = "#0b6e4f"
WHITE: Final = "#ffffff"
MAX_PROJECTS: Final = 12
MAX_LABEL_LINES: Final = 3


@dataclass(frozen=True)
class Row:
    """One line of the board: its label, budget (after perubahan) and realisation, Rupiah;
    outgoing for a pengeluaran pembiayaan (6.2), which the net pembiayaan subtracts."""

    label: str
    planned: int
    realised: int
    outgoing: bool = False


@dataclass(frozen=True)
class Project:
    """One village project (pembangunan) as the board shows it."""

    title: str
    location: str
    volume: str
    cost: int
    progress: int


@dataclass(frozen=True)
class Board:
    """Everything a village's APBDes board says."""

    village: str
    place: str
    year: int
    pendapatan: list[Row]
    belanja: list[Row]
    pembiayaan: list[Row]
    projects: list[Project]
    footer: str

    def totals(self) -> dict[str, int]:
        """Return pendapatan, belanja, surplus and net pembiayaan (budget after perubahan)."""
        income = sum(r.planned for r in self.pendapatan)
        spending = sum(r.planned for r in self.belanja)
        return {
            "pendapatan": income,
            "belanja": spending,
            "surplus": income - spending,
            "pembiayaan": sum(-r.planned if r.outgoing else r.planned for r in self.pembiayaan),
        }


@dataclass(frozen=True)
class Text:
    """Write text with its baseline at y; x is its left, centre or right edge per align."""

    x: float
    y: float
    size: float
    text: str
    bold: bool = False
    color: str = INK
    align: str = "left"


@dataclass(frozen=True)
class Box:
    """Fill a rectangle whose top-left corner is (x, y)."""

    x: float
    y: float
    w: float
    h: float
    color: str


@dataclass
class Layout:
    """Hold a laid-out board: its operations and the height they take."""

    width: float
    height: float = 0.0
    ops: list[Text | Box] = field(default_factory=list)


def rupiah(amount: int) -> str:
    """Return amount in Rupiah as the site writes it: "Rp 1.234.567", "-Rp 20.000"."""
    return ("-" if amount < 0 else "") + "Rp " + format_rupiah(abs(amount), symbol=False)


def percent(part: int, whole: int) -> str:
    """Return part of whole as "87,5%" (Indonesian decimal comma), "—" for nothing budgeted."""
    return f"{part * 100 / whole:.1f}%".replace(".", ",") if whole else "—"


def board_layout(board: Board, *, width: float, height: float | None, measure: Measure) -> Layout:
    """Lay board out on a page width wide; with a height, shrink the type until it fits."""
    layout = _Writer(board, width, 1.0, measure).write()
    if height is None:
        return layout
    scale = 1.0
    for _attempt in range(4):
        if layout.height <= height:
            break
        scale *= height / layout.height * 0.98
        layout = _Writer(board, width, scale, measure).write()
    layout.height = height
    return layout


class _Writer:
    """Write a board top-down, keeping the current y."""

    def __init__(self, board: Board, width: float, scale: float, measure: Measure) -> None:
        self.board, self.width, self.measure = board, width, measure
        self.u = width / 100 * scale
        self.margin = width * 0.05
        self.inner = width - 2 * self.margin
        self.out = Layout(width=width)
        self.y = 0.0

    def write(self) -> Layout:
        self._header()
        self._tiles()
        self._rows("Pendapatan Desa", self.board.pendapatan)
        self._rows("Belanja Desa per Bidang", self.board.belanja)
        self._rows("Pembiayaan Desa (netto)", self.board.pembiayaan)
        self._projects()
        self._lines(self.board.footer, 2.0, color=MUTED)
        self.y += 3 * self.u
        self.out.height = self.y
        return self.out

    def _header(self) -> None:
        u, board = self.u, self.board
        top = self.y
        self.y += 3 * u
        body: list[Text] = []
        for text, size, bold in (
            (f"INFORMASI APBDes TAHUN ANGGARAN {board.year}", 3.2, True),
            (f"Pemerintah Desa {board.village}", 5.6, True),
            (board.place, 2.8, False),
        ):
            for line in self._wrap(text, size * u, bold, self.inner):
                self.y += size * u * 1.15
                body.append(Text(self.margin, self.y, size * u, line, bold, WHITE))
        self.y += 3 * u
        self.out.ops += [Box(0, top, self.width, self.y - top, BAND), *body]
        self.y += 3 * u

    def _tiles(self) -> None:
        u, totals = self.u, self.board.totals()
        gap = 2 * u
        w = (self.inner - 2 * gap) / 3
        tiles = (
            ("Pendapatan", totals["pendapatan"]),
            ("Belanja", totals["belanja"]),
            ("Surplus/Defisit" if totals["surplus"] >= 0 else "Defisit", totals["surplus"]),
        )
        top = self.y
        for n, (label, amount) in enumerate(tiles):
            x = self.margin + n * (w + gap)
            self.out.ops.append(Box(x, top, w, 11 * u, TRACK))
            self.out.ops.append(Text(x + 1.5 * u, top + 4 * u, 2.4 * u, label, True, MUTED))
            size = self._fit(rupiah(amount), 3.2 * u, True, w - 3 * u)
            self.out.ops.append(Text(x + 1.5 * u, top + 8.5 * u, size, rupiah(amount), True))
        self.y = top + 11 * u + 2 * u
        self._lines(f"Pembiayaan netto: {rupiah(totals['pembiayaan'])}", 2.4, bold=True)
        self.y += 2 * u

    def _rows(self, title: str, rows: list[Row]) -> None:
        if not rows:
            return
        u = self.u
        planned = sum(-r.planned if r.outgoing else r.planned for r in rows)
        realised = sum(-r.realised if r.outgoing else r.realised for r in rows)
        self._lines(f"{title}: {rupiah(planned)}", 4.0, bold=True)
        self._lines(f"Realisasi {rupiah(realised)} ({percent(realised, planned)})", 2.4, MUTED)
        self.y += 1.5 * u
        largest = max((max(r.planned, r.realised) for r in rows), default=0) or 1
        for row in rows:
            label = f"{row.label} (pengeluaran)" if row.outgoing else row.label
            self._lines(label, 2.6, bold=True, limit=MAX_LABEL_LINES)
            self.y += 0.8 * u
            self._bar(self.inner * row.planned / largest, self.inner * row.realised / largest)
            self.y += 3.2 * u
            self.out.ops.append(Text(self.margin, self.y, 2.6 * u, rupiah(row.planned)))
            self.out.ops.append(
                Text(
                    self.margin + self.inner,
                    self.y,
                    2.4 * u,
                    f"realisasi {rupiah(row.realised)} ({percent(row.realised, row.planned)})",
                    color=REALISED,
                    align="right",
                )
            )
            self.y += 2.4 * u
        self.y += 2 * u

    def _bar(self, planned: float, realised: float) -> None:
        u = self.u
        self.out.ops += [
            Box(self.margin, self.y, self.inner, 2.4 * u, TRACK),
            Box(self.margin, self.y, max(planned, 0), 2.4 * u, PLANNED),
            Box(self.margin, self.y + 0.6 * u, max(realised, 0), 1.2 * u, REALISED),
        ]
        self.y += 2.4 * u

    def _projects(self) -> None:
        projects = self.board.projects
        if not projects:
            return
        u = self.u
        self._lines(f"Kegiatan Pembangunan Desa ({len(projects)})", 4.0, bold=True)
        self.y += 1.5 * u
        for project in projects[:MAX_PROJECTS]:
            self._lines(project.title, 2.6, bold=True, limit=MAX_LABEL_LINES)
            detail = f"{project.location} · {project.volume} · {rupiah(project.cost)}"
            self._lines(detail, 2.4, MUTED, limit=2)
            self.y += 0.8 * u
            done = max(0, min(project.progress, 100))
            self._bar(self.inner, self.inner * done / 100)
            self.y += 3.0 * u
            self.out.ops.append(Text(self.margin, self.y, 2.4 * u, f"kemajuan {done}%"))
            self.y += 2.4 * u
        if len(projects) > MAX_PROJECTS:
            self._lines(f"dan {len(projects) - MAX_PROJECTS} kegiatan lain", 2.4, MUTED)
        self.y += 2 * u

    def _lines(
        self, text: str, size: float, color: str = INK, *, bold: bool = False, limit: int = 6
    ) -> None:
        """Write text wrapped to the inner width, at most limit lines (the last one cut)."""
        px = size * self.u
        for line in self._wrap(text, px, bold, self.inner)[:limit]:
            self.y += px * 1.2
            self.out.ops.append(Text(self.margin, self.y, px, line, bold, color))

    def _wrap(self, text: str, size: float, bold: bool, width: float) -> list[str]:
        lines: list[str] = []
        for word in text.split():
            candidate = f"{lines[-1]} {word}" if lines else word
            if lines and self.measure(candidate, size, bold) <= width:
                lines[-1] = candidate
            else:
                lines.append(word)
        return lines or [""]

    def _fit(self, text: str, size: float, bold: bool, width: float) -> float:
        wide = self.measure(text, size, bold)
        return size if wide <= width else size * width / wide
