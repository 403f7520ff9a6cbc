"""Officers' pages of benefit programmes: ask for a cycle (after its dry run), retry a refused
one, declare a disaster (after a preview of the cycles it starts). Every write goes through
the services, which check role and agency or region; the benefits tick moves the money."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from terbuka.errors import TerbukaError
from terbuka.rules.ruleset import ruleset_parse
from terbuka_web.accounts.selectors import Action, user_can
from terbuka_web.benefits import selectors
from terbuka_web.benefits.cycles import fund_account
from terbuka_web.benefits.disasters import disaster_check, disaster_declare
from terbuka_web.benefits.models import CycleStart, Disaster, Programme
from terbuka_web.benefits.schedule import disaster_programmes
from terbuka_web.benefits.starts import cycle_request, start_retry
from terbuka_web.benefits.totals import programme_dry_run
from terbuka_web.ledger.models import Account


def _managed(request: HttpRequest, slug: str) -> Programme:
    """Return the programme if the user manages its agency; 404 or 403 otherwise."""
    found = selectors.programme_get(slug[:60])
    if found is None:
        raise Http404(slug)
    if not user_can(request.user, Action.PROGRAMME_MANAGE, found.agency):  # type: ignore[arg-type]
        raise HttpForbidden
    return found


def _summary(programme: Programme, day: dt.date, zones: list[str] | None) -> dict[str, Any]:
    """Return the dry run's sums of programme's rules in force on day, reading zones as
    declared (None: the zones in force on day)."""
    assert programme.current is not None
    totals = programme_dry_run(programme, ruleset_parse(programme.current.rules), day, zones)
    found = Account.objects.filter(key=fund_account(programme)).values_list("balance", flat=True)
    return {
        "programme": programme,
        "eligible": sum(t.eligible for t in totals.values()),
        "amount": sum(t.amount for t in totals.values()),
        "villages": sum(1 for t in totals.values() if t.eligible),
        "deceased": sum(t.deceased for t in totals.values()),
        "duplicate": sum(t.duplicate for t in totals.values()),
        "fund": found.first() or 0,
    }


@login_required
@require_http_methods(["GET", "POST"])
def cycle_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the dry run of a new cycle and, confirmed, ask the tick to start it."""
    programme = _managed(request, slug)
    error, summary = None, None
    if request.method == "POST":
        try:
            cycle_request(actor=request.user, programme=programme)  # type: ignore[arg-type]
        except TerbukaError as exc:
            error = exc
        else:
            messages.success(request, _("Siklus diminta; dimulai dalam satu menit."))
            return redirect("benefits:programme", slug=programme.slug)
    if programme.current is not None:
        try:
            summary = _summary(programme, timezone.localdate(), None)
        except TerbukaError as exc:
            error = error or exc
    context = {
        "programme": programme, "summary": summary, "error": error,
        "starts": programme.starts.exclude(state=CycleStart.State.STARTED).order_by("-id"),
    }  # fmt: skip
    return render(request, "benefits/cycle_new.html", context, status=422 if error else 200)


@login_required
@require_POST
def start_retry_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Make a refused cycle pending again (the tick attempts it within a minute)."""
    programme = _managed(request, slug)
    start = programme.starts.filter(pk=pk).first()
    if start is None:
        raise Http404(str(pk))
    try:
        start_retry(actor=request.user, start=start)  # type: ignore[arg-type]
    except TerbukaError as exc:
        messages.error(request, f"{exc.message_id} / {exc.message_en}")
    else:
        messages.success(request, _("Siklus akan dicoba lagi dalam satu menit."))
    return redirect("benefits:cycle_new", slug=programme.slug)


class DisasterForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Nama bencana"), min_length=3, max_length=200)
    regions = forms.CharField(
        label=gettext_lazy("Kode wilayah"), max_length=2000,
        help_text=gettext_lazy("Dipisah koma, mis. 35.22.10, 35.22.11"),
    )  # fmt: skip
    starts_on = forms.DateField(
        label=gettext_lazy("Mulai"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=gettext_lazy("Selesai"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def codes(self) -> list[str]:
        return [c.strip() for c in self.cleaned_data["regions"].split(",") if c.strip()]


@login_required
@require_http_methods(["GET", "POST"])
def disaster_new(request: HttpRequest) -> HttpResponse:
    """Declare a disaster: the form, then a preview of the cycles it starts, then confirm."""
    agency = getattr(request.user, "agency", None)
    if not user_can(request.user, Action.PROGRAMME_MANAGE, agency):  # type: ignore[arg-type]
        raise HttpForbidden
    form = DisasterForm(request.POST or None)
    error, previews = None, None
    if request.method == "POST" and form.is_valid():
        data, codes = form.cleaned_data, form.codes()
        try:
            if "confirm" in request.POST:
                disaster = disaster_declare(
                    actor=request.user, title=data["title"], regions=codes,  # type: ignore[arg-type]
                    starts_on=data["starts_on"], ends_on=data["ends_on"],
                )  # fmt: skip
                messages.success(request, _("Bencana ditetapkan: %(title)s") % {
                    "title": disaster.title})  # fmt: skip
                return redirect("benefits:programmes")
            codes = disaster_check(
                actor=request.user, title=data["title"], regions=codes,  # type: ignore[arg-type]
                starts_on=data["starts_on"], ends_on=data["ends_on"],
            )  # fmt: skip
            declared = Disaster(regions=codes, starts_on=data["starts_on"],
                                ends_on=data["ends_on"])  # fmt: skip
            day = max(data["starts_on"], timezone.localdate())
            previews = [_summary(p, day, codes) for p in disaster_programmes(declared)]
        except TerbukaError as exc:
            error = exc
    bad = error is not None or bool(form.errors)
    context = {"form": form, "error": error, "previews": previews,
               "error_forms": [form] if form.errors else []}  # fmt: skip
    return render(request, "benefits/disaster_new.html", context, status=422 if bad else 200)
