"""Public pages of benefit programmes at /bantuan/: programmes, rules in force, per-village
aggregates (small counts suppressed); officers of the programme's agency and auditors also
see a dry run of the pending rules. No page ever shows a registrant."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from terbuka.errors import TerbukaError
from terbuka.spreadsheet import xlsx_write
from terbuka_web.accounts.selectors import Action, user_can
from terbuka_web.accounts.services import audit_record
from terbuka_web.benefits import selectors
from terbuka_web.benefits.audit import (
    COLUMNS,
    cycle_audit_sheet,
    cycle_get,
    cycle_leakage,
    cycle_villages,
    programme_cycle_numbers,
)
from terbuka_web.benefits.disasters import disasters_list
from terbuka_web.benefits.models import Cycle, CycleStart
from terbuka_web.common.charts import Bar, bar_chart
from terbuka_web.portal.templatetags.terbuka import rupiah

CHART_VILLAGES = 30
DISASTERS_SHOWN = 50


@require_safe
def programmes(request: HttpRequest) -> HttpResponse:
    """List the programmes with budget, period and the hash of the rules in force."""
    context = {
        "programmes": selectors.programmes_list(),
        "registry": selectors.registry_counts(),
        "disasters": disasters_list()[:DISASTERS_SHOWN],
        "declare": user_can(
            request.user,  # type: ignore[arg-type]
            Action.PROGRAMME_MANAGE,
            getattr(request.user, "agency", None),
        ),
    }
    return render(request, "benefits/programmes.html", context)


def _chart(totals: selectors.PublicTotals) -> str:
    rows = sorted(
        (r for r in totals.rows if r.code and r.eligible is not None),
        key=lambda r: -(r.eligible or 0),
    )[:CHART_VILLAGES]
    return bar_chart(
        key="desa",
        title=_("Penerima memenuhi syarat per desa (terbanyak)"),
        headers=(_("Desa"), _("Penerima"), _("Jumlah")),
        bars=[
            Bar(f"{r.name} ({r.district})", r.eligible or 0, str(r.eligible), "",
                (rupiah(r.amount),))
            for r in rows
        ],
    )  # fmt: skip


@require_safe
def programme(request: HttpRequest, slug: str) -> HttpResponse:
    """Show one programme: rules in force (text and CEL), budget, per-village aggregates."""
    found = selectors.programme_get(slug[:60])
    if found is None:
        raise Http404(slug)
    totals = selectors.public_totals(found.current)
    pending = selectors.proposals_pending(found)
    auditor = selectors.dry_run_viewer(request.user, found)
    context = {
        "programme": found,
        "versions": found.versions.select_related("decision__proposal").order_by("-number"),
        "totals": totals,
        "chart": _chart(totals),
        "pending": pending,
        "small": selectors.SMALL_COUNT,
        "cycles": found.cycles.order_by("-number"),
        "auditor": auditor,
        "manager": user_can(request.user, Action.PROGRAMME_MANAGE, found.agency),  # type: ignore[arg-type]
        "refused": found.starts.filter(state=CycleStart.State.REFUSED).count(),
    }
    if auditor:
        context["dry_run"], context["dry_run_error"] = None, None
        rules = selectors.dry_run_candidate(found, pending)
        if rules is not None:
            try:
                run = selectors.programme_dry_run_compare(found, rules)
                context["dry_run"] = {"run": run, "sums": run.sums()}
            except TerbukaError as error:
                context["dry_run_error"] = error
    return render(request, "benefits/programme.html", context)


@login_required
@require_safe
def village_registry(request: HttpRequest, code: str) -> HttpResponse:
    """Show a village's registrants with name and address to officers of its region only.

    Every showing is an audit event (benefits:identity:view) naming the officer and village.
    """
    rows = selectors.village_identities(request.user, code[:13])  # type: ignore[arg-type]
    if rows is None:
        raise HttpForbidden
    audit_record(
        actor=request.user,  # type: ignore[arg-type]
        action="benefits:identity:view", target=code[:13], data={"registrants": len(rows)},
    )  # fmt: skip
    return render(request, "benefits/village.html", {"code": code[:13], "rows": rows})


def _cycle_chart(rows: list[dict[str, Any]], names: dict[str, tuple[str, str]]) -> str:
    top = sorted(rows, key=lambda r: -r["credited"])[:CHART_VILLAGES]
    return bar_chart(
        key="siklus",
        title=_("Bantuan dikreditkan per desa (terbanyak)"),
        headers=(_("Desa"), _("Dikreditkan")),
        bars=[
            Bar("{} ({})".format(*names.get(r["village_code"], (r["village_code"], ""))),
                r["credited"], rupiah(r["credited"]))
            for r in top if r["credited"] > 0
        ],
    )  # fmt: skip


@require_safe
def cycle(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Show one cycle's public figures per village (Rupiah: allocated, credited, spent, clawed
    back; refusals counted) as a chart and a table; the same as the API, no registrant."""
    found = selectors.programme_get(slug[:60])
    shown = cycle_get(found, number) if found is not None else None
    if found is None or shown is None:
        raise Http404(slug)
    rows = cycle_villages(shown)
    names = selectors.region_names([r["village_code"] for r in rows])
    for row in rows:
        row["name"], row["district"] = names.get(row["village_code"], ("", ""))
    context = {
        "programme": found, "cycle": shown, "rows": rows,
        "sums": {c: sum(r[c] for r in rows) for c in COLUMNS[1:]},
        "chart": _cycle_chart(rows, names), "numbers": programme_cycle_numbers(found),
    }  # fmt: skip
    return render(request, "benefits/cycle.html", context)


def _audited_cycle(request: HttpRequest, slug: str, number: int) -> Cycle:
    """Return the cycle for an auditor or the programme's managers; 404 or 403 otherwise."""
    found = selectors.programme_get(slug[:60])
    cycle = cycle_get(found, number) if found is not None else None
    if found is None or cycle is None:
        raise Http404(slug)
    if not selectors.dry_run_viewer(request.user, found):
        raise HttpForbidden
    return cycle


@login_required
@require_safe
def cycle_audit(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Show a cycle's audit per village (allocated, credited, spent, clawed back, refused by
    reason) and the zero-leakage check read from the ledger; auditors and managers only."""
    cycle = _audited_cycle(request, slug, number)
    rows = cycle_villages(cycle)
    sums = {c: sum(r[c] for r in rows) for c in COLUMNS[1:]}
    context = {
        "programme": cycle.programme, "cycle": cycle, "rows": rows, "sums": sums,
        "leakage": cycle_leakage(cycle), "numbers": programme_cycle_numbers(cycle.programme),
    }  # fmt: skip
    return render(request, "benefits/cycle_audit.html", context)


@login_required
@require_safe
def cycle_audit_csv(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Export a cycle's audit per village as CSV (UTF-8, header row COLUMNS)."""
    cycle = _audited_cycle(request, slug, number)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"audit-{cycle.programme.slug}-siklus-{cycle.number}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(COLUMNS)
    for row in cycle_villages(cycle):
        writer.writerow([row[c] for c in COLUMNS])
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_safe
def cycle_audit_xlsx(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Export a cycle's audit per village as XLSX: the CSV's columns, numbers as numbers."""
    cycle = _audited_cycle(request, slug, number)
    sheet = cycle_audit_sheet(cycle)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "audit.xlsx"
        xlsx_write([sheet], path)
        response = HttpResponse(path.read_bytes(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="audit-{sheet.name}.xlsx"'
    return response
