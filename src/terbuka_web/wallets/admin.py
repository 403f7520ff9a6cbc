"""Admin of the wallets app: read-only. Enrolment, approval and payments go through services;
the grievance queue of offline double spends is listed here (officers resolve it at
/dompet/keberatan/)."""

from __future__ import annotations

from django.contrib import admin

from terbuka_web.ledger.admin import ReadOnly
from terbuka_web.wallets.models import Grievance, Merchant, OfflineAllowance, Payment


@admin.register(Merchant)
class MerchantAdmin(ReadOnly):
    list_display = ["code", "name", "category", "village", "approved_at"]
    list_filter = ["category"]
    search_fields = ["code", "name"]


@admin.register(Payment)
class PaymentAdmin(ReadOnly):
    list_display = ["intent_hash", "merchant", "programme", "amount", "accepted_at"]
    search_fields = ["intent_hash"]


@admin.register(OfflineAllowance)
class OfflineAllowanceAdmin(ReadOnly):
    list_display = ["hash", "programme", "amount", "spent", "returned", "expires", "closed_at"]
    search_fields = ["hash"]


@admin.register(Grievance)
class GrievanceAdmin(ReadOnly):
    """The grievance queue of offline double spends: reason and the signed intents."""

    list_display = ["id", "reason", "wallet", "created_at", "resolved", "decision"]
    list_filter = ["reason", "resolved", "decision"]
    readonly_fields = ["voucher", "wallet", "reason", "evidence", "created_at", "resolved",
                       "decision", "note", "resolved_by", "resolved_at"]  # fmt: skip
