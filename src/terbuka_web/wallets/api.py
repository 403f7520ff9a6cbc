"""JSON API of citizens' wallets (mounted at /api/wallets by the api app; docs/api.md).

POST /api/wallets/enrolments {"challenge", "wallet", "proof"} enrols the device's key with
the challenge an officer issued (201); POST /api/wallets/payments {"intent": "TPI1…"} pays
(201, the receipt, read from the payment just written: log_index and proof null until the
sequencer integrates its entry) or refuses with the reason (422, error code payment_refused
and "reason"); GET /api/wallets/payments/{hash} is the receipt with its inclusion proof;
GET /api/wallets/{did} the wallet's chain head and balances; GET /api/wallets/{did}/payments
its receipts (proofs included) and GET /api/wallets/{did}/credits the money that came in (the
citizen app's history and notices), each only with the wallet's own read proof "Authorization:
Wallet <at>.<signature>" (terbuka.money.reads; 401 without); GET /api/wallets/merchants the
approved merchants.

Offline payments (docs/wallet.md, "Offline allowances and sync"):

POST /api/wallets/allowances {"intent": "TPI1…", "count": K} — the wallet asks for an
offline allowance with an ordinary signed intent of its own chain (counter = the wallet's
"counter" + 1, prev = its "head", as GET /api/wallets/{did} shows) paying the allowance's
amount to the reserved merchant id "luring" (the wallet's offline reserve); K (1–20) is how
many offline intents it wants. Accepted like a payment (row lock, chain, expiry, balance),
it moves the amount from the wallet's balance to its offline reserve on the ledger and
answers 201:

    {"allowance": "TOA1.<wallet>.<programme>.<amount>.<count>.<start>.<expires>…<sig>",
     "hash": "<allowance hash>", "request": "<the request intent's hash>",
     "programme": "pip-2026", "amount": 150000, "count": 5, "start": 8,
     "expires": 1797120000, "next_counter": 13, "next_prev": "<allowance hash>"}

The allowance covers counters start..start+count-1 with start = request counter + 1: the
first offline intent has prev = the request's hash, each next one the previous one's hash.
Online intents skip the reserved counters: the wallet's next online intent (or next
allowance request) is number next_counter with prev = next_prev (the allowance's hash); the
wallet's head shown by GET /api/wallets/{did} says the same. Refusals: 422 payment_refused
with "reason" (forged, chain_fork, chain_gap, expired, wrong_programme,
insufficient_balance, unknown_wallet, revoked_wallet, …); 400 for a bad count.

POST /api/wallets/sync {"vouchers": ["TPI1…~TOA1…", …], "taken": [unix seconds, …]}
(at most 500; "taken", optional, when the merchant took each voucher), header
"Authorization: Bearer <merchant token>" (the token an officer issued for the merchant,
`terbuka wallet merchant-token`; 401 without a valid one) — the merchant hands in the
vouchers it took offline. Answer 200, one result per voucher in the order sent:

    {"merchant": "toko-ani",
     "results": [{"hash": "<intent hash>", "status": "accepted", "reason": null,
                  "receipt": "/api/wallets/payments/<hash>"}, …]}

status: "accepted" (paid now from the wallet's offline reserve to the merchant; the
receipt has the log's inclusion proof), "duplicate" (accepted by an earlier sync),
"waiting" (an earlier intent of that wallet's offline chain has not been synced yet: decided
when it arrives), "grievance" (a double spend — reason "counter", "fork", "overdrawn" or
"late" — queued for an officer with both signed intents, or a purpose rule the merchant
should have refused it by: "expired", "wrong_category", "wrong_region", "over_payment_cap",
"over_day_cap"), "refused" (not a payment to this
merchant: reason forged, wrong_wallet, outside_allowance, unknown_allowance,
wrong_merchant or a format error; "hash" null when it does not parse). Retrying a sync
(same or overlapping vouchers) is idempotent.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from terbuka.errors import TerbukaError
from terbuka.money.reads import read_authorization_check
from terbuka_web.api.auth import TokenBearer
from terbuka_web.api.errors import ERRORS, ErrorOut, Unauthorised
from terbuka_web.wallets import selectors
from terbuka_web.wallets.models import Wallet
from terbuka_web.wallets.offline import MAX_VOUCHERS, allowance_issue, vouchers_sync
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


class AllowanceIn(Schema):
    intent: str = Field(max_length=400)
    count: int


class AllowanceOut(Schema):
    allowance: str
    hash: str
    request: str
    programme: str
    amount: int
    count: int
    start: int
    expires: int
    next_counter: int
    next_prev: str


@router.post("/allowances", response={201: AllowanceOut, **ERRORS})
def allowance_create(request: HttpRequest, body: AllowanceIn) -> Status[dict[str, Any]]:
    """Minta jatah luring / ask for an offline allowance with a signed intent to "luring"."""
    a = allowance_issue(intent=body.intent, count=body.count)
    return Status(201, {
        "allowance": a.text, "hash": a.hash, "request": a.request_hash, "programme": a.programme,
        "amount": a.amount, "count": a.count, "start": a.start, "expires": a.expires,
        "next_counter": a.start + a.count, "next_prev": a.hash,
    })  # fmt: skip


class SyncIn(Schema):
    vouchers: list[str] = Field(max_length=MAX_VOUCHERS)
    taken: list[int] | None = Field(default=None, max_length=MAX_VOUCHERS)


class SyncResultOut(Schema):
    hash: str | None
    status: str
    reason: str | None
    receipt: str | None


class SyncOut(Schema):
    merchant: str
    results: list[SyncResultOut]


MERCHANT = TokenBearer(
    lambda request, token: selectors.merchant_of_token(token),
    ("token pedagang tidak sah", "the merchant token is not valid"),
)


@router.post("/sync", response={200: SyncOut, 401: ErrorOut, **ERRORS}, auth=MERCHANT)
def vouchers_sync_create(request: HttpRequest, body: SyncIn) -> dict[str, Any]:
    """Sinkronkan voucher luring pedagang / a merchant hands in its offline vouchers."""
    merchant = request.auth  # type: ignore[attr-defined]
    results = vouchers_sync(merchant=merchant, vouchers=body.vouchers, taken=body.taken)
    return {"merchant": merchant.code, "results": [r.as_data() for r in results]}


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


class CreditOut(Schema):
    id: int
    programme: str
    amount: int
    kind: str
    at: dt.datetime


@router.get("/{did}/payments", response={200: list[ReceiptOut], 401: ErrorOut, **ERRORS})
def wallet_payments(request: HttpRequest, did: str) -> list[dict[str, Any]]:
    """Riwayat pembayaran dompet / a wallet's last 50 receipts with proofs, newest first."""
    return selectors.wallet_receipts(_reader(request, did))


@router.get("/{did}/credits", response={200: list[CreditOut], 401: ErrorOut, **ERRORS})
def wallet_credits(request: HttpRequest, did: str) -> list[dict[str, Any]]:
    """Dana masuk ke dompet / the last 50 credits into a wallet, newest first."""
    return selectors.wallet_credits(_reader(request, did))


def _wallet(did: str) -> Wallet:
    wallet = selectors.wallet_get(did[:100])
    if wallet is None:
        raise Http404("dompet tidak ditemukan / wallet not found")
    return wallet


def _reader(request: HttpRequest, did: str) -> Wallet:
    """Return wallet did when the request carries that wallet's own read proof; 401 else.

    The proof is "Authorization: Wallet <at>.<signature>" (terbuka.money.reads): a did:key is
    in every payment QR, and it alone must not show the wallet's money to whoever saw one.
    """
    header = request.headers.get("Authorization", "")
    try:
        read_authorization_check(did[:100], header, int(time.time()))
    except TerbukaError as error:
        raise Unauthorised(error.message_id, error.message_en) from None
    return _wallet(did)


@router.get("/{did}", response={200: WalletOut, 401: ErrorOut, **ERRORS})
def wallet_show(request: HttpRequest, did: str) -> dict[str, Any]:
    """Saldo dan kepala rantai dompet / a wallet's balances and chain head (no identity)."""
    wallet = _reader(request, did)
    return {
        "wallet": wallet.did, "status": wallet.status, "counter": wallet.counter,
        "head": wallet.head, "balances": selectors.wallet_balances(wallet),
    }  # fmt: skip
