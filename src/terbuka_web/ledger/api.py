"""JSON API of the money ledger: GET /api/ledger/summary (mounted by the api app).

Read-only; no endpoint moves money. Answers the number of accounts and their total balance per
account kind, and the number of postings, e.g. {"postings": 2, "kinds": [{"kind": "treasury",
"accounts": 1, "balance": -1000000}, {"kind": "programme", "accounts": 1, "balance": 700000},
…]}: kinds in a fixed order, balances in integer Rupiah, summing to 0.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from terbuka_web.ledger.selectors import ledger_summary, postings_count

router = Router(tags=["ledger"])


class KindTotal(Schema):
    kind: str
    accounts: int
    balance: int


class LedgerSummary(Schema):
    postings: int
    kinds: list[KindTotal]


@router.get("/summary", response=LedgerSummary)
def ledger_summary_get(request: HttpRequest) -> dict[str, Any]:
    """Ringkasan buku besar uang per jenis akun / the money ledger's totals per account kind."""
    return {"postings": postings_count(), "kinds": ledger_summary()}
