"""Views of the satisfaction surveys: a visitor answers with a visit code, the public results
per agency and period, a region's reports and satisfaction, officers' visit tokens (printed
with QR codes) and the moderation of comments."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from terbuka.errors import TerbukaError
from terbuka.money.qr import qr_make
from terbuka_web.accounts.selectors import Action, user_can
from terbuka_web.common.charts import Bar, bar_chart
from terbuka_web.common.views import form_errors, service_error_attach
from terbuka_web.participation import selectors, survey_selectors, survey_services
from terbuka_web.participation.forms import VisitSurveyForm, VisitTokenForm
from terbuka_web.participation.models import Rating
from terbuka_web.participation.survey_selectors import Period, Satisfaction
from terbuka_web.regions.selectors import region_get

RECENT = 20


@never_cache
def visit_survey(request: HttpRequest) -> HttpResponse:
    """Let a visitor answer the service survey once with the code of their visit token
    (prefilled from ?kode=, the printed QR code's link)."""
    initial = {"code": request.GET.get("kode", "")[:20]}
    survey = VisitSurveyForm(request.POST or None, initial=initial)
    if request.method == "POST" and survey.is_valid():
        try:
            answer = survey_services.survey_answer_visit(**survey.cleaned_data)
        except TerbukaError as exc:
            service_error_attach(survey, exc)
        else:
            return render(request, "participation/survey_thanks.html", {"answer": answer})
    context = {
        "survey": survey, "question": survey_selectors.question_shown("visit"),
        **form_errors(survey),
    }  # fmt: skip
    return render(
        request, "participation/survey_visit.html", context, status=400 if survey.errors else 200
    )


def period_of(request: HttpRequest) -> Period:
    """Return the period of ?periode= (default this year); 404 with the reason when malformed."""
    try:
        return survey_selectors.period_parse(request.GET.get("periode"))
    except TerbukaError as exc:
        raise Http404(f"{exc.message_id} / {exc.message_en}") from exc


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{number_format(value, 1)}%"


def satisfaction_charts(
    key: str, total: Satisfaction, agencies: list[Satisfaction]
) -> list[SafeString]:
    """Return the charts of results: the shares of the four points, and the share satisfied
    per agency with every point's share and the count in its data table."""
    names = [label for _value, label in Rating.choices]
    points = [
        Bar(str(name), int(share * 10), _percent(share), extra=(str(n),))
        for name, share, n in zip(names, total.percents, total.counts, strict=True)
    ]
    per_agency = [
        Bar(a.label, int((a.satisfied or 0) * 10), _percent(a.satisfied),
            extra=(*(_percent(p) for p in a.percents), str(a.answers)))
        for a in agencies
    ]  # fmt: skip
    return [
        bar_chart(
            key=f"{key}-points", title=_("Sebaran jawaban kepuasan"),
            headers=(_("Jawaban"), _("Persentase"), _("Jumlah")),
            bars=points if total.answers else [],
        ),
        bar_chart(
            key=f"{key}-agency", title=_("Puas dan sangat puas per instansi"),
            headers=(_("Instansi"), _("Puas dan sangat puas"), *names, _("Jumlah jawaban")),
            bars=per_agency,
        ),
    ]  # fmt: skip


def period_links() -> list[tuple[str, str]]:
    """Return the quick links of the period choice: (code, label) of this year, quarter..."""
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    return [
        (str(today.year), _("Tahun ini")),
        (f"{today.year}-Q{quarter}", _("Triwulan ini")),
        (f"{today:%Y-%m}", _("Bulan ini")),
        (str(today.year - 1), _("Tahun lalu")),
    ]


@require_safe
def satisfaction(request: HttpRequest) -> HttpResponse:
    """Show the public satisfaction results per agency for ?periode= (YYYY, YYYY-Qn, YYYY-MM;
    default this year): percentages, charts with their data tables, moderated comments."""
    period = period_of(request)
    total, agencies = survey_selectors.satisfaction_results(period=period)
    context = {
        "period": period, "links": period_links(), "results": total,
        "charts": satisfaction_charts("satisfaction", total, agencies),
        "comments": survey_selectors.comments_published(period=period)[:RECENT],
    }  # fmt: skip
    return render(request, "participation/satisfaction.html", context)


@require_safe
def region(request: HttpRequest, code: str) -> HttpResponse:
    """Show a region's reports and satisfaction (the region and below): figures, the latest
    public cases and a link to report there."""
    try:
        place = region_get(code=code[:20])
    except TerbukaError as exc:
        raise Http404(code[:20]) from exc
    period = period_of(request)
    stats = selectors.stats_region(place.code)
    total, agencies = survey_selectors.satisfaction_results(period=period, region_code=place.code)
    context = {
        "region": place, "stats": stats, "period": period, "links": period_links(),
        "results": total, "charts": satisfaction_charts("region", total, agencies),
        "comments": survey_selectors.comments_published(period=period, region_code=place.code)[
            :RECENT
        ],
        "cases": selectors.cases_public().filter(selectors.area(place.code))[:RECENT],
        "report_url": f"{reverse('participation:new')}?wilayah={place.code}",
    }  # fmt: skip
    return render(request, "participation/region.html", context)


def _qr_svg(url: str) -> SafeString:
    """Return url's QR code as inline SVG (no script, no style attribute)."""
    svg = qr_make(url).svg_inline(scale=4, border=2, svgclass="qr", lineclass=None, omitsize=False)
    return mark_safe(svg)  # segno writes the SVG itself: no text of ours in it


@login_required
@never_cache
def visit_tokens(request: HttpRequest) -> HttpResponse:
    """Let an official of an agency create visit tokens for one of its services, and print
    them with their QR codes (shown once: kept hashed)."""
    user: Any = request.user
    agency = user.agency
    if agency is None or not user_can(user, Action.REPORT_ANSWER, agency):
        raise HttpForbidden
    form = VisitTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = survey_services.visit_tokens_create(
                actor=user, agency=agency, **form.cleaned_data
            )
        except TerbukaError as exc:
            service_error_attach(form, exc)
        else:
            base = request.build_absolute_uri(reverse("participation:survey"))
            tokens = [(code, _qr_svg(f"{base}?kode={code}")) for code in codes]
            context = {"agency": agency, "service": form.cleaned_data["service"], "tokens": tokens}
            return render(request, "participation/visit_tokens_print.html", context)
    context = {"form": form, "agency": agency, **form_errors(form)}
    return render(
        request, "participation/visit_tokens.html", context, status=400 if form.errors else 200
    )


@login_required
@never_cache
def moderation(request: HttpRequest) -> HttpResponse:
    """List the survey comments waiting for moderation to a report verifier."""
    if not user_can(request.user, Action.REPORT_VERIFY):  # type: ignore[arg-type]
        raise HttpForbidden
    comments = survey_selectors.comments_pending()[:100]
    return render(request, "participation/moderation.html", {"comments": comments})


@login_required
@require_POST
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish (action=publish) or hide (action=hide) one pending comment."""
    answer = survey_selectors.comments_pending().filter(pk=pk).first()
    if answer is None:
        raise Http404(str(pk))
    try:
        survey_services.comment_moderate(
            actor=request.user,  # type: ignore[arg-type]
            answer=answer, publish=request.POST.get("action") == "publish",
        )  # fmt: skip
    except TerbukaError as exc:
        if exc.code == "forbidden":
            raise HttpForbidden from exc
        messages.error(request, f"{exc.message_id} / {exc.message_en}")
    else:
        messages.success(request, _("Moderasi dicatat."))
    return redirect("participation:moderation")
