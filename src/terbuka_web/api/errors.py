"""Render every API error in one JSON shape, Indonesian first with English beside it.

Shape: {"error": {"code": "not_found", "message": "…", "message_en": "…", "field": ""}}.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ValidationInfo, model_validator

from terbuka.errors import TerbukaError

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("permintaan tidak sah", "bad request"),
    404: ("tidak ditemukan", "not found"),
    405: ("metode HTTP tidak diizinkan", "HTTP method not allowed"),
    422: ("parameter tidak sah", "invalid parameter"),
    500: ("kesalahan internal server", "internal server error"),
    503: ("belum tersedia; coba lagi nanti", "not available yet; try again later"),
}
CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    422: "validation",
    503: "not_ready",
}


class ErrorDetail(Schema):
    code: str
    message: str
    message_en: str
    field: str


class ErrorOut(Schema):
    """Document the one error shape in the OpenAPI answers of every operation."""

    error: ErrorDetail


ERRORS: dict[int, Any] = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def error_body(code: str, message: str, message_en: str, field: str = "") -> dict[str, Any]:
    """Return the API's error object."""
    return {"error": {"code": code, "message": message, "message_en": message_en, "field": field}}


def error_response(
    status: int, message: str = "", message_en: str = "", field: str = ""
) -> JsonResponse:
    """Return a JSON error response of status with the default bilingual text when none given."""
    default_id, default_en = MESSAGES.get(status, ("kesalahan", "error"))
    body = error_body(
        CODES.get(status, "error"), message or default_id, message_en or default_en, field
    )
    return JsonResponse(body, status=status)


class UnknownParameters(Exception):
    """Signal query parameters an endpoint does not know (answered 400 naming the known ones)."""

    def __init__(self, unknown: list[str], allowed: list[str]):
        super().__init__(", ".join(unknown))
        self.unknown, self.allowed = unknown, allowed


class KnownParams(Schema):
    """Refuse, for every endpoint whose query schema derives from it, a parameter it lacks.

    Ninja passes only the parameters a schema declares, so "?supplier=x" would be ignored
    and the answer would look like an unfiltered search; this raises UnknownParameters first.
    """

    @model_validator(mode="before")
    @classmethod
    def _known_only(cls, data: Any, info: ValidationInfo) -> Any:
        request = (info.context or {}).get("request")
        if request is not None:
            allowed = [f.alias or name for name, f in cls.model_fields.items()]
            unknown = sorted(set(request.GET) - set(allowed))
            if unknown:
                raise UnknownParameters(unknown, allowed)
        return data


def on_unknown_parameters(request: HttpRequest, exc: UnknownParameters) -> HttpResponse:
    """Answer 400 naming the unknown parameters and the ones the endpoint accepts."""
    unknown, allowed = ", ".join(exc.unknown)[:200], ", ".join(exc.allowed)
    return error_response(
        400,
        f"parameter tidak dikenal: {unknown}; yang diterima: {allowed}",
        f"unknown parameter: {unknown}; accepted: {allowed}",
        exc.unknown[0][:100],
    )


def _field_of(error: dict[str, Any]) -> str:
    loc = [str(part) for part in error.get("loc", ())]
    if loc and loc[0] in {"query", "path", "body", "header", "cookie"}:
        loc = loc[1:]
    return ".".join(loc)


def on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """Answer 422 naming the first invalid parameter."""
    first = exc.errors[0] if exc.errors else {}
    field = _field_of(first)
    detail = str(first.get("msg", ""))
    return error_response(
        422,
        f"parameter '{field}' tidak sah: {detail}",
        f"invalid parameter '{field}': {detail}",
        field,
    )


def on_terbuka(request: HttpRequest, exc: TerbukaError) -> HttpResponse:
    """Answer 422 with the core error's own bilingual text and location (403 for a write the
    user's role or region does not allow, error code "forbidden")."""
    status = 403 if exc.code == "forbidden" else 422
    return JsonResponse({"error": {**exc.as_dict(), "code": exc.code}}, status=status)


class Unauthorised(HttpError):
    """Refuse a request without valid credentials: 401 with Indonesian and English text."""

    def __init__(self, message_id: str, message_en: str, field: str = "Authorization") -> None:
        super().__init__(401, message_en)
        self.message_id = message_id
        self.message_en = message_en
        self.field = field


def on_http(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """Answer the HttpError's status in the error shape (an Unauthorised's text per language)."""
    if isinstance(exc, Unauthorised):
        return error_response(401, exc.message_id, exc.message_en, exc.field)
    return error_response(exc.status_code, str(exc.message), str(exc.message))


def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
    """Answer 404 in the error shape."""
    text = str(exc) if exc.args else ""
    message, _, message_en = text.partition(" / ")
    return error_response(404, message, message_en)


def on_crash(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Log the exception and answer 500 without leaking internals."""
    log.exception("API error on %s", request.path)
    return error_response(500)


def handlers_register(api: NinjaAPI) -> None:
    """Register the handlers so that every error leaves the API in the one shape."""
    api.add_exception_handler(NinjaValidationError, on_validation)
    api.add_exception_handler(UnknownParameters, on_unknown_parameters)
    api.add_exception_handler(TerbukaError, on_terbuka)
    api.add_exception_handler(HttpError, on_http)
    api.add_exception_handler(Http404, on_404)
    api.add_exception_handler(Exception, on_crash)


def not_found_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Answer 404 in the error shape for any /api/ path no operation matches."""
    return error_response(404, f"tidak ada endpoint {request.path}", f"no endpoint {request.path}")


def json_not_allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap an API view so that its 405 answer uses the error shape (keeping Allow)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code != 405 or response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return response
        method = request.method or ""
        shaped = error_response(
            405,
            f"metode {method} tidak diizinkan di {request.path}",
            f"method {method} is not allowed on {request.path}",
        )
        shaped["Allow"] = response.get("Allow", "GET")
        return shaped

    return wrapper
