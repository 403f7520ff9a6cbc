"""Test what the citizen app and the officer's desk add: a wallet's receipts and credits in the
API (no identity), the desk page finding a registrant of the officer's region only, issuing
the enrolment code and showing it used, with role, region and CSRF checked."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client

from terbuka.money.enrol import enrol_proof_sign
from terbuka.money.keys import wallet_key_generate
from terbuka.money.reads import read_authorization
from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.benefits.models import Registrant
from terbuka_web.regions.models import Region
from terbuka_web.wallets.models import EnrolChallenge
from terbuka_web.wallets.payments import payment_accept
from terbuka_web.wallets.services import wallet_enrol

from .conftest import ENTITLEMENT, SLUG, World, enrol, intent, reading

pytestmark = pytest.mark.django_db

DESK = "/dompet/petugas/daftar/"


def nik_of(n: int, village: str = "35.22.01.2001") -> str:
    district = village[:8].replace(".", "")
    return f"{district}{(n % 28) + 1:02d}0385{n + 1:04d}"  # as tests.web.benefits person()


def test_a_wallets_receipts_and_credits_list_its_history_without_identity(world: World) -> None:
    key = enrol(world, world.people[0])
    paid = [payment_accept(intent=intent(key, amount).format()) for amount in (10_000, 5_000)]
    client = Client(headers=reading(key))
    receipts = client.get(f"/api/wallets/{key.did}/payments").json()
    assert [r["hash"] for r in receipts] == [p.intent_hash for p in reversed(paid)]
    assert receipts[0]["amount"] == 5_000 and receipts[0]["counter"] == 2
    credits = client.get(f"/api/wallets/{key.did}/credits").json()
    assert [(c["programme"], c["amount"], c["kind"]) for c in credits] == [
        (SLUG, ENTITLEMENT, "entitlement")
    ]
    unknown = wallet_key_generate()  # signs its own reads, but was never enrolled
    path = f"/api/wallets/{unknown.did}"
    assert Client().get(path + "/payments", headers=reading(unknown)).status_code == 404
    assert Client().get(path + "/credits", headers=reading(unknown)).json()["error"]["code"] == (
        "not_found"
    )
    public = client.get(f"/api/wallets/{key.did}/payments").content
    public += client.get(f"/api/wallets/{key.did}/credits").content
    for text in ("Warga Fiktif", "Dusun Uji", world.people[0].nik_hash, "pseudonym"):
        assert text.encode() not in public


def test_a_wallet_is_read_only_with_its_own_fresh_read_proof(world: World) -> None:
    key = enrol(world, world.people[0])
    other = enrol(world, world.people[1])
    stale = {"Authorization": read_authorization(key, int(time.time()) - 301)}
    for suffix in ("", "/payments", "/credits"):
        path = f"/api/wallets/{key.did}{suffix}"
        for headers in ({}, reading(other), stale, {"Authorization": "Bearer x"}):
            answer = Client().get(path, headers=headers)
            assert answer.status_code == 401, (path, headers, answer.content)
            error = answer.json()["error"]
            assert error["message"] and error["message_en"] not in ("", error["message"])
            assert error["field"] == "Authorization"
            assert b"balance" not in answer.content and str(SLUG).encode() not in answer.content
        assert Client().get(path, headers=reading(key)).status_code == 200


def test_a_re_enrolment_credit_says_rekey(world: World) -> None:
    enrol(world, world.people[0])
    new = enrol(world, world.people[0])
    credits = Client(headers=reading(new)).get(f"/api/wallets/{new.did}/credits").json()
    assert [(c["kind"], c["amount"]) for c in credits] == [("rekey", ENTITLEMENT)]


def test_the_desk_finds_the_registrant_issues_the_code_and_shows_it_used(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.operator)
    page = client.get(DESK)
    assert page.status_code == 200
    token = page.cookies["csrftoken"].value
    assert client.post(DESK, {"nik": nik_of(1)}).status_code == 403  # no CSRF token
    found = client.post(DESK, {"nik": nik_of(1), "csrfmiddlewaretoken": token})
    assert found.status_code == 200 and "Warga Fiktif 1 Sukamaju" in found.content.decode()
    registrant = world.people[1]
    issued = client.post(DESK, {"registrant": registrant.pk, "csrfmiddlewaretoken": token})
    challenge = EnrolChallenge.objects.get(registrant=registrant)
    assert issued["Location"] == f"{DESK}{challenge.pk}/"
    shown = client.get(issued["Location"]).content.decode()
    code = re.search(r'value="(TEN1\.[^"]+)"', shown)
    assert code is not None and code.group(1) == f"TEN1.{challenge.challenge}.{challenge.expires}"
    assert "<svg" in shown
    status = f"{DESK}{challenge.pk}/status"
    assert client.get(status).json() == {"used": False, "expired": False}
    key = wallet_key_generate()
    proof = enrol_proof_sign(key, challenge.challenge, challenge.expires)
    wallet_enrol(challenge=challenge.challenge, wallet=key.did, proof=proof)
    assert client.get(status).json() == {"used": True, "expired": False}
    assert "Selesai" in client.get(issued["Location"]).content.decode()


def test_the_desk_refuses_other_regions_other_roles_and_other_officers(world: World) -> None:
    district = Region.objects.get(code="35.22.02")
    kecamatan = Agency.objects.create(code="camat-uji", name="Kecamatan Uji", government=district)
    outsider = User.objects.create_user("op.camat", role=Role.OPERATOR, agency=kecamatan)
    pptk = User.objects.create_user(
        "pptk", role=Role.PPTK, agency=Agency.objects.get(code="3522-dinsos")
    )
    client = Client()
    assert client.get(DESK).status_code == 302  # to the login page
    client.force_login(pptk)
    assert client.get(DESK).status_code == 403
    client.force_login(outsider)
    unknown = client.post(DESK, {"nik": nik_of(0)})  # a registrant of 35.22.01
    assert unknown.status_code == 400 and "Warga Fiktif" not in unknown.content.decode()
    assert "tidak ada di registri wilayah Anda" in unknown.content.decode()
    assert client.post(DESK, {"registrant": world.people[0].pk}).status_code == 403
    assert client.post(DESK, {"registrant": "x1"}).status_code == 403
    assert not EnrolChallenge.objects.exists()
    assert client.post(DESK, {"nik": "123"}).status_code == 400
    mine = Registrant.objects.get(village_code="35.22.02.2001")
    assert client.post(DESK, {"registrant": mine.pk}).status_code == 302
    challenge = EnrolChallenge.objects.get()
    client.force_login(world.ppk)  # same agency, not the officer who issued it
    assert client.get(f"{DESK}{challenge.pk}/").status_code == 404
    assert client.get(f"{DESK}{challenge.pk}/status").status_code == 404


def test_the_citizen_app_and_its_manifests_are_served(world: World) -> None:
    client = Client()
    app = client.get("/dompet/")
    assert app.status_code == 200 and "camera=(self)" in app["Permissions-Policy"]
    shop_page = client.get("/dompet/pedagang/")  # it scans the citizen's QR code
    assert shop_page.status_code == 200 and "camera=(self)" in shop_page["Permissions-Policy"]
    assert 'id="scan-photo"' in shop_page.content.decode()
    assert client.get("/dompet/manifest.webmanifest").json()["start_url"] == "/dompet/"
    merchant = client.get("/dompet/pedagang/manifest.webmanifest").json()
    assert merchant["start_url"] == "/dompet/pedagang/"
    worker = client.get("/dompet/sw.js").content.decode()
    assert '"/dompet/"' in worker and "citizen" in worker


def test_the_desk_says_why_a_registrant_cannot_be_enrolled(world: World) -> None:
    Registrant.objects.filter(pk=world.people[2].pk).update(meninggal=True)
    client = Client()
    client.force_login(world.operator)
    refused = client.post(DESK, {"registrant": world.people[2].pk})
    assert refused.status_code == 400
    assert "tidak dapat didaftarkan" in refused.content.decode()
    assert not EnrolChallenge.objects.exists()
