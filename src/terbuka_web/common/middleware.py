"""Middleware shared by every app."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers

from terbuka.human import size_over_words


class IndonesianFirstLocaleMiddleware:
    """Serve Bahasa Indonesia unless the visitor chose English with the language switch.

    Browser Accept-Language headers are ignored on purpose: many Indonesian phones run an
    English system locale, yet the portal speaks Indonesian first. The switch sets Django's
    language cookie, which this middleware honours.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class SecurityHeadersMiddleware:
    """Send the Content-Security-Policy and Permissions-Policy of settings on every response.

    A view may set a stricter policy of its own (documents are served with a sandbox): the
    header is only added when the response has none.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def request_body_limit(request: HttpRequest) -> int:
    """Return the largest body, in bytes, that request may send.

    A signed-in user's PDF upload: MAX_UPLOAD_BYTES plus UPLOAD_OVERHEAD_BYTES for the form
    fields and multipart headers; any other signed-in request: DATA_UPLOAD_MAX_MEMORY_SIZE;
    anyone not signed in (login form, language switch): ANONYMOUS_BODY_MAX_BYTES.
    """
    if not request.user.is_authenticated:
        return int(settings.ANONYMOUS_BODY_MAX_BYTES)
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    if match.view_name == "contracting:document_upload":
        return int(settings.MAX_UPLOAD_BYTES + settings.UPLOAD_OVERHEAD_BYTES)
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


class RequestBodyLimitMiddleware:
    """Answer 413 to a request whose declared Content-Length exceeds its limit, unread.

    Runs before CSRF or any view touches request.POST/FILES, so a refused body is never
    parsed nor spooled to a temporary file. Django reads no more than Content-Length, and
    a body without one (chunked) as empty, so the declared length bounds what is read.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # Django reads such a body as empty too
        if declared <= settings.ANONYMOUS_BODY_MAX_BYTES:
            return self.get_response(request)  # within every limit: no session lookup
        limit = request_body_limit(request)
        if declared > limit:
            over_id, over_en = size_over_words(declared, limit)
            if request.path_info.startswith("/open311/"):  # the spec's error body
                from terbuka_web.participation.open311_views import error_response

                fmt = "xml" if request.path_info.endswith(".xml") else "json"
                return error_response(400, f"permintaan {over_id} / request {over_en}", fmt)
            return HttpResponse(
                f"Permintaan terlalu besar: {over_id} untuk alamat ini.\n"
                f"Request too large: {over_en} of this address.\n",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
