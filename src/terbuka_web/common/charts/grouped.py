"""Render small accessible charts as inline SVG on the server: no JavaScript, no inline style.

Colours come from the stylesheet through classes (the Content-Security-Policy forbids style
attributes); every chart names itself (title, desc) and comes with a data table of the same
numbers, so a screen reader, a text browser and a printout all get the figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH = 320  # viewBox units: about one CSS pixel on a 360 px phone
LABEL_HEIGHT = 18
BAR_HEIGHT = 16
GROUP_GAP = 10
VALUE_SPACE = 44  # room right of a bar for its value


def grouped_bars_figure(
    *,
    ident: str,
    title: str,
    summary: str,
    series: Sequence[str],
    groups: Sequence[tuple[str, Sequence[float]]],
    maximum: float = 100.0,
    unit: str = "%",
) -> SafeString:
    """Return a <figure> of horizontal bars, one group per (label, values), one bar per
    series (styled by the classes chart-s0, chart-s1…), followed by the same data as a table.

    ident makes the element ids unique on the page; summary is the text alternative (the
    chart's <desc> and the figure's caption). Values are clamped to 0..maximum for drawing,
    shown as they are. Example: grouped_bars_figure(ident="p", title="Progres",
    summary="Fisik 60 %, keuangan 40 %", series=["Fisik", "Keuangan"],
    groups=[("Laporan 1", [60, 40])]).
    """
    e = escape
    height = LABEL_HEIGHT + len(groups) * (LABEL_HEIGHT + len(series) * BAR_HEIGHT + GROUP_GAP)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" focusable="false">',
        f'<title id="{ident}-title">{e(title)}</title><desc id="{ident}-desc">{e(summary)}</desc>',
    ]
    x = 0
    for n, name in enumerate(series):  # legend
        parts.append(f'<rect class="chart-s{n}" x="{x}" y="3" width="12" height="12"/>')
        parts.append(f'<text x="{x + 16}" y="13">{e(name)}</text>')
        x += 24 + 7 * len(name)
    y = LABEL_HEIGHT
    span = WIDTH - VALUE_SPACE
    for label, values in groups:
        parts.append(f'<text class="chart-label" x="0" y="{y + 13}">{e(label)}</text>')
        y += LABEL_HEIGHT
        for n, value in enumerate(values):
            length = round(span * min(max(value, 0.0), maximum) / maximum, 1) if maximum else 0
            parts.append(
                f'<rect class="chart-s{n}" x="0" y="{y + 2}" width="{length}" '
                f'height="{BAR_HEIGHT - 4}"/>'
                f'<text x="{length + 4}" y="{y + 12}">{_number(value)}{e(unit)}</text>'
            )
            y += BAR_HEIGHT
        y += GROUP_GAP
    parts.append("</svg>")
    return mark_safe(  # every text is escaped above; numbers are formatted here
        f'<figure class="chart-figure" aria-labelledby="{ident}-caption">'
        f'<figcaption id="{ident}-caption">{e(title)}</figcaption>'
        + "".join(parts)
        + _table(title, summary, series, groups, unit)
        + "</figure>"
    )


def _table(
    title: str,
    summary: str,
    series: Sequence[str],
    groups: Sequence[tuple[str, Sequence[float]]],
    unit: str,
) -> str:
    """Return the chart's data as an HTML table (caption: title and summary)."""
    e = escape
    head = "".join(f'<th scope="col">{e(name)}</th>' for name in series)
    rows = "".join(
        f'<tr><th scope="row">{e(label)}</th>'
        + "".join(f"<td>{_number(v)}{e(unit)}</td>" for v in values)
        + "</tr>"
        for label, values in groups
    )
    return (
        f'<table class="chart-data"><caption>{e(title)}: {e(summary)}</caption>'
        f"<thead><tr><td></td>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def _number(value: float) -> str:
    """Return value with at most one decimal, Indonesian comma: 12.5 → "12,5", 40.0 → "40"."""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}".replace(".", ",")
