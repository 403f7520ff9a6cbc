"""Admin of the scope app: read-only. A scope version exists only through its decision."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from terbuka_web.scope.models import ScopeVersion


@admin.register(ScopeVersion)
class ScopeVersionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("phase", "effective_from", "decision", "hash")
    readonly_fields = ("policy", "hash", "phase", "effective_from", "decision", "entry_id")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # only a scope_change decision creates a version

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
