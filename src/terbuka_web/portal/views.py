"""Views of the portal app: search, the process page, its record download, completeness."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from html import escape
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from terbuka.errors import ValidationError
from terbuka.flags.registry import LOCAL_CODES
from terbuka_web.api import selectors as ocds
from terbuka_web.common.charts import Bar, bar_chart, grouped_bars_figure
from terbuka_web.contracting.labels import code_label
from terbuka_web.contracting.models import Method, Process
from terbuka_web.federation.selectors import harvested_processes
from terbuka_web.flags.explain import process_flags_explained
from terbuka_web.flags.words import NOT_AN_ACCUSATION
from terbuka_web.portal import selectors, story
from terbuka_web.portal.links import ocid_link_maker
from terbuka_web.portal.templatetags.terbuka import rupiah, rupiah_short
from terbuka_web.scope import selectors as scope_selectors

PAGE_SIZE = 20


# The search form's labels of the query parameters, to name a refused filter.
FILTER_LABELS = {
    "q": gettext_lazy("Kata kunci"),
    "agency": gettext_lazy("Perangkat daerah"),
    "stage": gettext_lazy("Tahap tercapai"),
    "year": gettext_lazy("Tahun anggaran"),
    "method": gettext_lazy("Metode pemilihan"),
    "value_min": gettext_lazy("Nilai minimum (Rp)"),
    "value_max": gettext_lazy("Nilai maksimum (Rp)"),
    "sort": gettext_lazy("Urutkan"),
    "tanda": gettext_lazy("Tanda bahaya"),
}


def home(request: HttpRequest) -> HttpResponse:
    """Render the search form and one page of matching published processes.

    The page's body (portal/_search_body.html: form, overview, results, pager) depends only
    on the query, the page, the language and the publication stamp, so it is kept in the
    search cache (selectors.cached_html) and a repeated search renders only the frame.
    """
    error = None
    try:
        filters = selectors.filters_parse(request.GET)
    except ValidationError as exc:
        error, filters = exc, selectors.ProcessFilters()
    page, paginator = None, None
    if error is None:
        paginator = selectors.SearchPaginator(filters, PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query_text = query.urlencode()

    def body() -> str:
        return _search_body(filters, error, page, query_text)

    if paginator is None or page is None:
        html = body()
    else:
        html = selectors.cached_html(
            f"{paginator.key}:{page.number}:{get_language()}:{query_text}", body
        )
    context = {"body": mark_safe(html), "page": page, "filters": filters}  # rendered escaped
    return render(request, "portal/search.html", context, status=400 if error else 200)


def _search_body(
    filters: selectors.ProcessFilters,
    error: ValidationError | None,
    page: Any,
    query: str,
) -> str:
    """Render portal/_search_body.html (without the request: nothing per user in it)."""
    rows = _result_rows(page.object_list) if page is not None else []
    landing = error is None and not filters.active() and page is not None and page.number == 1
    context = {
        **(_overview_context() if landing else {}),
        "filters": filters,
        "error": error,
        "error_text": _error_text(error),
        "error_field": FILTER_LABELS.get(error.where, error.where) if error else "",
        "page": page,
        "rows": rows,
        "results_html": _results_html(rows),
        "harvested": harvested_processes(q=filters.q, limit=10)
        if error is None and filters.q
        else [],
        "query": query,
        "agency_options": _options_html(
            ((a.code, a.name) for a in selectors.agency_options()), filters.agency
        ),
        "stage_options": _options_html(selectors.STAGE_LABELS.items(), filters.stage),
        "method_options": _options_html(Method.choices, filters.method),
        "flag_options": _options_html(
            ((code, f"{code} · {code_label(code, 'flag')}") for code in LOCAL_CODES), filters.flag
        ),
        "sort_options": _options_html(
            selectors.SORTS.items(), filters.sort or ("relevance" if filters.q else "newest")
        ),
    }
    return render_to_string("portal/_search_body.html", context)


def _overview_context() -> dict[str, object]:
    """Return the home page's overview (template portal/_overview.html): totals, four charts
    and the recent publications, labels in the current language."""
    found = selectors.overview()
    methods = {**dict(Method.choices), "": _("Belum ditentukan")}
    agencies = {"": _("Pembeli lain (data impor)"), selectors.OTHERS: _("Lainnya")}
    value, processes = _("Nilai"), _("Proses")
    link = ocid_link_maker("portal:process")
    charts = [
        (
            _("Nilai per perangkat daerah"),
            "agency",
            found.by_agency,
            agencies,
            _("Perangkat daerah"),
        ),
        (_("Nilai per metode pemilihan"), "method", found.by_method, methods, _("Metode")),
        (
            _("Proses per tahap tercapai"),
            "stage",
            found.by_stage,
            selectors.STAGE_LABELS,
            _("Tahap"),
        ),
        (_("Nilai per tahun anggaran"), "year", found.by_year, {}, _("Tahun")),
    ]
    return {
        "overview": found,
        "overview_value": rupiah_short(found.value),
        "overview_years": "–".join(dict.fromkeys([found.by_year[0].key, found.by_year[-1].key]))
        if found.by_year
        else "—",
        "charts": [
            bar_chart(
                key=param,
                title=title,
                headers=(name, processes, value) if param == "stage" else (name, value, processes),
                bars=_chart_bars(slices, param, labels, by_count=param == "stage"),
            )
            for title, param, slices, labels, name in charts
        ],
        "recent": [{"release": r, "url": link(r.ocid), "stage": r.stage} for r in found.recent],
    }


def _chart_bars(
    slices: list[selectors.Slice], param: str, labels: Mapping[str, object], *, by_count: bool
) -> list[Bar]:
    """Return a bar per slice, long by value (or by count), its table row linked to the search
    filtered on it (?param=key) and showing the other measure."""
    bars = []
    for s in slices:
        label = str(labels.get(s.key, s.label or "—"))
        if s.members > 1:
            label += f" ({s.members})"
        count, money = number_format(s.processes, force_grouping=True), rupiah_short(s.value)
        href = "?" + urlencode({param: s.key}) if s.key not in ("", selectors.OTHERS) else ""
        if by_count:
            bars.append(Bar(label, s.processes, count, href, (money,)))
        else:
            bars.append(Bar(label, s.value, money, href, (count,)))
    return bars


def _result_rows(processes: Iterable[dict[str, Any]]) -> list[dict[str, object]]:
    """Return what each search result row (selectors.LIST_FIELDS) shows, computed once."""
    methods = {code: str(label) for code, label in Method.choices}  # translate once, not per row
    stages = {code: str(label) for code, label in selectors.STAGE_LABELS.items()}
    link = ocid_link_maker("portal:process")
    return [
        {
            "ocid": p["ocid"],
            "url": link(p["ocid"]),
            "title": p["title"],
            "agency": p["agency__name"] or p["buyer_name"],
            "year": p["fiscal_year"],
            "method": methods.get(p["method"], "—"),
            "stage": stages.get(p["stage_reached"], "—"),
            "value": rupiah(p["value_idr"]),
        }
        for p in processes
    ]


def _results_html(rows: list[dict[str, object]]) -> SafeString:
    """Render the result list items in one pass (a template loop costs ~5 ms per page).

    Every value goes through html.escape; the labels are translated once per page.
    """
    labels = [_("Tahun"), _("Metode"), _("Tahap"), _("Nilai")]
    keys = ("year", "method", "stage", "value")
    parts = []
    for row in rows:
        e = {key: escape(str(value)) for key, value in row.items()}
        e["stage"] = f'<span class="usa-tag tb-tag--info">{e["stage"]}</span>'
        facts = "".join(
            f"<div><dt>{escape(label)}</dt><dd>{e[key]}</dd></div>"
            for label, key in zip(labels, keys, strict=True)
        )
        parts.append(
            f'<li class="result tb-card">\n    <h3><a href="{e["url"]}">{e["title"]}</a></h3>\n'
            f'    <p class="tb-card__meta">{e["agency"]}</p>\n'
            f'    <dl class="facts">{facts}</dl>\n'
            f'    <p class="ocid">{e["ocid"]}</p>\n  </li>\n'
        )
    return mark_safe("".join(parts))  # every value is escaped above


def _options_html(choices: Iterable[tuple[str, object]], selected: str) -> SafeString:
    """Render <option> elements for (value, label) choices, marking selected; escapes both."""
    return mark_safe(  # values and labels are escaped here
        "".join(
            f'<option value="{escape(code)}"{" selected" if code == selected else ""}>'
            f"{escape(str(label))}</option>"
            for code, label in choices
        )
    )


def _error_text(error: ValidationError | None) -> str:
    if error is None:
        return ""
    return error.message_en if get_language() == "en" else error.message_id


def _process_or_404(ocid: str) -> Process:
    process = selectors.process_public_get(ocid)
    if process is None:
        raise Http404("proses tidak ditemukan / process not found")
    return process


def process_detail(request: HttpRequest, ocid: str) -> HttpResponse:
    """Render one published process: its story (releases, lifecycle, implementation), facts,
    suppliers, documents and log receipt."""
    process = _process_or_404(ocid)
    timeline = selectors.process_timeline(process)
    found = story.process_story(process, story.release_rows(process))
    state = found.state
    contract_value = selectors.process_values(process)["contract"]
    paid = sum(p.amount for p in story.payments(state))
    context = {
        "process": process,
        "timeline": timeline,
        "missing": [s for s in timeline if not s.published],
        "values": selectors.process_values(process),
        "suppliers": selectors.process_suppliers(process),
        "documents": selectors.process_documents(process),
        "method_label": dict(Method.choices).get(process.method, process.method),
        "scope": getattr(process, "scope", None),
        "stage_dues": scope_selectors.process_stage_statuses(process),
        "log_index": found.steps[-1].log_index if found.steps else None,
        "steps": list(reversed(found.steps)),
        "releases_total": len(found.steps),
        "state": state,
        "items": story.tender_items(state),
        "amendments": story.amendments(state),
        "milestones": story.milestones(state, timezone.localdate()),
        "payments": story.payments(state),
        "paid": paid,
        "paid_percent": story.percent_of(paid, contract_value),
        "progress_chart": _progress_chart(found.progress),
        "physical": found.progress[-1][1] if found.progress else None,
        "flags": process_flags_explained(process.pk, process.compiled_release or {}),
        "not_an_accusation": NOT_AN_ACCUSATION,
        "budget_lines": _budget_lines(process),
    }
    return render(request, "portal/process.html", context)


def _budget_lines(process: Process) -> list[dict[str, Any]]:
    """Return the APBD lines the planning release published (budget.budgetBreakdown), each
    with its classifications and the measures (dpa, perubahan, realisasi) at publication."""
    budget = (process.compiled_release or {}).get("planning", {}).get("budget", {})
    parts = budget.get("budgetBreakdown") if isinstance(budget, dict) else None
    if not isinstance(parts, list):
        return []
    return [p for p in parts if isinstance(p, dict) and isinstance(p.get("measures"), dict)]


def _progress_chart(progress: list[tuple[str, int | None, float | None]]) -> SafeString | None:
    """Return the chart of physical against financial progress per implementation report."""
    if not progress:
        return None
    groups = [
        (_("Laporan rilis ke-%(n)s") % {"n": n}, [float(phys or 0), float(fin or 0)])
        for n, phys, fin in progress
    ]
    _n, physical, financial = progress[-1]
    summary = _(
        "Laporan terakhir: progres fisik %(physical)s%%, progres keuangan (dibayar dibanding "
        "nilai kontrak) %(financial)s%%."
    ) % {"physical": _figure(physical), "financial": _figure(financial)}
    return grouped_bars_figure(
        ident="progres",
        title=_("Progres fisik dan keuangan"),
        summary=summary,
        series=[_("Fisik"), _("Keuangan")],
        groups=groups,
    )


def _figure(value: float | None) -> str:
    """Return a percentage figure in the active language's format, "—" when unknown."""
    return "—" if value is None else number_format(value)


def release_json(request: HttpRequest, ocid: str, release_id: str) -> HttpResponse:
    """Return one release of a process exactly as published (OCDS 1.1.5 release JSON)."""
    process = _process_or_404(ocid)
    release = process.releases.filter(release_id=release_id).first()
    if release is None:
        raise Http404("rilis tidak ditemukan / release not found")
    response = HttpResponse(
        json.dumps(release.data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'inline; filename="{_safe_name(release_id)}.json"'
    return response


def _safe_name(text: str) -> str:
    """Return text with only letters, digits, dot, dash and underscore (a file name)."""
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "._-") else "_" for ch in text)


def process_diff(request: HttpRequest, ocid: str) -> HttpResponse:
    """Render what changed in a process between the states after two of its releases
    (?dari=<release id>&ke=<release id>; the last two by default)."""
    process = _process_or_404(ocid)
    releases = story.release_rows(process)
    found = story.process_story(process, releases)
    ids = [s.release_id for s in found.steps]
    from_id = request.GET.get("dari") or (ids[-2] if len(ids) > 1 else ids[0])
    to_id = request.GET.get("ke") or ids[-1]
    context: dict[str, Any] = {
        "process": process,
        "steps": found.steps,
        "from_id": from_id,
        "to_id": to_id,
    }
    try:
        diff, before, after = story.states_diff(found, from_id, to_id)
    except ValidationError as exc:
        context["error_text"] = _error_text(exc)
        return render(request, "portal/diff.html", context, status=400)
    by_id = {s.release_id: s for s in found.steps}
    context.update(
        {
            "compared": [by_id[from_id], by_id[to_id]],
            "lines": story.change_lines(diff, before, after),
            "documents": story.document_lines(diff),
        }
    )
    return render(request, "portal/diff.html", context)


def process_record(request: HttpRequest, ocid: str) -> HttpResponse:
    """Return the process's OCDS record package as a JSON download."""
    process = _process_or_404(ocid)
    uri = request.build_absolute_uri()
    releases_uri = request.build_absolute_uri(reverse("api:ocds_bulk_releases"))
    package = ocds.record_package(uri, [process], releases_uri)
    response = HttpResponse(
        json.dumps(package, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{process.ocid}.json"'
    return response


def downloads(request: HttpRequest) -> HttpResponse:
    """Explain, in the reader's language, the downloads and the API, with links to each."""
    origin = request.build_absolute_uri("/").rstrip("/")  # for the examples to copy
    return render(request, "portal/downloads.html", {"origin": origin})


def completeness(request: HttpRequest) -> HttpResponse:
    """Render, per agency, how many processes have each of the five stages filled."""
    rows = selectors.completeness_by_agency()
    context = {"rows": rows, "stages": list(selectors.STAGE_LABELS.items())}
    return render(request, "portal/completeness.html", context)
