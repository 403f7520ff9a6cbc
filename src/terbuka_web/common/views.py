"""Helpers the apps' views share: form error summaries, service errors on fields, a paged list,
and the confirmation page every destructive action shows first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from terbuka.errors import TerbukaError

LIST_PAGE_SIZE = 50


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Render the styled 403 page of a form sent without a valid CSRF token (CSRF_FAILURE_VIEW).

    The usual cause is a form left open past a login or logout, or cookies turned off; the
    page says how to send it again. reason (Django's, English) is not shown.
    """
    return render(request, "403_csrf.html", status=403)


def form_errors(form: Any, formsets: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return the template context of the error summary: forms with errors, formset errors."""
    rows = [row for fs in (formsets or {}).values() for row in fs.forms]
    return {
        "error_forms": [f for f in [form, *rows] if f.is_bound and f.errors],
        "formset_errors": [
            e for fs in (formsets or {}).values() if fs.is_bound for e in fs.non_form_errors()
        ],
    }


def service_error_attach(form: Any, exc: TerbukaError) -> None:
    """Attach a service error to the form field it names, or to the whole form."""
    message = f"{exc.message_id} / {exc.message_en}"
    field = exc.where.strip("/").split("/")[0] if exc.where else None
    form.add_error(field if field in form.fields else None, message)


def page_of(request: HttpRequest, rows: QuerySet[Any]) -> tuple[Page[Any], str]:
    """Return the requested page (?page=, LIST_PAGE_SIZE rows; out of range gives the last)
    of rows, and the request's other query parameters, URL-encoded, for the pager links."""
    page = Paginator(rows, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def confirm_then(
    request: HttpRequest,
    *,
    act: Callable[[], HttpResponse],
    title: str,
    message: str,
    confirm_label: str,
    cancel_url: str,
) -> HttpResponse:
    """Ask before a destructive action (GET), then take it (POST) by calling act, which returns
    the response to send on success.

    The question is a POST form to the same URL with one confirming button and a cancel link,
    so it works without JavaScript. A refusal by the service (TerbukaError) is shown on the
    question page with status 400; a permission refusal (code "forbidden") becomes a 403.
    """
    error = ""
    if request.method == "POST":
        try:
            return act()
        except TerbukaError as exc:
            if exc.code == "forbidden":
                raise HttpForbidden from exc
            error = f"{exc.message_id} / {exc.message_en}"
    context = {
        "title": title,
        "message": message,
        "confirm_label": confirm_label,
        "cancel_url": cancel_url,
        "error": error,
    }
    return render(request, "common/confirm.html", context, status=400 if error else 200)
