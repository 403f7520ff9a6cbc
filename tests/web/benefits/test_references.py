"""The references of ledger legs and cycle items hold on both databases: SQLite by its
foreign keys, PostgreSQL by the statement-level triggers that replace them
(terbuka_web.common.references). Each refusal is an IntegrityError and writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from terbuka_web.benefits.cycles import cycle_run
from terbuka_web.benefits.models import CycleItem, Programme, Registrant
from terbuka_web.common.bulk import rows_insert
from terbuka_web.ledger.models import Account, Leg, Posting
from terbuka_web.ledger.services import posting_record

from .test_cycles import adopted  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
MISSING = 987_654_321
LEG_COLUMNS = ["posting_id", "position", "account_id", "side", "amount"]


def _refused(sql: str, params: list[Any]) -> None:
    """Assert that sql is refused with an IntegrityError by the end of its transaction
    (PostgreSQL's triggers at once, SQLite's deferred keys at the check), rolled back."""
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
        connection.check_constraints()


@pytest.fixture
def posted() -> Posting:
    posting_record(key="f1", legs=[("treasury:apbd", "debit", 500), ("programme:p", "credit", 500)])
    return Posting.objects.get(key="f1")


def test_a_leg_of_no_posting_or_account_is_refused(posted: Posting) -> None:
    account = Account.objects.get(key="programme:p").pk
    legs = Leg.objects.count()
    for posting_id, account_id in ((MISSING, account), (posted.pk, MISSING)):
        with pytest.raises(IntegrityError) as refused, transaction.atomic():
            good = (posted.pk, 7, account, "credit", 1)
            rows_insert(Leg, LEG_COLUMNS, [good, (posting_id, 8, account_id, "credit", 1)])
            connection.check_constraints()
        assert Leg.objects.count() == legs  # the whole statement, the good row too
        if connection.vendor == "postgresql":
            assert f"= {MISSING} tidak ada di" in str(refused.value)
            assert f"= {MISSING} is not in" in str(refused.value)


def test_a_leg_cannot_move_to_another_posting_or_account(posted: Posting) -> None:
    leg = Leg.objects.filter(posting=posted).first()
    assert leg is not None
    _refused("UPDATE ledger_leg SET account_id = %s WHERE id = %s", [MISSING, leg.pk])
    _refused("UPDATE ledger_leg SET posting_id = %s WHERE id = %s", [MISSING, leg.pk])
    leg.refresh_from_db()
    assert leg.posting_id == posted.pk


def test_a_posting_or_account_with_legs_is_never_deleted(posted: Posting) -> None:
    account = Account.objects.get(key="programme:p")
    _refused("DELETE FROM ledger_posting WHERE id = %s", [posted.pk])
    _refused("DELETE FROM ledger_account WHERE id = %s", [account.pk])
    _refused("UPDATE ledger_account SET id = %s WHERE id = %s", [MISSING, account.pk])
    assert Posting.objects.filter(pk=posted.pk).exists()
    assert Account.objects.get(pk=account.pk).balance == 500
    # Without legs, a row may go (the ledger never does it; its tests start afresh so).
    Leg.objects.filter(posting=posted).delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM ledger_posting WHERE id = %s", [posted.pk])
    assert not Posting.objects.filter(pk=posted.pk).exists()


def test_an_item_of_no_cycle_or_registrant_is_refused(adopted: Programme) -> None:  # noqa: F811
    cycle = cycle_run(programme=adopted)
    items = CycleItem.objects.count()
    spare = Registrant.objects.exclude(pk__in=CycleItem.objects.values("registrant_id")).first()
    assert spare is not None
    for row in ((MISSING, spare.pk), (cycle.pk, MISSING)):
        _refused(
            "INSERT INTO benefits_cycleitem (cycle_id, registrant_id, village_code, pseudonym, "
            "amount, clawed_back) VALUES (%s, %s, '35.22.01.2001', 'p', 1, 0)",
            list(row),
        )
    assert CycleItem.objects.count() == items
    item = CycleItem.objects.filter(cycle=cycle).first()
    assert item is not None
    _refused("UPDATE benefits_cycleitem SET registrant_id = %s WHERE id = %s", [MISSING, item.pk])
    _refused("DELETE FROM benefits_cycle WHERE id = %s", [cycle.pk])
    _refused("DELETE FROM benefits_registrant WHERE id = %s", [item.registrant_id])
    assert Registrant.objects.filter(pk=item.registrant_id).exists()


def test_registrants_are_never_deleted_on_postgresql(adopted: Programme) -> None:  # noqa: F811
    """The snapshot reads registrants without locking them, so PostgreSQL, which no longer
    checks items by a locking key, refuses every registrant's DELETE; SQLite's key refuses
    only that of a registrant some item names."""
    spare = Registrant.objects.first()
    assert spare is not None and not CycleItem.objects.exists()
    delete = "DELETE FROM benefits_registrant WHERE id = %s"
    if connection.vendor == "postgresql":
        _refused(delete, [spare.pk])
        assert Registrant.objects.filter(pk=spare.pk).exists()
    else:
        with connection.cursor() as cursor:
            cursor.execute(delete, [spare.pk])
        assert not Registrant.objects.filter(pk=spare.pk).exists()


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite keeps foreign keys")
def test_the_check_probes_the_parent_s_index_however_small_it_was_when_planned() -> None:
    """PL/pgSQL keeps a trigger query's plan for the session: planned while the ledger held
    two accounts (the programme's funding), a check by scanning the table would then scan
    every account for every leg of every later chunk. The check uses the primary key always."""
    fund = [("treasury:apbd", "debit", 5000), ("programme:p", "credit", 5000)]
    posting_record(key="f1", legs=fund)
    with connection.cursor() as cursor:  # as autovacuum does: the ledger is known to be tiny
        cursor.execute("ANALYZE ledger_account, ledger_posting")
    posting_record(key="f2", legs=fund)  # the plan is made now, for a ledger of two accounts
    plans: list[str] = []
    connection.connection.add_notice_handler(lambda notice: plans.append(notice.message_primary))
    with connection.cursor() as cursor:
        cursor.execute("LOAD 'auto_explain'")
        for setting in ("log_min_duration = 0", "log_nested_statements = on",
                        "log_level = notice"):  # fmt: skip
            cursor.execute(f"SET auto_explain.{setting}")
    credits = [(f"entitlement:p:{i}", "credit", 1) for i in range(2000)]
    posting_record(key="c1", legs=[("programme:p", "debit", 2000), *credits])
    checks = [p for p in plans if "FROM ledger_account p" in p]
    assert checks and all("Index Only Scan using ledger_account_pkey" in p for p in checks)
    assert not any("Seq Scan on ledger_account" in p for p in checks)
