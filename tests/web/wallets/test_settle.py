"""Test merchants' settlements: the ledger postings, the report, the log entry, idempotency by
key, role and region checks, the officer page, `terbuka wallets settle`, and no double
settlement when two officers race (PostgreSQL threads)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import threading
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from terbuka.errors import TerbukaError, ValidationError
from terbuka.money.spend import merchant_account
from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.accounts.services import PermissionDenied
from terbuka_web.ledger.models import Account, Posting
from terbuka_web.ledger.selectors import ledger_check
from terbuka_web.regions.models import Region
from terbuka_web.transparency.models import LogEntry
from terbuka_web.wallets.models import Payment, Settlement
from terbuka_web.wallets.payments import payment_accept
from terbuka_web.wallets.settlements import settlement_account, settlement_create, settlement_csv

from .conftest import SLUG, B, World, approved, enrol, intent


def balance(key: str) -> int:
    return Account.objects.filter(key=key).values_list("balance", flat=True).first() or 0


def paid(world: World, amounts: list[int], person: int = 0) -> list[Payment]:
    key = enrol(world, world.people[person])
    return [payment_accept(intent=intent(key, a).format()) for a in amounts]


@pytest.mark.django_db
def test_a_settlement_posts_reports_and_logs(world: World) -> None:
    payments = paid(world, [25_000, 10_000])
    done = settlement_create(officer=world.ppk, merchant=approved("toko-ani"), key="s-2026-12-06")
    assert (done.amount, done.count, done.totals) == (35_000, 2, {SLUG: 35_000})
    assert balance(merchant_account("toko-ani")) == 0
    assert balance(settlement_account("toko-ani")) == 35_000
    assert Posting.objects.filter(key="settle:s-2026-12-06").exists() and ledger_check().ok
    report = settlement_csv(done)
    rows = list(csv.reader(io.StringIO(report.decode())))
    assert rows[0] == ["kind", "intent_hash", "programme", "amount", "counter", "accepted_at",
                       "offline"]  # fmt: skip
    assert [r[1] for r in rows[1:3]] == [p.intent_hash for p in payments]
    assert rows[3][:4] == ["total", "", SLUG, "35000"]
    entry = json.loads(LogEntry.objects.get(kind="wallet.settlement").data)
    assert entry == {
        "kind": "wallet.settlement", "merchant": "toko-ani", "key": "s-2026-12-06",
        "amount": 35_000, "count": 2, "totals": {SLUG: 35_000},
        "report_sha256": hashlib.sha256(report).hexdigest(),
    }  # fmt: skip
    assert world.ppk.username not in json.dumps(entry)
    # a later payment is settled by the next settlement only
    paid(world, [5_000], person=1)
    later = settlement_create(officer=world.ppk, merchant=approved("toko-ani"), key="s-2")
    assert (later.amount, later.count) == (5_000, 1)
    assert balance(settlement_account("toko-ani")) == 40_000


@pytest.mark.django_db
def test_the_same_key_settles_once(world: World) -> None:
    paid(world, [25_000])
    first = settlement_create(officer=world.ppk, merchant=approved("toko-ani"), key="k1")
    again = settlement_create(officer=world.ppk, merchant=approved("toko-ani"), key="k1")
    assert again.pk == first.pk and Settlement.objects.count() == 1
    assert LogEntry.objects.filter(kind="wallet.settlement").count() == 1
    with pytest.raises(ValidationError) as nothing:  # another key: nothing left to settle
        settlement_create(officer=world.ppk, merchant=approved("toko-ani"), key="k2")
    assert nothing.value.where == "merchant"
    with pytest.raises(ValidationError) as other:
        settlement_create(officer=world.ppk, merchant=approved("apotek-a"), key="k1")
    assert other.value.where == "key"
    with pytest.raises(TerbukaError) as bad:
        settlement_create(officer=world.ppk, merchant=approved("toko-ani"), key="a b")
    assert bad.value.where == "key"


@pytest.mark.django_db
def test_role_and_region_are_checked(world: World) -> None:
    paid(world, [25_000])
    with pytest.raises(PermissionDenied):  # an operator enrols but does not settle
        settlement_create(officer=world.operator, merchant=approved("toko-ani"), key="k1")
    village_b = Agency.objects.create(
        code="desa-b", name="Pemerintah Desa B", kind=Agency.Kind.DESA,
        government=Region.objects.get(code=B),
    )  # fmt: skip
    stranger = User.objects.create_user("ppk.desa-b", role=Role.PPK, agency=village_b)
    with pytest.raises(PermissionDenied):
        settlement_create(officer=stranger, merchant=approved("toko-ani"), key="k1")
    assert not Settlement.objects.exists() and balance(merchant_account("toko-ani")) == 25_000


@pytest.mark.django_db
def test_the_officer_page_settles_and_shows_the_report(world: World) -> None:
    payments = paid(world, [25_000, 10_000])
    anonymous = Client().get("/dompet/penyelesaian/")
    assert anonymous.status_code == 302
    operator = Client()
    operator.force_login(world.operator)
    assert operator.get("/dompet/penyelesaian/").status_code == 403
    client = Client()
    client.force_login(world.ppk)
    page = client.get("/dompet/penyelesaian/")
    assert page.status_code == 200 and "toko-ani" in page.content.decode()
    answer = client.post("/dompet/penyelesaian/", {"merchant": "toko-ani", "key": "web-1"})
    assert answer.status_code == 302 and answer["Location"] == "/dompet/penyelesaian/web-1/"
    again = client.post("/dompet/penyelesaian/", {"merchant": "toko-ani", "key": "web-1"})
    assert again.status_code == 302 and Settlement.objects.count() == 1  # a double submit
    report = client.get("/dompet/penyelesaian/web-1/").content.decode()
    assert all(p.intent_hash in report for p in payments) and "Rp 35.000" in report
    download = client.get("/dompet/penyelesaian/web-1.csv")
    assert download["Content-Type"].startswith("text/csv")
    assert download.content == settlement_csv(Settlement.objects.get())
    refused = client.post("/dompet/penyelesaian/", {"merchant": "toko-ani", "key": "web-2"})
    assert refused.status_code == 422 and "no unsettled payment" in refused.content.decode()
    assert Client().get("/dompet/penyelesaian/web-1/").status_code == 302
    assert operator.get("/dompet/penyelesaian/web-1.csv").status_code == 403


@pytest.mark.django_db
def test_the_command_settles_and_writes_the_report(world: World, tmp_path: Path) -> None:
    paid(world, [25_000])
    out = io.StringIO()
    report = tmp_path / "laporan.csv"
    call_command("terbuka_wallets", "settle", "toko-ani", "--officer", "ppk.dinsos", "--key",
                 "cli-1", "--csv", str(report), stdout=out)  # fmt: skip
    assert "Rp 25000" in out.getvalue() and report.read_bytes().startswith(b"kind,intent_hash")
    with pytest.raises(CommandError, match="no unsettled payment"):
        call_command("terbuka_wallets", "settle", "toko-ani", "--officer", "ppk.dinsos",
                     "--key", "cli-2")  # fmt: skip
    with pytest.raises(CommandError, match="unknown merchant"):
        call_command("terbuka_wallets", "settle", "nope", "--officer", "ppk.dinsos", "--key", "x")


@pytest.mark.django_db(transaction=True)
def test_racing_settlements_pay_out_once(world: World) -> None:
    if connection.vendor == "sqlite":  # writers there are serialised (BEGIN IMMEDIATE)
        pytest.skip("threads cannot share SQLite's in-memory test database: PostgreSQL only")
    paid(world, [25_000, 10_000, 5_000])
    merchant = approved("toko-ani")
    done: list[int] = []
    refused: list[str] = []

    def settle(key: str) -> None:
        try:
            done.append(settlement_create(officer=world.ppk, merchant=merchant, key=key).pk)
        except TerbukaError as error:
            refused.append(error.message_en)
        finally:
            connection.close()

    for keys in (["r1", "r2", "r3", "r4"], ["same"] * 4):
        done.clear()
        refused.clear()
        threads = [threading.Thread(target=settle, args=(k,)) for k in keys]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        if keys[0] == "r1":
            assert len(done) == 1 and len(refused) == 3, refused
            paid(world, [1_000], person=1)  # new money for the same-key round
        else:
            assert len(set(done)) == 1 and len(done) == 4 and not refused
    assert Settlement.objects.count() == 2
    assert balance(settlement_account("toko-ani")) == 41_000
    assert balance(merchant_account("toko-ani")) == 0 and ledger_check().ok
