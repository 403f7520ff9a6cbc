"""Pages of the wallets app: the citizen's wallet app at /dompet/, the merchant's offline check
of a QR payment at /dompet/pedagang/, their service worker (/dompet/sw.js, scope /dompet/) and
web app manifest, the officer's enrolment desk at /dompet/petugas/daftar/ (logged in,
WALLET_ENROL, registrants of the officer's region only), and the officers' settlements of
merchants at /dompet/penyelesaian/ with each report (HTML and CSV), and the grievance queue of
offline double spends of the officer's region at /dompet/keberatan/ (resolved there)."""

from __future__ import annotations

import datetime as dt
import secrets
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from terbuka.errors import TerbukaError, ValidationError
from terbuka.money.enrol import enrol_code
from terbuka.money.qr import qr_make
from terbuka_web.accounts.models import User
from terbuka_web.accounts.selectors import Action, user_can
from terbuka_web.accounts.services import audit_record
from terbuka_web.benefits.models import Registrant
from terbuka_web.benefits.selectors import registrant_by_nik, registrant_identity
from terbuka_web.common.views import form_errors, service_error_attach
from terbuka_web.transparency.keys import log_vkey
from terbuka_web.wallets import selectors
from terbuka_web.wallets.forms import NikForm
from terbuka_web.wallets.grievances import grievance_resolve
from terbuka_web.wallets.models import EnrolChallenge, Grievance, Settlement, Wallet
from terbuka_web.wallets.services import enrol_challenge_create
from terbuka_web.wallets.settlements import settlement_create, settlement_csv, settlement_payments


@require_safe
def citizen(request: HttpRequest) -> HttpResponse:
    """Render the citizen's wallet app: the key, enrolment, balances, history, paying.

    The camera is allowed (scanning the officer's enrolment code).
    """
    return _camera_allowed(render(request, "wallets/citizen.html", {"log_vkey": _log_vkey()}))


def _camera_allowed(response: HttpResponse) -> HttpResponse:
    """Return response allowing this site's own page the camera (the wallet app's and the
    merchant's, which scan QR codes); every other page keeps it off (PERMISSIONS_POLICY)."""
    response["Permissions-Policy"] = settings.PERMISSIONS_POLICY.replace(
        "camera=()", "camera=(self)"
    )
    return response


def _log_vkey() -> str:
    """Return the log's verifier key for checking receipts in the browser ("" without one)."""
    try:
        return log_vkey()
    except TerbukaError:
        return ""


@require_safe
def merchant_check(request: HttpRequest) -> HttpResponse:
    """Render the merchant's page: pick the shop, scan or paste a QR payload, check it offline
    (the camera allowed)."""
    context = {
        "merchants": selectors.merchants_approved(),
        "issuer": settings.TERBUKA["WALLET_ISSUER"],
    }
    return _camera_allowed(render(request, "wallets/merchant.html", context))


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """Serve the service worker that keeps /dompet/ pages and their scripts for offline use."""
    response = render(request, "wallets/sw.js", content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/dompet/"
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def manifest(
    request: HttpRequest, start: str = "wallets:citizen", name: str = "Dompet"
) -> HttpResponse:
    """Serve the web app manifest of a wallet page, start (a URL name), installable on a phone:
    the citizen's app (/dompet/) or the merchant's check (/dompet/pedagang/)."""
    context = {"start": start, "name": name}
    return render(
        request, "wallets/manifest.webmanifest", context, content_type="application/manifest+json"
    )


def _desk_officer(request: HttpRequest) -> User:
    """Return the logged-in officer; 403 unless they hold WALLET_ENROL in their agency."""
    user: User = request.user  # type: ignore[assignment]
    if user.agency is None or not user_can(user, Action.WALLET_ENROL, user.agency):
        raise HttpForbidden
    return user


@login_required
@require_http_methods(["GET", "POST"])
def desk(request: HttpRequest) -> HttpResponse:
    """Find a registrant of the officer's region by the NIK on the card, then issue a challenge.

    POST nik: shows the registrant's name and address (an audit event). POST registrant:
    issues the challenge and goes to its page. A NIK outside the region reads as unknown.
    """
    officer = _desk_officer(request)
    if "registrant" in request.POST:
        pk = request.POST["registrant"][:12]
        registrant = Registrant.objects.filter(pk=int(pk)).first() if pk.isdigit() else None
        if registrant is None or registrant_identity(officer, registrant) is None:
            raise HttpForbidden
        try:
            issued = enrol_challenge_create(officer=officer, registrant=registrant)
        except TerbukaError as exc:
            if exc.code == "forbidden":
                raise HttpForbidden from exc
            form = NikForm()
            return render(
                request, "wallets/desk.html",
                {"form": form, "error": f"{exc.message_id} / {exc.message_en}"}, status=400,
            )  # fmt: skip
        return redirect("wallets:desk_challenge", pk=issued.pk)
    form = NikForm(request.POST or None)
    context: dict[str, object] = {"form": form}
    if form.is_bound and form.is_valid():
        found = registrant_by_nik(form.cleaned_data["nik"])
        identity = registrant_identity(officer, found) if found is not None else None
        if found is None or identity is None:
            service_error_attach(form, _unknown_nik())
        else:
            audit_record(
                actor=officer, action="benefits:identity:view", target=f"registrant/{found.pk}"
            )
            active = Wallet.objects.filter(registrant=found, status=Wallet.Status.ACTIVE)
            context.update(registrant=found, identity=identity, enrolled=active.exists())
    context.update(form_errors(form))
    return render(request, "wallets/desk.html", context, status=400 if form.errors else 200)


def _unknown_nik() -> ValidationError:
    return ValidationError(
        "NIK ini tidak ada di registri wilayah Anda", "this NIK is not in your region's registry",
        where="nik",
    )  # fmt: skip


def _issued(request: HttpRequest, pk: int) -> EnrolChallenge:
    """Return challenge pk if the logged-in officer issued it; 404 otherwise."""
    officer = _desk_officer(request)
    issued = EnrolChallenge.objects.select_related("registrant").filter(pk=pk).first()
    if issued is None or issued.officer_id != officer.pk:
        raise Http404
    return issued


@login_required
@require_safe
def desk_challenge(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an issued challenge as the enrolment code (text and QR) and whether it was used."""
    issued = _issued(request, pk)
    code = enrol_code(issued.challenge, issued.expires)
    context = {
        "issued": issued, "code": code, "qr": qr_make(code).svg_inline(scale=4, border=4),
        "expired": not issued.used and issued.expires < time.time(),
        "expires_at": dt.datetime.fromtimestamp(issued.expires, tz=dt.UTC),
        "identity": registrant_identity(request.user, issued.registrant),  # type: ignore[arg-type]
    }  # fmt: skip
    return render(request, "wallets/desk_challenge.html", context)


def _settling_region(request: HttpRequest) -> str:
    code = selectors.settling_region(request.user)  # type: ignore[arg-type]
    if code is None:
        raise HttpForbidden
    return code


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def settlements(request: HttpRequest) -> HttpResponse:
    """Show an officer the region's merchants with their unsettled takings and the latest
    settlements; POST merchant and key settles one (the key makes a resubmission harmless)."""
    code = _settling_region(request)
    error = None
    if request.method == "POST":
        merchant = selectors.merchants_approved().filter(code=request.POST.get("merchant", "")[:32])
        try:
            found = merchant.first()
            if found is None:
                raise Http404("pedagang tidak ditemukan / merchant not found")
            done = settlement_create(
                officer=request.user,  # type: ignore[arg-type]
                merchant=found, key=request.POST.get("key", "")[:40],
            )  # fmt: skip
            return redirect("wallets:settlement", key=done.key)
        except TerbukaError as refused:
            error = refused
    context = {
        "rows": selectors.merchants_to_settle(code), "settlements": selectors.settlements_of(code),
        "key": secrets.token_hex(8), "error": error,
    }  # fmt: skip
    return render(request, "wallets/settlements.html", context, status=422 if error else 200)


def _settlement(request: HttpRequest, key: str) -> Settlement:
    found = selectors.settlement_get(_settling_region(request), key[:32])
    if found is None:
        raise Http404(key)
    return found


@login_required
@require_safe
def desk_status(request: HttpRequest, pk: int) -> JsonResponse:
    """Answer {"used", "expired"} for an issued challenge (the desk page polls it)."""
    issued = _issued(request, pk)
    expired = not issued.used and issued.expires < time.time()
    return JsonResponse({"used": issued.used, "expired": expired})


@login_required
@require_safe
def settlement(request: HttpRequest, key: str) -> HttpResponse:
    """Show a settlement's report: the payments paid out with their intent hashes, totals."""
    found = _settlement(request, key)
    context = {"settlement": found, "payments": settlement_payments(found),
               "totals": sorted(found.totals.items())}  # fmt: skip
    return render(request, "wallets/settlement.html", context)


@login_required
@require_safe
def settlement_report_csv(request: HttpRequest, key: str) -> HttpResponse:
    """Download a settlement's report as CSV (the bytes whose SHA-256 the log entry holds)."""
    found = _settlement(request, key)
    response = HttpResponse(settlement_csv(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="penyelesaian-{found.key}.csv"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def grievances(request: HttpRequest) -> HttpResponse:
    """Show an officer the grievances of the region's merchants with their signed evidence;
    POST grievance, decision and note resolves one (no money moves)."""
    code = _settling_region(request)
    error = None
    if request.method == "POST":
        pk = request.POST.get("grievance", "")[:12]
        found = selectors.grievance_get(code, int(pk)) if pk.isdigit() else None
        if found is None:
            raise Http404("pengaduan tidak ditemukan / grievance not found")
        try:
            grievance_resolve(
                officer=request.user,  # type: ignore[arg-type]
                grievance=found, decision=request.POST.get("decision", "")[:16],
                note=request.POST.get("note", "")[:2000],
            )  # fmt: skip
            messages.success(request, _("Pengaduan %(pk)s diselesaikan.") % {"pk": found.pk})
            return redirect("wallets:grievances")
        except TerbukaError as refused:
            if refused.code == "forbidden":
                raise HttpForbidden from refused
            error = refused
    context = {
        "rows": selectors.grievances_of(code), "decisions": Grievance.Decision.choices,
        "error": error,
    }  # fmt: skip
    return render(request, "wallets/grievances.html", context, status=422 if error else 200)
