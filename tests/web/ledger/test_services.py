"""Tests of the ledger app's services and selectors on the suite's database (SQLite or PG)."""

from __future__ import annotations

import json

import pytest
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import Client, RequestFactory

from terbuka.money.errors import (
    AmountRefused,
    BalanceNegative,
    IdempotencyConflict,
    MoneyError,
    PostingUnbalanced,
)
from terbuka.money.ledger import Ledger
from terbuka.money.posting import posting_make, posting_parse
from terbuka_web.ledger.models import Account, Leg, Posting
from terbuka_web.ledger.selectors import ledger_check, ledger_summary
from terbuka_web.ledger.services import posting_record, postings_record

pytestmark = pytest.mark.django_db

FUND = [("treasury:apbd", "debit", 1_000_000), ("programme:pkh", "credit", 1_000_000)]


def balances() -> dict[str, int]:
    return dict(Account.objects.values_list("key", "balance"))


def snapshot() -> tuple[int, int, int, dict[str, int]]:
    return Posting.objects.count(), Leg.objects.count(), Account.objects.count(), balances()


def test_record_creates_accounts_and_moves_money() -> None:
    assert posting_record(key="fund:1", legs=FUND, memo="APBD 2026") is True
    assert posting_record(
        key="credit:1", legs=[("programme:pkh", "debit", 300_000),
                              ("entitlement:pkh:a1", "credit", 300_000)])  # fmt: skip
    assert balances() == {"treasury:apbd": -1_000_000, "programme:pkh": 700_000,
                          "entitlement:pkh:a1": 300_000}  # fmt: skip
    assert Account.objects.get(key="entitlement:pkh:a1").kind == "entitlement"
    posting = Posting.objects.get(key="fund:1")
    assert posting.canonical == (
        '{"currency":"IDR","key":"fund:1","legs":[{"account":"treasury:apbd","amount":1000000,'
        '"side":"debit"},{"account":"programme:pkh","amount":1000000,"side":"credit"}],'
        '"memo":"APBD 2026"}'
    )
    assert [(g.position, g.account.key, g.side) for g in posting.legs.all()] == [
        (0, "treasury:apbd", "debit"), (1, "programme:pkh", "credit")]  # fmt: skip
    assert ledger_check().ok and ledger_check().postings == 2


def test_duplicate_same_content_is_a_no_op_other_content_refused() -> None:
    posting_record(key="fund:1", legs=FUND)
    before = snapshot()
    assert posting_record(key="fund:1", legs=FUND) is False
    assert snapshot() == before
    with pytest.raises(IdempotencyConflict) as caught:
        posting_record(key="fund:1", legs=FUND, memo="lain")
    assert "sudah dipakai" in caught.value.message_id and "already used" in caught.value.message_en
    assert snapshot() == before


@pytest.mark.parametrize(
    ("legs", "error"),
    [
        ([("entitlement:pkh:zz", "debit", 1), ("merchant:m", "credit", 1)], BalanceNegative),
        ([("treasury:apbd", "debit", 2), ("programme:pkh", "credit", 1)], PostingUnbalanced),
        ([("treasury:apbd", "debit", 1.0), ("programme:pkh", "credit", 1.0)], AmountRefused),
        ([("treasury:apbd", "debit", True), ("programme:pkh", "credit", True)], AmountRefused),
        ([("treasury:apbd", "debit", -5), ("programme:pkh", "credit", -5)], AmountRefused),
        ([("treasury:apbd", "debit", 0), ("programme:pkh", "credit", 0)], AmountRefused),
        ([("bank:x", "debit", 1), ("programme:pkh", "credit", 1)], MoneyError),
        ([("treasury:apbd", "debet", 1), ("programme:pkh", "credit", 1)], MoneyError),
        ([("treasury:apbd", "debit", 1)], MoneyError),
    ],
)
def test_refused_postings_write_nothing(legs: list[tuple[str, str, int]], error: type) -> None:
    posting_record(key="fund:1", legs=FUND)
    before = snapshot()
    with pytest.raises(error) as caught:
        posting_record(key="bad", legs=legs)
    assert caught.value.message_id != caught.value.message_en
    assert snapshot() == before


def test_batch_is_all_or_nothing() -> None:
    posting_record(key="fund:1", legs=FUND)
    before = snapshot()
    credits = [
        posting_make(
            f"c:{i}",
            [("programme:pkh", "debit", 300_000), (f"entitlement:pkh:{i}", "credit", 300_000)],
        )
        for i in range(4)  # the fourth overdraws the programme
    ]
    with pytest.raises(BalanceNegative, match="programme:pkh"):
        postings_record(postings=credits)
    assert snapshot() == before
    done = postings_record(postings=credits[:3] + credits[:1])
    assert (done.created, done.repeated) == (3, 1)
    assert balances()["programme:pkh"] == 100_000
    again = postings_record(postings=credits[:3])
    assert (again.created, again.repeated) == (0, 3)
    assert ledger_check().ok


def test_batch_of_many_postings_in_one_call() -> None:
    posting_record(key="fund:1", legs=FUND)
    credits = [
        posting_make(
            f"c:{i}", [("programme:pkh", "debit", 100), (f"entitlement:pkh:{i}", "credit", 100)]
        )
        for i in range(5000)
    ]
    assert postings_record(postings=credits).created == 5000
    assert balances()["programme:pkh"] == 500_000
    check = ledger_check()
    assert check.ok, check.problems
    assert (check.accounts, check.postings, check.total) == (5002, 5001, 0)


def test_database_refuses_a_negative_holder_even_behind_the_services() -> None:
    posting_record(key="fund:1", legs=FUND)
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(key="programme:pkh").update(balance=-1)


def test_ledger_check_finds_tampering() -> None:
    posting_record(key="fund:1", legs=FUND)
    posting_record(key="c:1", legs=[("programme:pkh", "debit", 5), ("wallet:w:food", "credit", 5)])
    Account.objects.filter(key="wallet:w:food").update(balance=6)
    Leg.objects.filter(posting__key="c:1", position=0).update(amount=4)
    Posting.objects.filter(key="fund:1").update(sha256="0" * 64)
    problems = "\n".join(ledger_check().problems)
    assert "wallet:w:food: balance 6 != sum of legs 5" in problems
    assert "programme:pkh: balance 999995 != sum of legs 999996" in problems
    assert "posting c:1: leg rows differ" in problems
    assert "posting fund:1: sha256 does not match" in problems
    assert "balances sum to 1, not 0" in problems


def test_ledger_check_finds_a_broken_canonical_json() -> None:
    posting_record(key="fund:1", legs=FUND)
    Posting.objects.filter(key="fund:1").update(canonical='{"currency":"IDR"}')
    assert "posting fund:1: " in ledger_check().problems[0]


def test_summary_by_kind() -> None:
    posting_record(key="fund:1", legs=FUND)
    summary = ledger_summary()
    assert [row["kind"] for row in summary][:2] == ["treasury", "programme"]
    assert summary[0] == {"kind": "treasury", "accounts": 1, "balance": -1_000_000}
    assert summary[2] == {"kind": "entitlement", "accounts": 0, "balance": 0}


@pytest.mark.parametrize("model", [Account, Posting, Leg])
def test_admin_is_read_only(model: type) -> None:
    model_admin = admin.site._registry.get(model)
    request = RequestFactory().get("/")
    if model_admin is None:  # legs are shown inside their posting only
        return
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_replaying_the_canonical_rows_in_the_core_gives_the_balances() -> None:
    """What docs/ledger.md tells an auditor: parse each posting, apply in id order, compare."""
    posting_record(key="fund:1", legs=FUND)
    posting_record(
        key="c:1", legs=[("programme:pkh", "debit", 7), ("entitlement:p:f", "credit", 7)]
    )
    posting_record(key="c:2", legs=[("entitlement:p:f", "debit", 5), ("merchant:m", "credit", 5)])
    book = Ledger()
    for canonical in Posting.objects.order_by("id").values_list("canonical", flat=True):
        assert book.post(posting_parse(canonical.encode()))
    assert book.balances == balances()


def test_ledger_check_command(capsys: pytest.CaptureFixture[str]) -> None:
    posting_record(key="fund:1", legs=FUND)
    call_command("terbuka_ledger", "check")
    assert "akun / accounts: 2, posting / postings: 1" in capsys.readouterr().out
    call_command("terbuka_ledger", "check", "--json")
    assert json.loads(capsys.readouterr().out) == {
        "accounts": 2, "postings": 1, "total": 0, "problems": []}  # fmt: skip
    Account.objects.filter(key="programme:pkh").update(balance=1)
    with pytest.raises(CommandError) as caught:
        call_command("terbuka_ledger", "check")
    assert caught.value.returncode == 1
    assert (
        "MASALAH / PROBLEM: programme:pkh: balance 1 != sum of legs 1000000"
        in capsys.readouterr().out
    )


def test_summary_api(client: Client) -> None:
    posting_record(key="fund:1", legs=FUND)
    body = client.get("/api/ledger/summary").json()
    assert body["postings"] == 1
    assert body["kinds"][:2] == [
        {"kind": "treasury", "accounts": 1, "balance": -1_000_000},
        {"kind": "programme", "accounts": 1, "balance": 1_000_000},
    ]
    assert client.post("/api/ledger/summary").status_code == 405


def test_a_rolled_back_outer_transaction_takes_the_posting_with_it() -> None:
    posting_record(key="fund:1", legs=FUND)
    before = snapshot()
    with pytest.raises(RuntimeError), transaction.atomic():
        posting_record(key="c:1", legs=[("programme:pkh", "debit", 5), ("merchant:m", "credit", 5)])
        raise RuntimeError("the caller's own step failed")
    assert snapshot() == before
    assert posting_record(
        key="c:1", legs=[("programme:pkh", "debit", 5), ("merchant:m", "credit", 5)]
    )
