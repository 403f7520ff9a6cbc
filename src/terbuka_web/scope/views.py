"""Views of the coverage pages at /cakupan/: obligatory publication per phase and agency."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from terbuka_web.accounts.models import Agency
from terbuka_web.common.charts import grouped_bars_figure
from terbuka_web.scope import selectors


@require_safe
def coverage(request: HttpRequest) -> HttpResponse:
    """Show per phase and agency: obligatory processes, stages on time, late and missing."""
    phases = selectors.coverage()
    series = [_("Tepat waktu"), _("Terlambat"), _("Hilang")]
    groups = [(p.label, [p.total.on_time, p.total.late, p.total.missing]) for p in phases]
    chart = None
    if groups:
        chart = grouped_bars_figure(
            ident="cakupan",
            title=_("Tahap wajib per fase"),
            summary="; ".join(
                f"{label}: {v[0]} {series[0]}, {v[1]} {series[1]}, {v[2]} {series[2]}"
                for label, v in groups
            ),
            series=series,
            groups=groups,
            maximum=float(max(max(v) for _l, v in groups) or 1),
            unit="",
        )
    context = {
        "phases": phases,
        "chart": chart,
        "now": selectors.scope_in_force(),
        "next": selectors.scope_next(),
        "versions": list(selectors.scope_versions()),
    }
    return render(request, "scope/coverage.html", context)


@require_safe
def agency(request: HttpRequest, code: str) -> HttpResponse:
    """List an agency's obligatory stages published late or still missing past their deadline."""
    found = get_object_or_404(Agency, code=code[:80])
    items = list(selectors.agency_overdue(found)[:500])
    return render(request, "scope/agency.html", {"agency": found, "items": items})
