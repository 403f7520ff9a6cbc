"""Views of the transparency app: the log as C2SP tlog-tiles serves it, under /log/."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from terbuka.errors import TerbukaError
from terbuka.tlog.errors import MalformedError
from terbuka.tlog.tiles import TILE_WIDTH, parse_tile_path
from terbuka_web.transparency.selectors import (
    checkpoint_latest,
    checkpoint_note,
    log_url,
    log_witnessing,
    policy_current,
    receipt_for,
    tile_read,
)

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=60"


@require_safe
def checkpoint(request: HttpRequest) -> HttpResponse:
    """Serve the latest signed checkpoint with its cosignatures (text/plain, never cached)."""
    latest = checkpoint_latest()
    if latest is None:
        raise Http404("log belum punya checkpoint / the log has no checkpoint yet")
    response = HttpResponse(checkpoint_note(latest), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def tile(request: HttpRequest, path: str) -> HttpResponse:
    """Serve tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>]; 404 beyond the tree."""
    try:
        ref = parse_tile_path(path)
    except MalformedError as exc:
        raise Http404(str(exc)) from exc
    data = tile_read(ref)
    if data is None:
        raise Http404("tile di luar pohon / tile beyond the tree")
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Cache-Control"] = IMMUTABLE if ref.width == TILE_WIDTH else SHORT
    return response


def _witnessing_page(request: HttpRequest, template: str, *, limit: int) -> HttpResponse:
    """Render template with log_witnessing(limit) as `log`, or with the error and status 503."""
    context: dict[str, object] = {"log_url": log_url()}
    try:
        context["log"] = log_witnessing(limit=limit)
    except TerbukaError as exc:
        context["error"] = exc
        return render(request, template, context, status=503)
    return render(request, template, context)


@require_safe
def log_page(request: HttpRequest) -> HttpResponse:
    """Explain the log to citizens: what it is, how to check it, the witnesses, the latest
    cosigned checkpoint (/log/)."""
    return _witnessing_page(request, "transparency/log.html", limit=1)


@require_safe
def witnesses_page(request: HttpRequest) -> HttpResponse:
    """Show the checkpoints the witnesses cosigned, who and when, and why the intermediate
    checkpoints are not cosigned (/log/saksi/)."""
    return _witnessing_page(request, "transparency/saksi.html", limit=20)


@require_safe
def policy_file(request: HttpRequest) -> HttpResponse:
    """Serve the tlog-policy file citizens give to `terbuka verify` (/log/saksi/kebijakan.txt)."""
    try:
        text = policy_current()
    except TerbukaError as exc:
        text = f"{exc.message_id}\n{exc.message_en}\n"
        return HttpResponse(text, status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


@require_safe
def receipt(request: HttpRequest, index: int) -> HttpResponse:
    """Serve the C2SP tlog-proof receipt of entry index (see selectors.receipt_for)."""
    data = receipt_for(index)
    if data is None:
        raise Http404("entri belum ada di log / no such entry in the log yet")
    response = HttpResponse(data, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
