"""Pages of the red flags: the dashboard (per indicator and year), per agency, region and
supplier, one agency's trends, and the methodology. Charts are server-rendered SVG with a
text alternative and a data table (common.charts); every page says that a flag is a reason
to look, never an accusation.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from terbuka_web.accounts.models import Agency
from terbuka_web.common.charts import Bar, bar_chart, grouped_bars_figure
from terbuka_web.contracting.labels import code_label
from terbuka_web.flags import selectors, words
from terbuka_web.flags.explain import count, percent
from terbuka_web.flags.selectors import Monitoring, Rate


def _rate_chart(
    key: str, title: str, name: str, rows: Sequence[Rate], link: str = ""
) -> SafeString:
    """Return a bar chart of each row's rate, its table adding flagged and judged processes."""
    bars = [
        Bar(
            row.name or row.key,
            round(row.rate * 1000),
            percent(row.rate),
            (link + row.key + "/") if link else "",
            (f"{count(row.flagged)} / {count(row.eligible)}",),
        )
        for row in rows
    ]
    headers = (name, _("Persentase bertanda"), _("Bertanda / dinilai"))
    return bar_chart(key=key, title=title, headers=headers, bars=bars)


def _code_chart(counts: dict[str, int], search: dict[str, str]) -> SafeString:
    """Return a bar chart of flagged processes per indicator, rows linked to the search."""
    bars = [
        Bar(
            f"{code} · {code_label(code, 'flag')}",
            n,
            count(n),
            reverse("portal:home") + "?" + urlencode({**search, "tanda": code}),
        )
        for code, n in counts.items()
    ]
    headers = (_("Indikator"), _("Proses bertanda"))
    return bar_chart(
        key="indikator", title=_("Proses bertanda per indikator"), headers=headers, bars=bars
    )


def _year_figure(ident: str, overall: Sequence[Rate], single: Sequence[Rate]) -> SafeString | None:
    """Return the grouped chart per fiscal year: share flagged at all, and by R018."""
    if not overall:
        return None
    by_year = {r.key: r.rate for r in single}
    last = overall[-1]
    summary = _(
        "Tahun anggaran %(year)s: %(rate)s dari %(n)s proses yang dinilai bertanda; "
        "%(single)s hanya satu penawar."
    ) % {
        "year": last.key,
        "rate": percent(last.rate),
        "n": count(last.eligible),
        "single": percent(by_year.get(last.key, 0.0)),
    }
    return grouped_bars_figure(
        ident=ident,
        title=_("Tren per tahun anggaran (persen proses yang dinilai)"),
        summary=summary,
        series=[_("Bertanda"), _("Satu penawar (R018)")],
        groups=[(r.key, [r.rate * 100, by_year.get(r.key, 0.0) * 100]) for r in overall],
    )


def _quarter_chart(rows: Sequence[Rate]) -> SafeString:
    """Return the bar chart of the flagged share per quarter of the tender's start."""
    labelled = []
    for r in rows:
        year, quarter = r.key.split("-")
        name = _("%(year)s triwulan %(q)s") % {"year": year, "q": quarter}
        labelled.append(Rate(r.key, name, r.eligible, r.flagged))
    title = _("Tren per triwulan mulainya pemilihan")
    return _rate_chart("triwulan", title, _("Triwulan"), labelled)


def dashboard(request: HttpRequest) -> HttpResponse:
    """Render the overview: totals, flagged processes per indicator, the yearly trend."""
    totals = selectors.totals()
    context = {
        "totals": totals,
        "rate_text": percent(totals.rate),
        "code_chart": _code_chart(selectors.code_counts(), {}),
        "year_figure": _year_figure(
            "tren", selectors.trend_by_year(), selectors.trend_by_year(code="R018")
        ),
        "quarter_chart": _quarter_chart(selectors.trend_by_quarter()),
        "not_an_accusation": words.NOT_AN_ACCUSATION,
    }
    return render(request, "flags/dashboard.html", context)


def _progress_figure(by: str, rows: Sequence[Monitoring]) -> SafeString | None:
    """Return the grouped chart of each group's mean physical and financial progress (groups
    whose contracts publish neither left out), None when no group has them."""
    measured = [m for m in rows if m.measured]
    if not measured:
        return None
    ahead = sum(m.paid_ahead for m in measured)
    summary = _(
        "%(ahead)s dari %(n)s kontrak dengan kedua progres dibayar melebihi progres fisiknya."
    ) % {"ahead": count(ahead), "n": count(sum(m.measured for m in measured))}
    return grouped_bars_figure(
        ident=f"progres-{by}",
        title=_("Rata-rata progres fisik dan keuangan kontrak (persen)"),
        summary=summary,
        series=[_("Progres fisik"), _("Progres keuangan")],
        groups=[(m.name, [m.physical or 0.0, m.financial or 0.0]) for m in measured],
    )


def groups(request: HttpRequest, by: str) -> HttpResponse:
    """Render one dimension's table and chart: per agency, region or supplier (by)."""
    titles = {
        "agency": (_("Proses bertanda per perangkat daerah"), _("Perangkat daerah")),
        "region": (_("Proses bertanda per wilayah"), _("Wilayah")),
        "supplier": (_("Penyedia dengan proses bertanda terbanyak"), _("Penyedia")),
    }
    rows = selectors.rates_by_supplier() if by == "supplier" else selectors.rates_by(by)
    title, name = titles[by]
    link = reverse("flags:agencies") if by == "agency" else ""
    monitoring = (
        selectors.monitoring_by(by, timezone.localdate()) if by in selectors.GROUPINGS else []
    )
    context = {
        "by": by,
        "monitoring": monitoring,
        "progress_figure": _progress_figure(by, monitoring),
        "title": title,
        "chart": _rate_chart(by, title, name, rows, link) if rows else None,
        "not_an_accusation": words.NOT_AN_ACCUSATION,
    }
    return render(request, "flags/groups.html", context)


def agency(request: HttpRequest, code: str) -> HttpResponse:
    """Render one agency's flags: totals, per indicator (linked to the search), trends."""
    found = Agency.objects.filter(code=code).only("id", "code", "name").first()
    if found is None:
        raise Http404("perangkat daerah tidak ditemukan / agency not found")
    totals, today = selectors.totals(agency_id=found.id), timezone.localdate()
    monitoring = selectors.monitoring_of(found.id, today)
    context = {
        "agency": found,
        "totals": totals,
        "rate_text": percent(totals.rate),
        "code_chart": _code_chart(selectors.code_counts(agency_id=found.id), {"agency": code}),
        "year_figure": _year_figure(
            "tren",
            selectors.trend_by_year(agency_id=found.id),
            selectors.trend_by_year(agency_id=found.id, code="R018"),
        ),
        "quarter_chart": _quarter_chart(selectors.trend_by_quarter(agency_id=found.id)),
        "not_an_accusation": words.NOT_AN_ACCUSATION,
        "monitoring": monitoring,
        "late": selectors.late_processes(found.id, today),
    }
    if monitoring.contracts:  # physical against financial progress (issue 15 part 3)
        context["progress"] = selectors.contract_progress(found.id)
    return render(request, "flags/agency.html", context)


def methodology(request: HttpRequest) -> HttpResponse:
    """Render every indicator: what it measures, its settings, data needed, limits."""
    context = {"indicators": words.indicators(), "not_an_accusation": words.NOT_AN_ACCUSATION}
    return render(request, "flags/methodology.html", context)
