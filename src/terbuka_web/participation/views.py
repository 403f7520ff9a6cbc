"""Views of /lapor/: file and follow a report, the public case pages and statistics, and the
officers' case list and steps (verify, reject, forward, start, answer)."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from terbuka.errors import TerbukaError
from terbuka_web.accounts.selectors import Action, user_can
from terbuka_web.common.charts import Bar, bar_chart
from terbuka_web.common.client_ip import client_ip
from terbuka_web.common.views import form_errors, service_error_attach
from terbuka_web.participation import (
    selectors,
    services,
    survey_selectors,
    survey_services,
    survey_views,
)
from terbuka_web.participation.forms import (
    AnswerForm,
    FollowForm,
    ForwardForm,
    RejectForm,
    ReopenForm,
    ReportForm,
    SurveyForm,
)
from terbuka_web.participation.models import Case
from terbuka_web.participation.reports import ReportInput

RECENT = 20


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Show how to report and follow, and the latest public cases."""
    cases = selectors.cases_public()[:RECENT]
    return render(request, "participation/home.html", {"cases": cases, "follow": FollowForm()})


@never_cache
def report_new(request: HttpRequest) -> HttpResponse:
    """File a report; on success show its tracking ID and follow secret, once."""
    initial = {
        "ocid": request.GET.get("ocid", "")[:120],
        "region": request.GET.get("wilayah", "")[:20],
    }
    if initial["ocid"]:
        initial["subject"] = Case.Subject.PROCESS
    form = ReportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        files = [(f.name, f.read()) for f in data["files"]]
        report = ReportInput(
            **{k: data[k] for k in ("kind", "category", "subject", "title", "text", "ocid")},
            **{k: data[k] for k in ("service", "region", "latitude", "longitude", "anonim")},
            **{k: data[k] for k in ("rahasia", "reporter_name", "contact_preference")},
            contact=data["contact"],
            attachments=files,
        )
        try:
            case, secret = services.report_submit(report=report, client_ip=client_ip(request))
        except TerbukaError as exc:
            service_error_attach(form, exc)
        else:
            return render(request, "participation/filed.html", {"case": case, "secret": secret})
    status = 400 if form.is_bound else 200
    context = {"form": form, **form_errors(form)}
    return render(request, "participation/report_form.html", context, status=status)


@never_cache
def follow(request: HttpRequest) -> HttpResponse:
    """Show a reporter their case (tracking ID and secret, posted), and let them close it,
    dispute the follow-up or, once closed, rate it (action=close / reopen / rate)."""
    form = FollowForm(request.POST or None)
    action = request.POST.get("action", "")
    reopen = ReopenForm(request.POST if action == "reopen" else None)
    survey = SurveyForm(request.POST if action == "rate" else None)
    case = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = selectors.case_by_secret(data["tracking_id"], data["secret"])
        if case is None:
            form.add_error(None, _("Nomor pelacakan atau kode rahasia salah."))
        else:
            case = _reporter_act(request, case, data["secret"], reopen, survey)
    bound = [f for f in (reopen, survey) if f.is_bound and f.errors]
    context = {
        "form": form, "case": case, "reopen": reopen, "survey": survey,
        "rated": survey_selectors.answer_of_case(case.pk) if case else None,
        "question": survey_selectors.question_shown("case"),
        "events": selectors.case_timeline(case=case, public=True) if case else [],
        **form_errors(form if not case else (bound[0] if bound else reopen)),
    }  # fmt: skip
    return render(request, "participation/follow.html", context, status=400 if form.errors else 200)


def _reporter_act(
    request: HttpRequest, case: Case, secret: str, reopen: ReopenForm, survey: SurveyForm
) -> Case:
    action = request.POST.get("action", "")
    target: Any = survey if action == "rate" else reopen
    try:
        if action == "close":
            case = services.case_close(case=case, secret=secret)
            messages.success(request, _("Laporan ditutup. Terima kasih."))
        elif action == "reopen" and reopen.is_valid():
            reason = reopen.cleaned_data["reason"]
            case = services.case_reopen(case=case, secret=secret, reason=reason)
            messages.success(request, _("Laporan dibuka kembali."))
        elif action == "rate" and survey.is_valid():
            survey_services.survey_answer_case(case=case, secret=secret, **survey.cleaned_data)
            messages.success(request, _("Terima kasih atas penilaian Anda."))
    except TerbukaError as exc:
        service_error_attach(target, exc)
    return case


@require_safe
def case_public(request: HttpRequest, tracking_id: str) -> HttpResponse:
    """Show a public case (not rahasia, past verification) and its timeline, no identity."""
    case = selectors.case_public_get(tracking_id)
    if case is None:
        raise Http404(tracking_id[:16])
    events = selectors.case_timeline(case=case, public=True)
    return render(request, "participation/case.html", {"case": case, "events": events})


def _stat_bars(rows: list[selectors.CaseStats], field: str) -> list[Bar]:
    return [Bar(r.label, getattr(r, field), str(getattr(r, field))) for r in rows]


def _statistics_figures(stats: selectors.Stats) -> str:
    """Return the HTML of the figures' tables and charts (cached per change by the caller)."""
    total, agencies, districts = stats
    headers = (_("Perangkat daerah"), _("Laporan"))
    charts = [
        bar_chart(
            key="agency-received", title=_("Laporan didisposisikan per perangkat daerah"),
            headers=headers, bars=_stat_bars(agencies, "received"),
        ),
        bar_chart(
            key="agency-escalated", title=_("Laporan yang dieskalasi per perangkat daerah"),
            headers=headers, bars=_stat_bars(agencies, "escalated"),
        ),
        bar_chart(
            key="district-received", title=_("Laporan per kecamatan"),
            headers=(_("Kecamatan"), _("Laporan")), bars=_stat_bars(districts, "received"),
        ),
    ]  # fmt: skip
    context = {"total": total, "agencies": agencies, "districts": districts, "charts": charts}
    return render_to_string("participation/_statistics_figures.html", context)


# Stands for the visitor's CSRF token in a statistics page shared by anonymous visitors (the
# language form's): random per process, so no text of the page can hold it by chance or intent.
CSRF_SLOT = f"csrf-{secrets.token_hex(16)}"


@require_safe
def statistics(request: HttpRequest) -> HttpResponse:
    """Show the public figures per agency and per kecamatan, with charts and tables.

    An anonymous visitor with no pending message gets the page rendered once per publication
    stamp, language, period and day (selectors.stats_public_rendered), with its own CSRF token
    put in; anyone else a page rendered for them.
    """
    language, period = get_language(), survey_views.period_of(request)
    if not _page_shared(request, period):
        context = _statistics_context(language, period)
        return render(request, "participation/statistics.html", context)
    variant = f"page|{language}|{period.code}|{request.META.get('QUERY_STRING', '')}"
    variant += f"|{timezone.localdate()}"  # the period links name this year, quarter, month

    def page(_stats: selectors.Stats) -> str:
        context = _statistics_context(language, period) | {"csrf_token": CSRF_SLOT}
        return render_to_string("participation/statistics.html", context, request)

    shared = selectors.stats_public_rendered(variant, page)
    return HttpResponse(shared.replace(CSRF_SLOT, get_token(request)))


def _page_shared(request: HttpRequest, period: survey_selectors.Period) -> bool:
    """Report whether request gets the shared page: anonymous, no message to show, and the
    address of the period as the period links write it (or none)."""
    query = request.META.get("QUERY_STRING", "")
    return (
        not request.user.is_authenticated
        and not len(messages.get_messages(request))
        and query in ("", f"periode={period.code}")
    )


def _statistics_context(language: str, period: survey_selectors.Period) -> dict[str, Any]:
    """Return the statistics page's context: the figures and the satisfaction results of
    period, each rendered once per publication stamp (selectors.stats_public_rendered)."""

    def satisfaction(_stats: selectors.Stats) -> str:
        results, per_agency = survey_selectors.satisfaction_results(period=period)
        context = {
            "period": period, "results": results,
            "charts": survey_views.satisfaction_charts("satisfaction", results, per_agency),
            "comments": survey_selectors.comments_published(period=period)[
                : survey_views.RECENT
            ],
        }  # fmt: skip
        return render_to_string("participation/_satisfaction.html", context)

    # both rendered by the template engine, which escaped them; survey answers counted in
    # public and published comments are logged, so they move the stamp too
    return {
        "figures": mark_safe(selectors.stats_public_rendered(language, _statistics_figures)),
        "satisfaction": mark_safe(
            selectors.stats_public_rendered(f"{language}|{period.code}", satisfaction)
        ),
        "period": period, "links": survey_views.period_links(),
    }  # fmt: skip


@login_required
@require_safe
def officer_list(request: HttpRequest) -> HttpResponse:
    """List the cases this official has a need to know."""
    cases = selectors.cases_visible(user=request.user)[:200]  # type: ignore[arg-type]
    can_moderate = user_can(request.user, Action.REPORT_VERIFY)  # type: ignore[arg-type]
    context = {"cases": cases, "can_moderate": can_moderate}
    return render(request, "participation/officer_list.html", context)


def _visible_or_404(request: HttpRequest, tracking_id: str) -> Case:
    case = selectors.case_visible_get(user=request.user, tracking_id=tracking_id)  # type: ignore[arg-type]
    if case is None:
        raise Http404(tracking_id[:16])
    return case


def _officer_page(request: HttpRequest, case: Case, **forms: Any) -> HttpResponse:
    user = request.user
    coordinates = selectors.case_coordinated_by(user=user, case=case)  # type: ignore[arg-type]
    context = {
        "case": case,
        "events": selectors.case_timeline(case=case, public=False),
        "identity": selectors.identity_visible(case=case),
        "can_verify": coordinates or user_can(user, Action.REPORT_VERIFY),  # type: ignore[arg-type]
        "can_answer": coordinates or user_can(user, Action.REPORT_ANSWER, case.agency),  # type: ignore[arg-type]
        "reject": forms.get("reject", RejectForm()),
        "forward": forms.get("forward", ForwardForm(initial={"agency": case.category.agency})),
        "answer": forms.get("answer", AnswerForm()),
    }
    bound = [f for f in forms.values() if f.is_bound and f.errors]
    context.update(form_errors(bound[0]) if bound else {})
    return render(request, "participation/officer_case.html", context, status=400 if bound else 200)


@login_required
@never_cache
def officer_case(request: HttpRequest, tracking_id: str) -> HttpResponse:
    """Show a case to an official who may see it, with the steps they may take."""
    return _officer_page(request, _visible_or_404(request, tracking_id))


@login_required
@require_POST
def officer_step(request: HttpRequest, tracking_id: str, step: str) -> HttpResponse:
    """Take one workflow step (verify, reject, forward, start, answer) on a visible case."""
    case = _visible_or_404(request, tracking_id)
    actor = request.user
    forms: dict[str, Any] = {
        "reject": RejectForm(request.POST if step == "reject" else None),
        "forward": ForwardForm(request.POST if step == "forward" else None),
        "answer": AnswerForm(request.POST if step == "answer" else None),
    }
    form = forms.get(step)
    if step not in ("verify", "start") and (form is None or not form.is_valid()):
        if form is None:
            raise Http404(step)
        return _officer_page(request, case, **forms)
    data = form.cleaned_data if form is not None else {}
    try:
        _step_take(step, actor, case, data)
    except TerbukaError as exc:
        if exc.code == "forbidden":
            raise HttpForbidden from exc
        if form is None:
            messages.error(request, f"{exc.message_id} / {exc.message_en}")
            return redirect("participation:officer_case", tracking_id=case.tracking_id)
        service_error_attach(form, exc)
        return _officer_page(request, case, **forms)
    messages.success(request, _("Langkah dicatat."))
    return redirect("participation:officer_case", tracking_id=case.tracking_id)


def _step_take(step: str, actor: Any, case: Case, data: dict[str, Any]) -> None:
    """Call the service of step with the form's data."""
    if step == "verify":
        services.case_verify(actor=actor, case=case)
    elif step == "start":
        services.case_start(actor=actor, case=case)
    elif step == "reject":
        services.case_reject(actor=actor, case=case, reason=data["reason"])
    elif step == "forward":
        services.case_forward(actor=actor, case=case, agency=data["agency"])
    else:
        services.case_answer(actor=actor, case=case, answer=data["answer"])


@login_required
def attachment(request: HttpRequest, tracking_id: str, pk: int) -> HttpResponse:
    """Send an attachment to an official who may see its case (never public)."""
    case = _visible_or_404(request, tracking_id)
    item = case.attachments.filter(pk=pk).first()
    if item is None:
        raise Http404(str(pk))
    response = HttpResponse(bytes(item.data), content_type=item.content_type)
    response["Content-Disposition"] = f'attachment; filename="{item.name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
