"""Bound the queries of a payment, so the hot path keeps no N+1 and no needless read: the
bench (bench/wallet_payments.py) depends on it. Every check still runs (test_pay, test_attacks)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from terbuka_web.wallets.payments import payment_accept

from .conftest import World, enrol, intent

# Its transaction (begin, commit); one read: the wallet locked with the merchant, the programme
# with its purpose and the day's spending; the ledger: accounts locked with the posting key's
# hash, then balances, posting and legs (one statement on PostgreSQL, three on SQLite); the log
# entry, the chain head, the payment. No savepoint.
PAYMENT_QUERIES = {"postgresql": 8, "sqlite": 10}


@pytest.mark.django_db
def test_a_payment_asks_a_bounded_number_of_queries(world: World) -> None:
    key = enrol(world, world.people[0])
    payment_accept(intent=intent(key, 1_000).format())  # the merchant's account now exists
    second = intent(key, 1_000).format()
    with CaptureQueriesContext(connection) as direct:
        payment_accept(intent=second)
    assert len(direct.captured_queries) <= PAYMENT_QUERIES[connection.vendor], "\n".join(
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
