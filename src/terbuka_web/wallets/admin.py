"""Admin of the wallets app: read-only. Enrolment, approval and payments go through services."""

from __future__ import annotations

from django.contrib import admin

from terbuka_web.ledger.admin import ReadOnly
from terbuka_web.wallets.models import Merchant, Payment


@admin.register(Merchant)
class MerchantAdmin(ReadOnly):
    list_display = ["code", "name", "category", "village", "approved_at"]
    list_filter = ["category"]
    search_fields = ["code", "name"]


@admin.register(Payment)
class PaymentAdmin(ReadOnly):
    list_display = ["intent_hash", "merchant", "programme", "amount", "accepted_at"]
    search_fields = ["intent_hash"]
