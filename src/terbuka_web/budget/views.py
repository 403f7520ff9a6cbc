"""Pages of the budget app: a region's budget at /anggaran/<code>/ (desa to provinsi)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from lokal import format_rupiah_short

from terbuka.budget.errors import BudgetFileError
from terbuka.budget.poster import percent
from terbuka.budget.rows import rows_check, table_read
from terbuka.budget.village import BIDANG as VILLAGE_BIDANG
from terbuka.errors import TerbukaError, ValidationError
from terbuka.regions.codes import code_parse
from terbuka_web.benefits.selectors import region_programmes
from terbuka_web.budget import poster, selectors
from terbuka_web.budget.models import BudgetBatch
from terbuka_web.budget.services import budget_rows_publish
from terbuka_web.common.cache import cache_through
from terbuka_web.common.charts import Bar, bar_chart
from terbuka_web.federation.selectors import budgets_harvested
from terbuka_web.regions.models import Region
from terbuka_web.regions.selectors import region_ancestors
from terbuka_web.transparency.selectors import entry_id_latest

MAX_UPLOAD = 5 * 1024 * 1024


def index(request: HttpRequest) -> HttpResponse:
    """Send the reader to the widest region holding a budget (else the first province)."""
    first = BudgetBatch.objects.order_by("region_id").values_list("region_id", flat=True).first()
    top = (first or "").split(".")[0] or Region.objects.filter(parent__isnull=True).values_list(
        "code", flat=True
    ).first()
    if not top:
        raise Http404(_("Belum ada wilayah."))
    return redirect("budget:region", code=top)


@dataclass(frozen=True)
class RegionPage:
    """Hold a region budget page's rendered body and what the live rest of the page needs."""

    code: str
    name: str
    year: int
    village: bool
    html: SafeString


def region(request: HttpRequest, code: str) -> HttpResponse:
    """Render a region's budget of a year: totals, children, reported checks, charts, APBDes,
    then the benefit programmes there (read live: they are no budget data).

    A roll-up page's body (every region but a village) is rendered once per data version and
    kept by the worker: the key holds the newest transparency log entry id, which every
    budget publication and every harvest moves in its own transaction, so a publication shows
    on the next view (two committing out of id order: the earlier-numbered one shows with the
    next write, at the latest after TERBUKA_SEARCH_CACHE_SECONDS). A village's page shows its
    board files as they are drawn, so it is rendered each time.
    """
    try:
        dotted = str(code_parse(code))
    except TerbukaError:
        raise Http404(_("Kode wilayah tidak sah.")) from None
    asked, stamp = _year_asked(request), entry_id_latest()
    harvested = cache_through(f"budget-harvested|{stamp}", budgets_harvested)
    if dotted.count(".") == 3:  # a village
        page = _region_page(dotted, asked, harvested)
    else:
        key = f"budget-region|{dotted}|{asked}|{get_language()}|{stamp}"
        page = cache_through(key, lambda: _region_page(dotted, asked, harvested))
    context = {"page": page, "programmes": region_programmes(dotted)}
    return render(request, "budget/region.html", context)


def _region_page(dotted: str, asked: int | None, harvested: bool) -> RegionPage:
    """Return region dotted's page body for year asked (else its latest budget year);
    harvested: whether any budget was harvested from another instance (else none is sought)."""
    chain = region_ancestors(code=dotted)
    if not chain or chain[-1].code != dotted:
        raise Http404(_("Wilayah tidak ditemukan."))
    place = chain[-1]
    years = selectors.budget_years(code=dotted, harvested=harvested)
    year = _year_chosen(asked, years)
    totals, children = selectors.region_rollup(code=dotted, year=year, harvested=harvested)
    charts, origins = _charts(selectors.breakdowns(code=dotted, year=year, harvested=harvested))
    summary = selectors.summary_rows(code=dotted, year=year)
    context: dict[str, Any] = {
        "region": place,
        "ancestors": chain[:-1],
        # A region's page is the index's path plus its code (urls.py): one reverse, not one
        # per child row.
        "pages": reverse("budget:index"),
        "years": years,
        "year": year,
        "totals": totals,
        "children": children,
        "checks": selectors.reported_check(code=dotted, year=year, own=totals.own, rows=summary),
        "summary": selectors.summary_lines(code=dotted, year=year, rows=summary),
        "charts": charts,
        "chart_origins": origins,
        "village": place.level == Region.Level.VILLAGE,
    }
    if context["village"]:
        context["apbdes"] = _apbdes_sections(selectors.village_lines(code=dotted, year=year))
        context["projects"] = selectors.village_projects(code=dotted, year=year)
        context["downloads"] = _board_downloads(dotted, year) if context["apbdes"] else []
    html = render_to_string("budget/_region_body.html", context)
    return RegionPage(dotted, place.name, year, context["village"], SafeString(html))


def _year_asked(request: HttpRequest) -> int | None:
    """Return the year of ?tahun= when it is one (2000–2100), else None."""
    asked = request.GET.get("tahun", "")
    if asked.isascii() and asked.isdigit() and 2000 <= int(asked) <= 2100:
        return int(asked)
    return None


def _year_chosen(asked: int | None, years: list[int]) -> int:
    """Return the year asked, else the latest of years with a budget, else 2026."""
    return asked or (years[0] if years else 2026)


def _charts(
    found: dict[str, list[dict[str, Any]]],
) -> tuple[list[SafeString], list[dict[str, Any]]]:
    """Return the spending charts by account group, urusan and bidang (12 largest each) of
    breakdowns found (harvested ones included), and the remotes whose harvested spending
    they include: {origin, url, planned, realised} each, by origin."""
    titles = {
        "account": _("Belanja per kelompok rekening (anggaran)"),
        "urusan": _("Belanja per urusan / bidang desa (anggaran)"),
        "bidang": _("Belanja per bidang urusan / bidang desa (anggaran)"),
    }
    headers = (_("Kelompok"), _("Anggaran"), _("Realisasi"), _("Persen realisasi"))
    return [
        bar_chart(
            key=f"budget-{by}",
            title=titles[by],
            headers=headers,
            bars=[
                Bar(
                    f"{item['key']} {item['label']}",
                    item["planned"],
                    format_rupiah_short(item["planned"]),
                    extra=(
                        format_rupiah_short(item["realised"]),
                        percent(item["realised"], item["planned"]),
                    ),
                )
                for item in found[by][:12]
            ],
        )
        for by in ("account", "urusan", "bidang")
    ], _origins(found["account"])


def _origins(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return each remote's harvested spending over items (one breakdown's keys), by origin."""
    remotes: dict[tuple[str, str], list[int]] = {}
    for item in items:
        for part in item["harvested"]:
            figures = remotes.setdefault((part["origin"], part["url"]), [0, 0])
            figures[0] += part["planned"]
            figures[1] += part["realised"]
    return [
        {"origin": origin, "url": url, "planned": planned, "realised": realised}
        for (origin, url), (planned, realised) in sorted(remotes.items())
    ]


def _apbdes_sections(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Group a village's lines into Pendapatan, Belanja and Pembiayaan with their totals."""
    sections = [
        ("4", _("Pendapatan")),
        ("5", _("Belanja")),
        ("6", _("Pembiayaan")),
    ]
    out = []
    for prefix, title in sections:
        rows = [line for line in lines if line["account"].startswith(prefix)]
        if rows:
            out.append(
                {
                    "title": title,
                    "rows": rows,
                    "dpa": sum(r["dpa"] for r in rows),
                    "realisasi": sum(r["realisasi"] for r in rows),
                }
            )
    return out


def board(request: HttpRequest, code: str) -> HttpResponse:
    """Render a village's APBDes board (papan informasi APBDes) for printing or a phone.

    Pendapatan by source, belanja by bidang, pembiayaan, and the projects, as villages put
    them up; the browser's print (A1 or A4, CSS @media print) makes the poster.
    """
    place = Region.objects.filter(code=code, level=Region.Level.VILLAGE).first()
    if place is None:
        raise Http404(_("Wilayah tidak ditemukan."))
    years = selectors.budget_years(code=code)
    year = _year_chosen(_year_asked(request), years)
    lines = selectors.village_lines(code=code, year=year)
    sections = _apbdes_sections(lines)
    bidang: dict[str, dict[str, Any]] = {}
    for line in lines:
        if line["account"].startswith("5") and line["programme"]:
            key = line["programme"][0]
            item = bidang.setdefault(key, {"code": key, "amount": 0, "realised": 0})
            item["amount"] += line["perubahan"] if line["perubahan"] is not None else line["dpa"]
            item["realised"] += line["realisasi"]
    context = {
        "region": place,
        "ancestors": region_ancestors(code=code)[:-1],
        "year": year,
        "sections": sections,
        "bidang": [
            {**item, "name": VILLAGE_BIDANG.get(key, key)} for key, item in sorted(bidang.items())
        ],
        "projects": selectors.village_projects(code=code, year=year),
    }
    return render(request, "budget/board.html", context)


def _board_downloads(code: str, year: int) -> list[dict[str, Any]]:
    """Return the four board links of a village, each with its byte size once drawn.

    Nothing is drawn here: a board is drawn on its first download after a publication (a
    page view drawing all four took seconds of CPU, 28 s at p50 under 20 clients), then
    stored, and from then on the page shows its size.
    """
    version = selectors.board_version(code=code, year=year)
    stored = poster.board_sizes(code=code, year=year, version=version)
    labels = {"a1": _("poster A1 (594 × 841 mm)"), "ponsel": _("ponsel (lebar 1080 piksel)")}
    return [
        {
            "href": reverse(f"budget:board_{fmt}", kwargs={"code": code})
            + f"?ukuran={size}&tahun={year}",
            "label": f"{fmt.upper()}, {labels[size]}",
            "bytes": stored.get((size, fmt)),
        }
        for size in poster.SIZES
        for fmt in poster.FORMATS
    ]


def board_download(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """Serve a village's APBDes board as a poster: papan.pdf or papan.png, ?ukuran=a1|ponsel.

    A village without an APBDes of the year gets a 404 page saying so; an unknown size a
    400 page naming the sizes there are.
    """
    place = Region.objects.filter(code=code, level=Region.Level.VILLAGE).first()
    if place is None:
        raise Http404(_("Wilayah tidak ditemukan."))
    size = request.GET.get("ukuran", "a1")
    year = _year_chosen(_year_asked(request), selectors.budget_years(code=code))
    context = {"region": place, "year": year}
    if size not in poster.SIZES:
        return render(request, "budget/board_error.html", {**context, "size": size}, status=400)
    board = selectors.village_board(code=code, year=year)
    if board is None:
        return render(request, "budget/board_error.html", context, status=404)
    version = selectors.board_version(code=code, year=year)
    data = poster.board_file(board=board, version=version, size=size, fmt=fmt, code=code)
    response = HttpResponse(data, content_type="application/pdf" if fmt == "pdf" else "image/png")
    response["Content-Disposition"] = f'inline; filename="papan-apbdes-{code}-{year}-{size}.{fmt}"'
    response["ETag"] = f'"{version}-{size}-{fmt}"'
    return response


class UploadForm(forms.Form):
    """Take one CSV/XLSX budget line table."""

    file = forms.FileField(
        label=gettext_lazy("Berkas CSV atau XLSX"),
        error_messages={"required": "Pilih berkas. / Choose a file."},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, code: str) -> HttpResponse:
    """Let a village operator (or an admin) publish budget lines from a file, all or nothing.

    Every row must be this region's; errors list each row and field, nothing is written.
    """
    place = Region.objects.filter(code=code).first()
    if place is None:
        raise Http404(_("Wilayah tidak ditemukan."))
    form = UploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        data = upload_file.read(MAX_UPLOAD + 1)
        try:
            if len(data) > MAX_UPLOAD:
                raise ValidationError(
                    "berkas terlalu besar (paling besar 5 MB)",
                    "file too large (5 MB at most)",
                    where="berkas",
                )
            rows = rows_check(table_read(data, upload_file.name))
            strangers = [r for r in rows if r.region != place.code]
            if strangers:
                raise BudgetFileError(
                    [
                        ValidationError(
                            "baris untuk wilayah lain",
                            "a row for another region",
                            where=f"baris {r.number}, wilayah",
                        )
                        for r in strangers
                    ]
                )
            budget_rows_publish(actor=request.user, rows=rows, source=upload_file.name)  # type: ignore[arg-type]
        except BudgetFileError as error:
            errors = [f"{e.where}: {e.message_id} / {e.message_en}" for e in error.errors]
        except TerbukaError as error:
            errors = [f"{error.message_id} / {error.message_en}"]
        else:
            messages.success(request, _("Anggaran diterbitkan."))
            return redirect(region_url(place.code, rows[0].year))
    context = {
        "region": place,
        "form": form,
        "formset_errors": errors,
        "error_forms": [form] if form.errors else [],
    }
    return render(
        request, "budget/upload.html", context, status=422 if errors or form.errors else 200
    )


def region_url(code: str, year: int) -> str:
    """Return the budget page of code for year."""
    return reverse("budget:region", kwargs={"code": code}) + f"?tahun={year}"
