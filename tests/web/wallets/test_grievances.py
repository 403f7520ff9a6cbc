"""Test the grievance queue of offline double spends for officers: the page shows the region's
grievances with their signed evidence and no identity, grievance_resolve records the decision
once with a pseudonymous log entry, roles and regions are checked, no money moves; officers'
navigation links only the wallet pages their role allows."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from terbuka.errors import ValidationError
from terbuka.money.intent import SignedIntent
from terbuka.money.keys import WalletKey
from terbuka.money.spend import merchant_account, offline_account
from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.accounts.services import PermissionDenied
from terbuka_web.ledger.models import Account
from terbuka_web.regions.models import Region
from terbuka_web.transparency.models import LogEntry
from terbuka_web.wallets.grievances import grievance_resolve
from terbuka_web.wallets.models import Grievance
from terbuka_web.wallets.services import merchant_token_issue
from tests.web.benefits.conftest import person

from .conftest import SLUG, A, B, World
from .test_offline import offline, statuses, sync, w_request, x1_counter

pytestmark = pytest.mark.django_db


def double_spend(world: World, merchant: str = "toko-ani", person: int = 0) -> tuple[str, str]:
    """Pay merchant twice with one counter offline and sync both; return (paid, lost) texts."""
    w = offline(world, 50_000, 5, person=person)
    paid = w.pay(merchant, 20_000)
    twin = w.pay(merchant, 25_000, counter=x1_counter(paid), prev=w_request(w))
    token = merchant_token_issue(officer=world.ppk, code=merchant)
    assert statuses(sync(token, [paid, twin])) == [("accepted", None), ("grievance", "counter")]
    return paid.split("~")[0], twin.split("~")[0]


def balances() -> dict[str, int]:
    return dict(Account.objects.values_list("key", "balance"))


def stranger(code: str = B) -> User:
    """A PPK of the village government of code (B: not toko-ani's village)."""
    village = Agency.objects.create(
        code=f"desa-{code}", name=f"Pemerintah Desa {code}", kind=Agency.Kind.DESA,
        government=Region.objects.get(code=code),
    )  # fmt: skip
    return User.objects.create_user(f"ppk.{code}", role=Role.PPK, agency=village)


def test_resolving_records_the_decision_and_logs_it_pseudonymously(
    world: World, issuer: WalletKey
) -> None:
    paid, lost = double_spend(world)
    grievance = Grievance.objects.get()
    before = balances()
    done = grievance_resolve(
        officer=world.ppk, grievance=grievance, decision="rejected",
        note="pedagang menerima salinan QR",
    )  # fmt: skip
    done.refresh_from_db()
    assert (done.resolved, done.decision, done.resolved_by, done.note) == (
        True, "rejected", world.ppk, "pedagang menerima salinan QR")  # fmt: skip
    assert done.resolved_at is not None and balances() == before  # no money moved
    entry = LogEntry.objects.get(kind="wallet.grievance")
    data = json.loads(entry.data)
    assert data == {
        "kind": "wallet.grievance", "wallet": SignedIntent.parse(lost).intent.wallet,
        "merchant": "toko-ani", "reason": "counter", "decision": "rejected",
        "intent": SignedIntent.parse(lost).hash(),
        "evidence": [SignedIntent.parse(t).hash() for t in grievance.evidence],
    }  # fmt: skip
    assert set(data["evidence"]) == {SignedIntent.parse(paid).hash(), data["intent"]}
    private = person(0, A)
    for word in (world.ppk.username, "salinan", private["nama"], private["nik"], "Sukamaju"):
        assert word not in entry.data.decode()


def test_resolving_twice_or_badly_is_refused_and_writes_nothing(
    world: World, issuer: WalletKey
) -> None:
    double_spend(world)
    grievance = Grievance.objects.get()
    for decision, note, where in [("pay", "", "decision"), ("refer", "x" * 1001, "note")]:
        with pytest.raises(ValidationError) as bad:
            grievance_resolve(officer=world.ppk, grievance=grievance, decision=decision, note=note)
        assert bad.value.where == where
    assert not LogEntry.objects.filter(kind="wallet.grievance").exists()
    grievance_resolve(officer=world.ppk, grievance=grievance, decision="refer", note="")
    with pytest.raises(ValidationError) as twice:
        grievance_resolve(officer=world.ppk, grievance=grievance, decision="rejected", note="")
    assert twice.value.where == "grievance" and "already resolved" in twice.value.message_en
    assert "sudah diselesaikan" in twice.value.message_id
    assert Grievance.objects.get().decision == "refer"
    assert LogEntry.objects.filter(kind="wallet.grievance").count() == 1


def test_roles_and_regions_are_checked(world: World, issuer: WalletKey) -> None:
    double_spend(world)
    grievance = Grievance.objects.get()
    for officer in (world.operator, stranger()):
        with pytest.raises(PermissionDenied):
            grievance_resolve(officer=officer, grievance=grievance, decision="refer", note="")
    assert not Grievance.objects.get().resolved
    assert not LogEntry.objects.filter(kind="wallet.grievance").exists()


def test_the_page_shows_the_regions_grievances_and_resolves_one(
    world: World, issuer: WalletKey
) -> None:
    paid, lost = double_spend(world)
    grievance = Grievance.objects.get()
    assert Client().get("/dompet/keberatan/").status_code == 302
    operator = Client()
    operator.force_login(world.operator)
    assert operator.get("/dompet/keberatan/").status_code == 403
    client = Client()
    client.force_login(world.ppk)
    page = client.get("/dompet/keberatan/").content.decode()
    for shown in (lost, paid, SignedIntent.parse(lost).hash(), "Nomor urut dipakai dua kali",
                  "Rp 25.000", "Toko Ani", "tidak memindahkan uang"):  # fmt: skip
        assert shown in page, shown
    assert "Sukamaju" not in page and person(0, A)["nik"] not in page  # names, NIKs
    seen = {}
    for code in (A, B):  # the village governments of toko-ani's village and of another
        village = Client()
        village.force_login(stranger(code))
        seen[code] = (
            f"pengaduan-{grievance.pk}" in village.get("/dompet/keberatan/").content.decode()
        )
    refused = village.post("/dompet/keberatan/", {"grievance": grievance.pk, "decision": "refer"})
    assert refused.status_code == 404  # B's officer: not in their region
    assert seen == {A: True, B: False} and not Grievance.objects.get().resolved
    answer = client.post(
        "/dompet/keberatan/", {"grievance": grievance.pk, "decision": "rejected", "note": "cek"}
    )
    assert answer.status_code == 302 and answer["Location"] == "/dompet/keberatan/"
    again = client.post("/dompet/keberatan/", {"grievance": grievance.pk, "decision": "refer"})
    assert again.status_code == 422 and "already resolved" in again.content.decode()
    assert Grievance.objects.get().decision == "rejected"
    client.cookies["django_language"] = "en"
    english = client.get("/dompet/keberatan/").content.decode()
    for said in ("Resolving a grievance moves no money", "the same counter", "Refused intent",
                 "Rejected: the merchant bears the loss", "Double-spend grievances"):  # fmt: skip
        assert said in english, said
    assert balances()[merchant_account("toko-ani")] == 20_000
    assert balances()[offline_account(SignedIntent.parse(lost).intent.wallet, SLUG)] == 30_000


def test_officers_navigation_links_the_wallet_pages_they_may_use(world: World) -> None:
    links = ("/dompet/petugas/daftar/", "/dompet/penyelesaian/", "/dompet/keberatan/")
    shown = {}
    for user in (world.ppk, world.operator, User.objects.create_user("auditor", role=Role.AUDITOR)):
        client = Client()
        client.force_login(user)
        page = client.get("/kelola/").content.decode()
        shown[user.username] = [link for link in links if f'href="{link}"' in page]
    assert shown == {"ppk.dinsos": list(links), "op.dinsos": [links[0]], "auditor": []}
    client = Client()
    client.force_login(world.ppk)
    page = client.get("/dompet/penyelesaian/").content.decode()
    assert 'href="/dompet/keberatan/"' in page and 'aria-current="page">Penyelesaian' in page


@pytest.mark.django_db(transaction=True)
def test_officers_resolving_at_once_record_one_decision(world: World, issuer: WalletKey) -> None:
    if connection.vendor == "sqlite":  # writers there are serialised (BEGIN IMMEDIATE)
        pytest.skip("threads cannot share SQLite's in-memory test database: PostgreSQL only")
    double_spend(world)
    grievance = Grievance.objects.get()
    done: list[str] = []
    refused: list[str] = []

    def resolve(decision: str) -> None:
        try:
            grievance_resolve(officer=world.ppk, grievance=grievance, decision=decision, note="")
            done.append(decision)
        except ValidationError as error:
            refused.append(error.message_en)
        finally:
            connection.close()

    threads = [threading.Thread(target=resolve, args=(d,)) for d in ["rejected", "refer"] * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(done) == 1 and len(refused) == 3, refused
    assert all("already resolved" in message for message in refused)
    assert Grievance.objects.get().decision == done[0]
    assert LogEntry.objects.filter(kind="wallet.grievance").count() == 1
