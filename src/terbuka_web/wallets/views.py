"""Pages of the wallets app: the merchant's offline check of a QR payment at /dompet/pedagang/,
its service worker (/dompet/sw.js, scope /dompet/) and the web app manifest; the officers'
settlements of merchants at /dompet/penyelesaian/ with each report (HTML and CSV)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from terbuka.errors import TerbukaError
from terbuka_web.wallets import selectors
from terbuka_web.wallets.models import Settlement
from terbuka_web.wallets.settlements import settlement_create, settlement_csv, settlement_payments


@require_safe
def merchant_check(request: HttpRequest) -> HttpResponse:
    """Render the merchant's page: pick the shop, paste a QR payload, check it offline."""
    context = {
        "merchants": selectors.merchants_approved(),
        "issuer": settings.TERBUKA["WALLET_ISSUER"],
    }
    return render(request, "wallets/merchant.html", context)


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """Serve the service worker that keeps /dompet/ pages and their scripts for offline use."""
    response = render(request, "wallets/sw.js", content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/dompet/"
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def manifest(request: HttpRequest) -> HttpResponse:
    """Serve the web app manifest of the wallet pages (installable on a phone)."""
    return render(request, "wallets/manifest.webmanifest", content_type="application/manifest+json")


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
