"""Admin of the ledger: read-only. Money moves only through terbuka_web.ledger.services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from terbuka_web.ledger.models import Account, Leg, Posting


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    """Show rows without any add, change or delete permission, even to a superuser."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Account)
class AccountAdmin(ReadOnly):
    list_display = ["key", "kind", "balance", "currency", "created_at"]
    list_filter = ["kind"]
    search_fields = ["key"]


class LegInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Leg
    fields = ["position", "account", "side", "amount"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Posting)
class PostingAdmin(ReadOnly):
    list_display = ["key", "sha256", "created_at"]
    search_fields = ["key", "sha256"]
    readonly_fields = ["key", "canonical", "sha256", "created_at"]
    inlines = [LegInline]
