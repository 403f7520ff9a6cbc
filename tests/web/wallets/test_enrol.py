"""Test enrolment: proof of possession at an officer's desk of the registrant's region, the
entitlement moving into the wallet, re-enrolment after key loss, and the public log knowing
no identity."""

from __future__ import annotations

import json
import time

import pytest
from django.test import Client

from terbuka.errors import ValidationError
from terbuka.money.enrol import enrol_proof_sign
from terbuka.money.errors import PaymentRefused, SignatureRefused
from terbuka.money.keys import wallet_key_generate
from terbuka.money.spend import wallet_account
from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.accounts.services import PermissionDenied
from terbuka_web.ledger.models import Account
from terbuka_web.ledger.selectors import ledger_check
from terbuka_web.regions.models import Region
from terbuka_web.transparency.models import LogEntry
from terbuka_web.wallets.models import Wallet
from terbuka_web.wallets.payments import payment_accept
from terbuka_web.wallets.services import enrol_challenge_create, wallet_enrol

from .conftest import ENTITLEMENT, SLUG, World, enrol, intent, reading

pytestmark = pytest.mark.django_db


def balance(key: str) -> int:
    return Account.objects.filter(key=key).values_list("balance", flat=True).first() or 0


def test_enrolment_binds_the_key_and_moves_the_entitlement_in(world: World) -> None:
    key = enrol(world, world.people[0])
    wallet = Wallet.objects.get(did=key.did)
    assert wallet.registrant == world.people[0] and wallet.enrolled_by == world.operator
    assert balance(wallet_account(key.did, SLUG)) == ENTITLEMENT
    left = Account.objects.filter(key__startswith=f"entitlement:{SLUG}:", balance__gt=0)
    assert left.count() == 2  # the two registrants not enrolled yet
    entry = LogEntry.objects.get(kind="wallet.enrol")
    assert json.loads(entry.data) == {"kind": "wallet.enrol", "replaces": None, "wallet": key.did}
    assert ledger_check().ok


def test_log_and_api_hold_no_identity(world: World) -> None:
    key = enrol(world, world.people[0])
    payment_accept(intent=intent(key, 10_000).format())
    client = Client()
    public = b"".join(bytes(e.data) for e in LogEntry.objects.filter(kind__startswith="wallet."))
    public += client.get(f"/api/wallets/{key.did}", headers=reading(key)).content
    public += client.get("/api/wallets/merchants").content
    for text in ("Warga Fiktif", "Dusun Uji", "35220101", world.people[0].nik_hash):
        assert text.encode() not in public


def test_officer_outside_the_region_or_without_the_role_is_refused(world: World) -> None:
    district = Region.objects.get(code="35.22.02")
    kecamatan = Agency.objects.create(code="camat-uji", name="Kecamatan Uji", government=district)
    outsider = User.objects.create_user("op.camat", role=Role.OPERATOR, agency=kecamatan)
    admin = User.objects.create_user("admin", role=Role.ADMIN)
    pptk = User.objects.create_user(
        "pptk", role=Role.PPTK, agency=Agency.objects.get(code="3522-dinsos")
    )
    for officer in (outsider, admin, pptk):
        with pytest.raises(PermissionDenied):
            enrol_challenge_create(officer=officer, registrant=world.people[0])


def test_a_forged_expired_or_reused_proof_is_refused(world: World) -> None:
    key, thief = wallet_key_generate(), wallet_key_generate()
    issued = enrol_challenge_create(officer=world.operator, registrant=world.people[0])
    forged = enrol_proof_sign(thief, issued.challenge, issued.expires)
    with pytest.raises(SignatureRefused):
        wallet_enrol(challenge=issued.challenge, wallet=key.did, proof=forged)
    proof = enrol_proof_sign(key, issued.challenge, issued.expires)
    with pytest.raises(PaymentRefused, match="expired"):
        wallet_enrol(
            challenge=issued.challenge, wallet=key.did, proof=proof, now=issued.expires + 1
        )
    wallet_enrol(challenge=issued.challenge, wallet=key.did, proof=proof)
    with pytest.raises(ValidationError, match="used challenge"):
        wallet_enrol(challenge=issued.challenge, wallet=key.did, proof=proof)
    assert Wallet.objects.count() == 1


def test_reenrolment_revokes_the_lost_key_and_moves_the_money(world: World) -> None:
    lost = enrol(world, world.people[0])
    payment_accept(intent=intent(lost, 50_000).format())
    found = enrol(world, world.people[0])  # the officer and the registrant, in person
    old, new = Wallet.objects.get(did=lost.did), Wallet.objects.get(did=found.did)
    assert old.status == Wallet.Status.REVOKED and old.replaced_by == new
    assert balance(wallet_account(lost.did, SLUG)) == 0
    assert balance(wallet_account(found.did, SLUG)) == ENTITLEMENT - 50_000
    entry = LogEntry.objects.filter(kind="wallet.enrol").order_by("-id").first()
    assert entry is not None and json.loads(entry.data)["replaces"] == lost.did
    with pytest.raises(PaymentRefused) as refused:  # whoever holds the lost key
        payment_accept(intent=intent(lost, 1_000).format())
    assert refused.value.reason == "revoked_wallet"
    payment_accept(intent=intent(found, 1_000).format())
    assert ledger_check().ok


def test_enrolment_through_the_api(world: World) -> None:
    key = wallet_key_generate()
    issued = enrol_challenge_create(officer=world.operator, registrant=world.people[1])
    body = {"challenge": issued.challenge, "wallet": key.did, "proof": "A" * 86}
    client = Client()
    refused = client.post("/api/wallets/enrolments", body, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "signature_refused"
    body["proof"] = enrol_proof_sign(key, issued.challenge, issued.expires)
    answer = client.post("/api/wallets/enrolments", body, content_type="application/json")
    assert answer.status_code == 201 and answer.json() == {"wallet": key.did, "replaces": None}
    shown = client.get(f"/api/wallets/{key.did}", headers=reading(key)).json()
    assert shown["counter"] == 0 and shown["balances"][0]["balance"] == ENTITLEMENT
    assert shown["balances"][0]["categories"] == ["atk", "warung"]
    assert issued.expires > time.time()
