"""The tiny PDF writer: golden structure, pypdf parses it strictly, text survives, fuzzed."""

from __future__ import annotations

import io
import warnings

import pypdf
from hypothesis import given, settings
from hypothesis import strategies as st

from terbuka_web.common.demo.documents import rupiah
from terbuka_web.common.demo.pdf import pdf_render


def parse(data: bytes) -> pypdf.PdfReader:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return pypdf.PdfReader(io.BytesIO(data), strict=True)


def test_golden_structure() -> None:
    data = pdf_render(title="KAK", lines=["Latar belakang"], subject="uji")
    assert data.startswith(b"%PDF-1.4\n")
    assert data.endswith(b"%%EOF\n")
    assert data == pdf_render(title="KAK", lines=["Latar belakang"], subject="uji")
    startxref = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert data[startxref:].startswith(b"xref\n0 8\n")
    reader = parse(data)
    assert len(reader.pages) == 1
    assert reader.metadata is not None and reader.metadata.title == "KAK"
    assert reader.pages[0].extract_text().splitlines()[:2] == ["KAK", "Latar belakang"]


def test_long_text_flows_onto_pages_and_escapes() -> None:
    lines = [f"Baris {i}: (kurung) \\ garis miring terbalik, café" for i in range(130)]
    reader = parse(pdf_render(title="Jadwal", lines=lines))
    assert len(reader.pages) == 3
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Baris 129: (kurung) \\ garis miring terbalik, café" in text
    assert "Halaman 3 dari 3" in text


def test_rupiah() -> None:
    assert rupiah(1_500_000) == "Rp1.500.000"
    assert rupiah(0) == "Rp0"


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=60), st.lists(st.text(max_size=200), max_size=70))
def test_any_text_renders_a_parseable_pdf(title: str, lines: list[str]) -> None:
    reader = parse(pdf_render(title=title, lines=lines))
    assert len(reader.pages) >= 1
    for page in reader.pages:
        page.extract_text()
