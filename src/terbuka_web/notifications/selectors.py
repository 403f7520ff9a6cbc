"""Selectors of the notifications app: the outbox as admins see it (never an address)."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from terbuka_web.notifications.models import Notification


def notifications_list(*, status: str = "") -> QuerySet[Notification]:
    """Return the notices, newest first, of status (any when empty), without their addresses."""
    rows = Notification.objects.defer("recipient", "body")
    return rows.filter(status=status) if status else rows


def notifications_count_by_status() -> dict[str, int]:
    """Return how many notices each status holds, e.g. {"sent": 40, "failed": 2}."""
    counted = Notification.objects.values_list("status").annotate(n=Count("id")).order_by()
    return dict(counted)  # type: ignore[arg-type]
