"""Pages of the openness index: the ranking per agency or region (/keterbukaan/), one agency's
components and trend (/keterbukaan/<agency>/) and its embeddable badge (lencana.svg).

Every component is shown with its raw numerator and denominator and its weight; a component
without data is named as left out, never shown as zero (terbuka.openness).
"""

from __future__ import annotations

from html import escape

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from terbuka.openness import WEIGHTS, Index
from terbuka_web.accounts.models import Agency
from terbuka_web.common.charts import Bar, bar_chart, grouped_bars_figure
from terbuka_web.openness import selectors
from terbuka_web.openness.selectors import Scored

LABELS = {
    "coverage": gettext_lazy("Cakupan publikasi wajib"),
    "completeness": gettext_lazy("Kelengkapan lima tahap"),
    "timeliness": gettext_lazy("Ketepatan waktu"),
    "documents": gettext_lazy("Dokumen terlampir"),
    "flags": gettext_lazy("Bebas tanda bahaya"),
    "complaints": gettext_lazy("Tindak lanjut laporan warga"),
    "satisfaction": gettext_lazy("Kepuasan warga"),
}
BADGE_MAX_AGE = 3600


def _score_text(score: float | None) -> str:
    return _("tanpa data") if score is None else number_format(score, decimal_pos=1)


def period_label(period: str) -> str:
    """Return a period as people read it: "2026" or "2026 triwulan 3" (English "2026 Q3")."""
    if "-Q" not in period:
        return period
    year, quarter = period.split("-Q")
    return _("%(year)s triwulan %(q)s") % {"year": year, "q": quarter}


def _period_of(request: HttpRequest, known: list[str], default: str | None) -> str | None:
    """Return the asked period (?periode=2026-Q3, or the older ?tahun=2026) when it has an
    index, else default."""
    raw = request.GET.get("periode", "") or request.GET.get("tahun", "")
    return raw if raw in known else default


def _components(found: Index) -> list[dict[str, object]]:
    """Return one row per component of WEIGHTS: label, weight, counts, score (None: left out)."""
    by_key = {c.key: c for c in found.components}
    rows = []
    for key, weight in WEIGHTS.items():
        c = by_key.get(key)
        rows.append(
            {
                "key": key,
                "label": LABELS[key],
                "weight": weight,
                "numerator": c.numerator if c else None,
                "denominator": c.denominator if c else 0,
                "score": _score_text(c.score if c else None),
                "missing": c is None or c.score is None,
            }
        )
    return rows


def _ranking_chart(rows: list[Scored], by: str, period: str) -> SafeString:
    link = reverse("openness:ranking") if by == "agency" else ""
    bars = [
        Bar(
            r.name,
            round((r.index.score or 0) * 10),
            _score_text(r.index.score),
            f"{link}{r.key}/?periode={period}" if link else "",
            (f"{len(WEIGHTS) - len(r.index.missing)} / {len(WEIGHTS)}",),
        )
        for r in rows
    ]
    name = _("Perangkat daerah") if by == "agency" else _("Wilayah")
    title = _("Indeks keterbukaan %(year)s (0–100)") % {"year": period_label(period)}
    headers = (name, _("Skor"), _("Komponen dengan data"))
    return bar_chart(key=f"indeks-{by}", title=title, headers=headers, bars=bars)


def ranking(request: HttpRequest) -> HttpResponse:
    """Render the ranking of one period (fiscal year or quarter) per agency and per region."""
    known = selectors.periods()
    period = _period_of(request, known, known[0] if known else None)
    charts = {}
    if period is not None:
        year, quarter = int(period[:4]), int(period[-1]) if "-Q" in period else None
        for by in ("agency", "region"):
            rows = selectors.ranking(year=year, quarter=quarter, by=by)
            charts[by] = _ranking_chart(rows, by, period) if rows else None
    context = {
        "period": period,
        "period_label": period_label(period) if period else "",
        "periods": [(p, period_label(p), "-Q" in p) for p in known],
        "charts": charts,
        "weights": [(LABELS[k], w) for k, w in WEIGHTS.items()],
    }
    return render(request, "openness/ranking.html", context)


def _trend_figure(trend: list[Scored], by: str) -> SafeString | None:
    """Return the grouped chart of the score per fiscal year (by=YEAR) or quarter (periods
    without a score left out; each period's components are on the page of that period)."""
    scored = [s for s in trend if s.index.score is not None]
    if not scored:
        return None
    last = scored[-1]
    summary = _("%(period)s: skor %(score)s.") % {
        "period": period_label(last.period),
        "score": _score_text(last.index.score),
    }
    yearly = by == selectors.YEAR
    return grouped_bars_figure(
        ident="tren-keterbukaan" if yearly else "tren-keterbukaan-triwulan",
        title=_("Tren per tahun anggaran (0–100)") if yearly else _("Tren per triwulan (0–100)"),
        summary=summary,
        series=[_("Skor")],
        groups=[(period_label(s.period), [s.index.score or 0.0]) for s in scored],
        unit="",
    )


def agency(request: HttpRequest, code: str) -> HttpResponse:
    """Render one agency's index of a period: each component with its counts, and the trends
    per year and per quarter."""
    found = Agency.objects.filter(code=code).only("id", "code", "name").first()
    if found is None:
        raise Http404("perangkat daerah tidak ditemukan / agency not found")
    trend = selectors.agency_trend(code)
    quarters = selectors.agency_trend(code, by=selectors.QUARTER)
    known = [s.period for s in trend + quarters]
    period = _period_of(request, known, trend[-1].period if trend else None)
    current = next((s for s in trend + quarters if s.period == period), None)
    newest_first = [s.period for s in reversed(trend)] + [s.period for s in reversed(quarters)]
    context = {
        "agency": found,
        "period": period,
        "period_label": period_label(period) if period else "",
        "periods": [(p, period_label(p), "-Q" in p) for p in newest_first],
        "score": _score_text(current.index.score) if current else None,
        "components": _components(current.index) if current else [],
        "trend_figure": _trend_figure(trend, selectors.YEAR),
        "quarter_figure": _trend_figure(quarters, selectors.QUARTER),
    }
    if trend:  # the badge shows the newest fiscal year
        context["embed_code"] = _embed_code(request, found, trend[-1])
        context["badge_score"] = _score_text(trend[-1].index.score)
    return render(request, "openness/agency.html", context)


def _embed_code(request: HttpRequest, found: Agency, current: Scored) -> str:
    """Return the HTML to paste on the agency's site: the badge linked to its page, with an
    alt text naming the agency, the year and the score (docs/openness.md)."""
    page = request.build_absolute_uri(reverse("openness:agency", args=[found.code]))
    image = request.build_absolute_uri(reverse("openness:badge", args=[found.code]))
    alt = _("Indeks keterbukaan %(name)s %(year)s: %(score)s / 100") % {
        "name": found.name,
        "year": current.year,
        "score": _score_text(current.index.score),
    }
    return (
        f'<a href="{escape(page)}"><img src="{escape(image)}" alt="{escape(alt)}" '
        'width="190" height="20"></a>'
    )


def badge(request: HttpRequest, code: str) -> HttpResponse:
    """Answer a small SVG badge with the agency's latest score and its year (cacheable)."""
    trend = selectors.agency_trend(code)
    if not trend or not Agency.objects.filter(code=code).exists():
        raise Http404("perangkat daerah tidak ditemukan / agency not found")
    last = trend[-1]
    score = "—" if last.index.score is None else f"{last.index.score:.0f}"
    label = f"Indeks keterbukaan {last.year}: {score}/100"
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="190" height="20" role="img" '
        f'aria-label="{escape(label)}"><title>{escape(label)}</title>'
        '<rect width="130" height="20" fill="#1f2933"/>'
        '<rect x="130" width="60" height="20" fill="#0b5cad"/>'
        '<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">'
        f'<text x="6" y="14">Keterbukaan {last.year}</text>'
        f'<text x="136" y="14">{escape(score)}/100</text></g></svg>'
    )
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = f"public, max-age={BADGE_MAX_AGE}"
    return response
