"""Bound the queries of a payment, so the hot path keeps no N+1 and no needless read: the
bench (bench/wallet_payments.py) depends on it. Every check still runs (test_pay, test_attacks)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from terbuka_web.wallets.payments import payment_accept

from .conftest import World, enrol, intent

# Its transaction (begin, commit); wallet lock, merchant, programme with purpose, spent today
# (a day cap is set); the ledger: its savepoint, accounts read and locked at once, keys known,
# posting (returning its id), legs, balances, release; the log entry, the chain head, the
# payment.
PAYMENT_QUERIES = 16


@pytest.mark.django_db
def test_a_payment_asks_a_bounded_number_of_queries(world: World) -> None:
    key = enrol(world, world.people[0])
    payment_accept(intent=intent(key, 1_000).format())  # the merchant's account now exists
    second = intent(key, 1_000).format()
    with CaptureQueriesContext(connection) as direct:
        payment_accept(intent=second)
    assert len(direct.captured_queries) <= PAYMENT_QUERIES, "\n".join(
        q["sql"][:90] for q in direct.captured_queries
    )
    third = intent(key, 1_000).format()
    with CaptureQueriesContext(connection) as served:
        answer = Client().post(
            "/api/wallets/payments", {"intent": third},
            content_type="application/json",
        )  # fmt: skip
    assert answer.status_code == 201
    assert len(served.captured_queries) <= len(direct.captured_queries), [
        q["sql"][:80] for q in served.captured_queries
    ]
