"""Views of the notifications app: the outbox page of admins (/akun/pemberitahuan/)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from terbuka_web.accounts.selectors import Action, user_can
from terbuka_web.common.views import page_of
from terbuka_web.notifications.models import Notification
from terbuka_web.notifications.selectors import notifications_count_by_status, notifications_list


@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    """List the notices with their delivery (status, attempts, last error), for admins only."""
    if not user_can(request.user, Action.USER_MANAGE):  # type: ignore[arg-type]
        raise PermissionDenied
    status = request.GET.get("status", "")
    status = status if status in Notification.Status.values else ""
    page, query = page_of(request, notifications_list(status=status))
    counts = notifications_count_by_status()
    statuses = [(code, label, counts.get(code, 0)) for code, label in Notification.Status.choices]
    context = {"page": page, "query": query, "status": status, "statuses": statuses}
    return render(request, "notifications/outbox.html", context)
