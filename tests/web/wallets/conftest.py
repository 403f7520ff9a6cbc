"""Fixtures of the wallets tests: Bojonegoro, a programme with one cycle credited, its purpose,
officers of Dinas Sosial, approved merchants, and enrolment as a citizen's device does it."""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from terbuka.money.enrol import enrol_proof_sign
from terbuka.money.intent import GENESIS, Intent, SignedIntent, intent_sign
from terbuka.money.keys import WalletKey, wallet_key_generate
from terbuka.money.reads import read_authorization
from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.benefits.cycles import cycle_run
from terbuka_web.benefits.models import Programme, Registrant
from terbuka_web.benefits.registry import registry_import
from terbuka_web.wallets.models import Merchant, Wallet
from terbuka_web.wallets.services import (
    enrol_challenge_create,
    merchant_approve,
    purpose_set,
    wallet_enrol,
)
from tests.web.benefits.conftest import (  # noqa: F401  (fixtures)
    Consortium,
    consortium,
    person,
    programme_new,
    propose,
    region,
    registry_bytes,
)

A, B = "35.22.01.2001", "35.22.02.2001"
SLUG = "pip-uji"
ENTITLEMENT = 300_000  # CASH rules: desil ≤ 3, four in the household


@dataclass
class World:
    """A credited programme, its officers and merchants (codes: toko-ani, apotek-a, toko-b)."""

    programme: Programme
    operator: User
    ppk: User
    people: list[Registrant]


@pytest.fixture
def world(region: list[Agency], consortium: Consortium) -> World:  # noqa: F811
    registry_import(
        actor=None, filename="r.csv",
        data=registry_bytes([person(i, A) for i in range(3)] + [person(9, B)]),
    )  # fmt: skip
    programme = programme_new(SLUG, period_end=dt.date(2099, 12, 31), regions=["35.22.01"])
    consortium.adopt(propose(programme))
    programme.refresh_from_db()
    purpose_set(
        actor=None, programme=programme, categories=["atk", "warung"], payment_cap=200_000,
        day_cap=250_000,
    )  # fmt: skip
    cycle_run(programme=programme)
    dinsos = Agency.objects.get(code="3522-dinsos")
    operator = User.objects.create_user("op.dinsos", role=Role.OPERATOR, agency=dinsos)
    ppk = User.objects.create_user("ppk.dinsos", role=Role.PPK, agency=dinsos)
    merchant_approve(officer=ppk, code="toko-ani", name="Toko Ani", category="atk", village=A)
    merchant_approve(officer=ppk, code="apotek-a", name="Apotek A", category="apotek", village=A)
    merchant_approve(officer=ppk, code="toko-b", name="Toko B", category="atk", village=B)
    people = list(Registrant.objects.order_by("row"))
    return World(programme, operator, ppk, people)


def enrol(world: World, registrant: Registrant, key: WalletKey | None = None) -> WalletKey:
    """Enrol a fresh (or the given) key for registrant at the operator's desk; return it."""
    key = key or wallet_key_generate()
    issued = enrol_challenge_create(officer=world.operator, registrant=registrant)
    proof = enrol_proof_sign(key, issued.challenge, issued.expires)
    wallet_enrol(challenge=issued.challenge, wallet=key.did, proof=proof)
    return key


def intent(
    key: WalletKey, amount: int, *, merchant: str = "toko-ani", counter: int | None = None,
    prev: str | None = None, expires: int | None = None, programme: str = SLUG,
) -> SignedIntent:  # fmt: skip
    """Return key's next intent (by the server's chain head unless counter/prev given)."""
    wallet = Wallet.objects.get(did=key.did)
    return intent_sign(key, Intent(
        wallet=key.did, merchant=merchant, programme=programme, amount=amount,
        counter=wallet.counter + 1 if counter is None else counter,
        expires=int(time.time()) + 600 if expires is None else expires,
        prev=(wallet.head if counter is None else GENESIS) if prev is None else prev,
    ))  # fmt: skip


def reading(key: WalletKey) -> dict[str, str]:
    """Return the headers of a read of key's own wallet now (its signed read proof)."""
    return {"Authorization": read_authorization(key, int(time.time()))}


def approved(code: str) -> Merchant:
    return Merchant.objects.get(code=code)


@pytest.fixture
def issuer(settings: Any, tmp_path: Path) -> WalletKey:
    """Make this server an allowance issuer: a fresh key in a 0600 file, its did:key set."""
    key = wallet_key_generate()
    path = tmp_path / "issuer.pem"
    path.write_bytes(key.pem())
    os.chmod(path, 0o600)
    settings.TERBUKA = {
        **settings.TERBUKA, "WALLET_ISSUER": key.did, "WALLET_ISSUER_KEY_FILE": str(path)
    }  # fmt: skip
    return key
