"""Pages of the wallets app: the merchant's offline check of a QR payment at /dompet/pedagang/,
its service worker (/dompet/sw.js, scope /dompet/) and the web app manifest."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from terbuka_web.wallets import selectors


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
