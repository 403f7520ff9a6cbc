"""The APBDes board layout: Rupiah the Indonesian way, a fixed page always fits its content."""

from __future__ import annotations

from terbuka.budget.poster import Board, Box, Project, Row, Text, board_layout, percent, rupiah


def _measure(text: str, size: float, bold: bool) -> float:
    return len(text) * size * (0.65 if bold else 0.6)


def _board(rows: int, projects: int) -> Board:
    return Board(
        village="Ngraho",
        place="Kecamatan Ngraho, Kabupaten Bojonegoro",
        year=2026,
        pendapatan=[Row(f"Pendapatan {n}", 100_000_000 * (n + 1), 50_000_000) for n in range(rows)],
        belanja=[Row(f"{n}. Bidang", 90_000_000, 80_000_000) for n in range(1, 6)],
        pembiayaan=[
            Row("SiLPA", 60_000_000, 60_000_000),
            Row("Penyertaan Modal Desa", 25_000_000, 0, outgoing=True),
        ],
        projects=[
            Project(f"Jalan {n}", "Dusun Krajan", "350 m x 3 m", 1, 40) for n in range(projects)
        ],
        footer="Sumber",
    )


def test_rupiah_and_percent_are_written_the_indonesian_way() -> None:
    assert rupiah(1_250_000_000) == "Rp 1.250.000.000"
    assert rupiah(-20_000) == "-Rp 20.000"
    assert rupiah(0) == "Rp 0"
    assert percent(875, 1000) == "87,5%"
    assert percent(1, 0) == "—"


def test_totals_subtract_outgoing_financing() -> None:
    totals = _board(2, 0).totals()
    assert totals["pendapatan"] == 300_000_000
    assert totals["belanja"] == 450_000_000
    assert totals["surplus"] == -150_000_000
    assert totals["pembiayaan"] == 35_000_000


def test_a_fixed_page_shrinks_a_long_board_to_fit() -> None:
    height = 2383.0
    small = board_layout(_board(3, 1), width=1684.0, height=height, measure=_measure)
    long = board_layout(_board(20, 40), width=1684.0, height=height, measure=_measure)
    for layout in (small, long):
        assert layout.height == height
        bottoms = [op.y + op.h if isinstance(op, Box) else op.y for op in layout.ops]
        assert max(bottoms) <= height
    sizes = [op.size for op in long.ops if isinstance(op, Text)]
    assert max(sizes) < max(op.size for op in small.ops if isinstance(op, Text))
    texts = " ".join(op.text for op in long.ops if isinstance(op, Text))
    assert "dan 28 kegiatan lain" in texts  # projects past the twelfth are counted, not drawn


def test_a_phone_board_grows_with_its_content() -> None:
    short = board_layout(_board(1, 0), width=1080.0, height=None, measure=_measure)
    long = board_layout(_board(10, 5), width=1080.0, height=None, measure=_measure)
    assert 1080 < short.height < long.height
    texts = [op.text for op in long.ops if isinstance(op, Text)]
    assert "Pemerintah Desa Ngraho" in texts
    assert "Penyertaan Modal Desa (pengeluaran)" in texts
    assert "Pembiayaan Desa (netto): Rp 35.000.000" in " ".join(texts)  # wrapped at the width
