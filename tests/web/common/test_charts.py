"""Test the server-drawn bar chart: well-formed SVG, text alternative, data table, escaping."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from django.utils import translation

from terbuka_web.common.charts.bars import BAR_MAX_PERCENT, Bar, bar_chart

SVG = "{http://www.w3.org/2000/svg}"
BARS = [
    Bar("Dinas PU Bina Marga", 12_300_000_000, "Rp 12,3 M", "?agency=pu", ("14",)),
    Bar('<script>alert("x")</script> & Co', 3_000_000_000, "Rp 3 M", "", ("2",)),
    Bar("Kosong", 0, "Rp 0", "?agency=kosong&x=1", ("0",)),
]


def _parsed(bars: list[Bar]) -> ET.Element:
    html = str(
        bar_chart(
            key="agency",
            title="Nilai per perangkat daerah",
            headers=("Perangkat daerah", "Nilai", "Proses"),
            bars=bars,
        )
    )
    # the figure must be well-formed XML: every tag closed, every & < > " escaped
    return ET.fromstring(html.replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))


def test_chart_is_an_image_named_and_described_by_its_data() -> None:
    figure = _parsed(BARS)
    svg = figure.find(f"{SVG}svg")
    assert svg is not None and svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == "Nilai per perangkat daerah"
    assert desc.text == (
        'Dinas PU Bina Marga: Rp 12,3 M; <script>alert("x")</script> & Co: Rp 3 M; Kosong: Rp 0'
    )


def test_bars_scale_to_the_largest_and_say_their_value() -> None:
    svg = _parsed(BARS).find(f"{SVG}svg")
    widths = [r.get("width") for r in svg.iter(f"{SVG}rect")]
    assert widths == [f"{BAR_MAX_PERCENT}%", "17.6%", "0.0%"]
    values = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-value"]
    assert values == ["Rp 12,3 M", "Rp 3 M", "Rp 0"]
    assert svg.get("height") == str(3 * 44) and "style" not in ET.tostring(svg).decode()


def test_data_table_has_every_row_linked_when_given() -> None:
    table = _parsed(BARS).find("details/table")
    assert [th.text for th in table.iter("th")][:3] == ["Perangkat daerah", "Nilai", "Proses"]
    rows = table.findall("tbody/tr")
    assert [[c.text for c in row.findall("td")] for row in rows] == [
        ["Rp 12,3 M", "14"],
        ["Rp 3 M", "2"],
        ["Rp 0", "0"],
    ]
    links = [a.get("href") for a in table.iter("a")]
    assert links == ["?agency=pu", "?agency=kosong&x=1"]
    assert rows[1].find("th").text == '<script>alert("x")</script> & Co'  # text, not markup


def test_names_are_escaped_and_long_ones_shortened_in_the_image() -> None:
    long_name = "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah"
    html = str(
        bar_chart(key="k", title="T <b>", headers=("a", "b"), bars=[*BARS, Bar(long_name, 1, "1")])
    )
    assert "<script>" not in html and "&lt;script&gt;" in html and "T &lt;b&gt;" in html
    svg = _parsed([*BARS, Bar(long_name, 1, "1")]).find(f"{SVG}svg")
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "chart-label"]
    assert labels[-1] == long_name[:35] + "…" and long_name in html  # whole in the table


def test_no_bars_says_so() -> None:
    with translation.override("id"):
        assert "Belum ada data." in bar_chart(key="k", title="T", headers=("a", "b"), bars=[])
