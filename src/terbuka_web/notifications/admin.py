"""Admin of the outbox: read-only, never showing an address (a sealed one is not shown)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from terbuka_web.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["created_at", "kind", "ref", "audience", "channel", "status", "attempts",
                    "next_attempt_at", "sent_at", "last_error"]  # fmt: skip
    list_filter = ["status", "channel", "kind"]
    search_fields = ["ref", "audience"]
    exclude = ["recipient"]
    readonly_fields = [f.name for f in Notification._meta.fields if f.name != "recipient"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
