"""Charts drawn on the server: inline SVG that needs no script nor inline style (CSP), each
with a text alternative for screen readers and the same numbers as a data table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

BAR_ROW_PX = 44  # a label line, then the bar with its value beside it
BAR_PX = 14
BAR_MAX_PERCENT = 72.0  # the rest of the width holds the value written after the longest bar
LABEL_MAX_CHARS = 36  # fits a 320 px screen at 13 px; the table holds the whole label
BAR_FILL = "#0b5cad"  # a presentation attribute, overridable by CSS (.chart-bar)
TEXT_FILL = "#1f2933"
TABLE_CLASSES = "chart-table usa-table usa-table--borderless usa-table--compact"  # docs/design.md


@dataclass(frozen=True)
class Bar:
    """Describe one bar: its label, the value that sets its length and that value written out,
    an optional link for its table row, and optional further table cells."""

    label: str
    value: int
    text: str
    href: str = ""
    extra: tuple[str, ...] = ()


def _short(label: str) -> str:
    return label if len(label) <= LABEL_MAX_CHARS else label[: LABEL_MAX_CHARS - 1] + "…"


def _svg_rows(bars: Sequence[Bar]) -> str:
    """Return the SVG groups of bars: label above, bar scaled to the largest, value after."""
    largest = max((b.value for b in bars), default=0)
    rows = []
    for i, bar in enumerate(bars):
        top = i * BAR_ROW_PX
        share = max(bar.value, 0) / largest if largest > 0 else 0.0
        width = round(BAR_MAX_PERCENT * share, 1) if share else 0.0
        if share and width < 0.5:
            width = 0.5  # a value above zero is never invisible
        rows.append(
            f'<g class="chart-row"><text class="chart-label" x="0" y="{top + 14}" '
            f'fill="{TEXT_FILL}">{escape(_short(bar.label))}</text>'
            f'<rect class="chart-bar" x="0" y="{top + 20}" width="{width}%" height="{BAR_PX}" '
            f'rx="2" fill="{BAR_FILL}"></rect>'
            f'<text class="chart-value" x="{width + 1.5}%" y="{top + 32}" '
            f'fill="{TEXT_FILL}">{escape(bar.text)}</text></g>'
        )
    return "".join(rows)


def _table(caption: str, headers: Sequence[str], bars: Sequence[Bar]) -> str:
    """Return the data table of bars: a row header (linked when href), the value, the extras."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = []
    for bar in bars:
        label = escape(bar.label)
        if bar.href:
            label = f'<a href="{escape(bar.href)}">{label}</a>'
        cells = "".join(f'<td class="num">{escape(c)}</td>' for c in (bar.text, *bar.extra))
        body.append(f'<tr><th scope="row">{label}</th>{cells}</tr>')
    return (
        f'<table class="{TABLE_CLASSES}"><caption>{escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def bar_chart(*, key: str, title: str, headers: Sequence[str], bars: Sequence[Bar]) -> SafeString:
    """Return a horizontal bar chart of bars as an HTML figure: an SVG image named by title and
    described by every label and value (its text alternative), and a data table of the same
    rows behind a "Tabel data" toggle; headers name the table's columns (label, value, extras).

    key makes the element ids unique on the page (letters, digits, hyphens). Every label and
    text is escaped. The SVG has no viewBox: bar lengths are percentages of the width it is
    given and text keeps its size, so it fits any screen from 320 px up.
    Example: bar_chart(key="year", title="Nilai per tahun", headers=("Tahun", "Nilai"),
    bars=[Bar("2025", 12_300_000_000, "Rp 12,3 M")]).
    """
    if not bars:
        empty = _("Belum ada data.")
        return mark_safe(f'<p class="chart-empty muted">{escape(empty)}</p>')
    ids = f"chart-{escape(key)}"
    described = "; ".join(f"{b.label}: {b.text}" for b in bars)
    height = len(bars) * BAR_ROW_PX
    svg = (
        f'<svg class="chart-svg" role="img" width="100%" height="{height}" '
        f'aria-labelledby="{ids}-title {ids}-desc" focusable="false">'
        f'<title id="{ids}-title">{escape(title)}</title>'
        f'<desc id="{ids}-desc">{escape(described)}</desc>{_svg_rows(bars)}</svg>'
    )
    table = _table(title, headers, bars)
    toggle = escape(_("Tabel data"))
    return mark_safe(  # every label, text, header and link is escaped above
        f'<figure class="chart" id="{ids}"><figcaption>{escape(title)}</figcaption>{svg}'
        f'<details class="chart-data"><summary>{toggle}</summary>{table}</details></figure>'
    )
