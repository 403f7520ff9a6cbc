"""Helpers the apps' views share: form error summaries, service errors on fields, a paged list,
and the confirmation page every destructive action shows first."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from terbuka.errors import TerbukaError

LIST_PAGE_SIZE = 50


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


def confirm_render(
    request: HttpRequest,
    *,
    title: str,
    message: str,
    confirm_label: str,
    cancel_url: str,
    error: str = "",
) -> HttpResponse:
    """Render the page that asks before a destructive action: a POST form to the same URL with
    one confirming button and a cancel link; works without JavaScript. Status 400 with error."""
    context = {
        "title": title,
        "message": message,
        "confirm_label": confirm_label,
        "cancel_url": cancel_url,
        "error": error,
    }
    return render(request, "common/confirm.html", context, status=400 if error else 200)
