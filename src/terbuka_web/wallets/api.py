"""JSON API of citizens' wallets (mounted at /api/wallets by the api app; docs/api.md).

POST /api/wallets/enrolments {"challenge", "wallet", "proof"} enrols the device's key with
the challenge an officer issued (201); POST /api/wallets/payments {"intent": "TPI1…"} pays
(201, the receipt, read from the payment just written: log_index and proof null until the
sequencer integrates its entry) or refuses with the reason (422, error code payment_refused
and "reason"); GET /api/wallets/payments/{hash} is the receipt with its inclusion proof;
GET /api/wallets/{did} the wallet's chain head and balances; GET /api/wallets/merchants the
approved merchants.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from terbuka_web.api.errors import ERRORS
from terbuka_web.wallets import selectors
from terbuka_web.wallets.payments import payment_accept
from terbuka_web.wallets.services import wallet_enrol

router = Router(tags=["wallets"])


class MerchantOut(Schema):
    id: str
    name: str
    category: str
    village_code: str
    village: str


@router.get("/merchants", response={200: list[MerchantOut], **ERRORS})
def merchants_list(request: HttpRequest) -> list[dict[str, str]]:
    """Pedagang yang disetujui / approved merchants (id, name, category, village)."""
    return [
        {"id": m.code, "name": m.name, "category": m.category, "village_code": m.village_id,
         "village": m.village.name}
        for m in selectors.merchants_approved()
    ]  # fmt: skip


class EnrolIn(Schema):
    challenge: str = Field(max_length=100)
    wallet: str = Field(max_length=100)
    proof: str = Field(max_length=200)


class EnrolOut(Schema):
    wallet: str
    replaces: str | None


@router.post("/enrolments", response={201: EnrolOut, **ERRORS})
def enrolment_create(request: HttpRequest, body: EnrolIn) -> Status[dict[str, Any]]:
    """Daftarkan kunci dompet / enrol a wallet key with an officer's challenge and its proof."""
    wallet = wallet_enrol(challenge=body.challenge, wallet=body.wallet, proof=body.proof)
    old = selectors.wallet_replaced(wallet)
    return Status(201, {"wallet": wallet.did, "replaces": old})


class PaymentIn(Schema):
    intent: str = Field(max_length=400)


class ReceiptOut(Schema):
    hash: str
    wallet: str
    merchant: str
    programme: str
    amount: int
    counter: int
    intent: str
    offline: bool
    accepted_at: dt.datetime
    log_index: int | None
    proof: str | None


@router.post("/payments", response={201: ReceiptOut, **ERRORS})
def payment_create(request: HttpRequest, body: PaymentIn) -> Status[dict[str, Any]]:
    """Bayar dengan niat bertanda tangan / pay with a signed intent (422 with the reason)."""
    payment = payment_accept(intent=body.intent)
    return Status(201, selectors.receipt_of(payment, index=None))


@router.get("/payments/{hash}", response={200: ReceiptOut, **ERRORS})
def payment_get(request: HttpRequest, hash: str) -> dict[str, Any]:
    """Tanda terima dengan bukti log / a payment's receipt with its inclusion proof."""
    return _receipt(hash[:43])


def _receipt(intent_hash: str) -> dict[str, Any]:
    receipt = selectors.payment_receipt(intent_hash)
    if receipt is None:
        raise Http404("pembayaran tidak ditemukan / payment not found")
    return receipt


class BalanceOut(Schema):
    programme: str
    balance: int
    expires: int
    categories: list[str]
    regions: list[str]
    payment_cap: int
    day_cap: int


class WalletOut(Schema):
    wallet: str
    status: str
    counter: int
    head: str
    balances: list[BalanceOut]


@router.get("/{did}", response={200: WalletOut, **ERRORS})
def wallet_show(request: HttpRequest, did: str) -> dict[str, Any]:
    """Saldo dan kepala rantai dompet / a wallet's balances and chain head (no identity)."""
    wallet = selectors.wallet_get(did[:100])
    if wallet is None:
        raise Http404("dompet tidak ditemukan / wallet not found")
    return {
        "wallet": wallet.did, "status": wallet.status, "counter": wallet.counter,
        "head": wallet.head, "balances": selectors.wallet_balances(wallet),
    }  # fmt: skip
