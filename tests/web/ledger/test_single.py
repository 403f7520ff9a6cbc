"""Tests of posting_record_in, the ledger's one-posting path inside the caller's transaction
(wallet payments), on the suite's database (SQLite or PostgreSQL): same rules and rows as
postings_record, fewer statements."""

from __future__ import annotations

import pytest
from django.db import transaction

from terbuka.errors import ValidationError
from terbuka.money.errors import BalanceNegative, IdempotencyConflict, PaymentRefused
from terbuka.money.posting import posting_make
from terbuka_web.ledger.models import Account, Leg, Posting
from terbuka_web.ledger.selectors import ledger_check
from terbuka_web.ledger.services import posting_record, posting_record_in

pytestmark = pytest.mark.django_db

FUND = [("treasury:apbd", "debit", 1_000), ("programme:pkh", "credit", 1_000)]


def test_it_creates_missing_accounts_and_writes_the_same_rows_as_postings_record() -> None:
    posting_record(key="fund:1", legs=FUND)
    posting = posting_make(
        "credit:1", [("programme:pkh", "debit", 300), ("entitlement:pkh:a1", "credit", 300)], "m"
    )
    with transaction.atomic():
        assert posting_record_in(posting=posting) is True
    assert dict(Account.objects.values_list("key", "balance")) == {
        "treasury:apbd": -1_000, "programme:pkh": 700, "entitlement:pkh:a1": 300
    }  # fmt: skip
    assert Account.objects.get(key="entitlement:pkh:a1").kind == "entitlement"
    stored = Posting.objects.get(key="credit:1")
    assert list(Leg.objects.filter(posting=stored).values_list("position", "account__key",
                "side", "amount").order_by("position")) == [
        (0, "programme:pkh", "debit", 300), (1, "entitlement:pkh:a1", "credit", 300)
    ]  # fmt: skip
    assert ledger_check().ok, ledger_check().problems


def test_a_repeat_is_a_no_op_and_other_content_under_the_key_is_refused() -> None:
    posting_record(key="fund:1", legs=FUND)
    legs = [("programme:pkh", "debit", 10), ("programme:pip", "credit", 10)]
    with transaction.atomic():
        assert posting_record_in(posting=posting_make("move:1", legs)) is True
        assert posting_record_in(posting=posting_make("move:1", legs)) is False
    with pytest.raises(IdempotencyConflict), transaction.atomic():
        posting_record_in(posting=posting_make("move:1", [(a, s, 11) for a, s, _ in legs]))
    assert Account.objects.get(key="programme:pip").balance == 10


def test_it_refuses_overdrafts_and_unsigned_wallet_debits_writing_nothing() -> None:
    posting_record(key="fund:1", legs=FUND)
    posting_record(key="w:1", legs=[("programme:pkh", "debit", 5), ("wallet:w:pkh", "credit", 5)])
    before = dict(Account.objects.values_list("key", "balance"))
    over = posting_make(
        "over:1", [("programme:pkh", "debit", 996), ("programme:pip", "credit", 996)]
    )
    with pytest.raises(BalanceNegative), transaction.atomic():
        posting_record_in(posting=over)
    take = posting_make("take:1", [("wallet:w:pkh", "debit", 5), ("programme:pkh", "credit", 5)])
    with pytest.raises(PaymentRefused) as refused, transaction.atomic():
        posting_record_in(posting=take)
    assert refused.value.reason == "unsigned_debit"
    assert dict(Account.objects.values_list("key", "balance")) == before
    assert not Posting.objects.filter(key__in=["over:1", "take:1"]).exists()


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_write_outside_a_transaction() -> None:
    with pytest.raises(ValidationError):
        posting_record_in(posting=posting_make("fund:1", FUND))
    assert not Posting.objects.exists() and not Account.objects.exists()
