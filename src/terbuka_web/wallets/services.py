"""Write services of the wallets app: enrolment at the officer's desk, re-enrolment after key
loss, crediting entitlements into wallets, programmes' purpose bindings, merchant approval
and the merchant's sync token.

Enrolment (docs/wallet.md): an officer of the registrant's region, holding WALLET_ENROL,
checks the citizen's identity card and issues a challenge (enrol_challenge_create); the
citizen's device signs it with the key it generated (terbuka.money.enrol) and sends the
did:key and the proof (wallet_enrol). The server keeps only the public key. When the
registrant already has a wallet, the challenge re-enrols: the old key is revoked, every
balance moves to the new key (a rekey posting the ledger accepts only for a recorded
replacement) and the log says which pseudonymous key replaced which, never who.
Expiry (wallets_expire, run by `terbuka benefits tick`): once a programme's money is past its
last day, every wallet's unspent balance of it goes back to the programme's fund, the one
debit without the owner's signature that the ledger allows (terbuka.money.spend).
Payments are in payments.py, merchants' settlements in settlements.py.
"""

from __future__ import annotations

import secrets
import time

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from terbuka.errors import ValidationError
from terbuka.money.enrol import enrol_challenge_new, enrol_proof_verify
from terbuka.money.posting import Posting, posting_make
from terbuka.money.purpose import money_expires
from terbuka.money.spend import (
    OFFLINE_MERCHANT,
    WALLET_PREFIX,
    expiry_posting,
    rekey_posting,
    wallet_account,
)
from terbuka.money.wire import identifier_check
from terbuka_web.accounts.models import User
from terbuka_web.accounts.selectors import Action
from terbuka_web.accounts.services import PermissionDenied, audit_record, permission_require
from terbuka_web.benefits.cycles import entitlement_prefix
from terbuka_web.benefits.models import CycleItem, Programme, Registrant
from terbuka_web.common.tokens import token_digest
from terbuka_web.ledger.models import Account, Leg
from terbuka_web.ledger.services import postings_record
from terbuka_web.regions.models import Region
from terbuka_web.transparency.services import entry_append
from terbuka_web.wallets.models import EnrolChallenge, Merchant, Purpose, Wallet

CHALLENGE_SECONDS = 600
ENROL = "wallet.enrol"
EXPIRY = "wallet.expiry"
MERCHANT = "wallet.merchant"


def officer_require(officer: User, action: Action, code: str) -> None:
    """Raise PermissionDenied unless officer holds action for an agency governing region code."""
    permission_require(user=officer, action=action, agency=officer.agency)
    assert officer.agency is not None
    government = officer.agency.government.code
    if code != government and not code.startswith(government + "."):
        raise PermissionDenied(
            f"{officer.username} hanya berwenang di wilayah {government}, bukan {code}",
            f"{officer.username} acts only within region {government}, not {code}",
        )


@transaction.atomic
def enrol_challenge_create(
    *, officer: User, registrant: Registrant, now: int | None = None
) -> EnrolChallenge:
    """Issue a one-time challenge for registrant, whose identity officer checked in person.

    Re-enrols when the registrant has an active wallet. Raises PermissionDenied unless
    officer holds WALLET_ENROL in the registrant's region, ValidationError for a deceased or
    duplicate registrant.
    """
    officer_require(officer, Action.WALLET_ENROL, registrant.village_code)
    if registrant.meninggal or registrant.duplicate:
        raise ValidationError(
            "penerima ini tidak dapat didaftarkan (meninggal atau NIK ganda)",
            "this registrant cannot be enrolled (deceased or duplicate NIK)",
            where="registrant",
        )
    active = Wallet.objects.filter(registrant=registrant, status=Wallet.Status.ACTIVE).first()
    challenge = EnrolChallenge.objects.create(
        challenge=enrol_challenge_new(), registrant=registrant, officer=officer,
        expires=(now or int(time.time())) + CHALLENGE_SECONDS, replaces=active,
    )  # fmt: skip
    audit_record(actor=officer, action="wallets:challenge", target=f"registrant/{registrant.pk}")
    return challenge


def _refused(message_id: str, message_en: str, where: str) -> ValidationError:
    return ValidationError(message_id, message_en, where=where)


@transaction.atomic
def wallet_enrol(*, challenge: str, wallet: str, proof: str, now: int | None = None) -> Wallet:
    """Bind did:key wallet to the challenge's registrant once its proof of possession holds.

    Raises ValidationError for an unknown or used challenge, a key already enrolled or a
    registrant whose wallet changed since the challenge; WalletFormatError, PaymentRefused
    (expired) or SignatureRefused from the proof. Writes nothing when it raises.
    """
    issued = EnrolChallenge.objects.select_for_update().filter(challenge=challenge).first()
    if issued is None or issued.used:
        raise _refused(
            "tantangan tidak dikenal atau sudah dipakai", "unknown or used challenge", "challenge"
        )
    enrol_proof_verify(wallet, challenge, issued.expires, proof, now or int(time.time()))
    if Wallet.objects.filter(did=wallet).exists():
        raise _refused("kunci ini sudah terdaftar", "this key is already enrolled", "wallet")
    active = (
        Wallet.objects.select_for_update()
        .filter(registrant_id=issued.registrant_id, status=Wallet.Status.ACTIVE)
        .first()
    )
    if (active.pk if active else None) != issued.replaces_id:
        raise _refused(
            "dompet penerima berubah sejak tantangan dibuat: minta yang baru",
            "the registrant's wallet changed since the challenge: ask for a new one",
            "challenge",
        )
    issued.used = True
    issued.save(update_fields=["used"])
    if active is not None:  # one active wallet per registrant: revoke before the new one
        active.status = Wallet.Status.REVOKED
        active.save(update_fields=["status"])
    new = Wallet.objects.create(
        did=wallet, registrant_id=issued.registrant_id, enrolled_at=timezone.now(),
        enrolled_by=issued.officer,
    )  # fmt: skip
    if active is not None:
        _rekey(active, new)
    entry_append(
        kind=ENROL, ref=f"dompet/{wallet}",
        payload={"wallet": wallet, "replaces": active.did if active else None},
    )  # fmt: skip
    audit_record(
        actor=issued.officer, action="wallets:reenrol" if active else "wallets:enrol",
        target=wallet,
    )  # fmt: skip
    wallet_credit(wallet=new)
    return new


def _rekey(old: Wallet, new: Wallet) -> None:
    """Record new as revoked old's replacement and move each of old's balances to new."""
    old.replaced_by = new
    old.save(update_fields=["replaced_by"])
    prefix = wallet_account(old.did, "")
    held = Account.objects.filter(key__startswith=prefix, balance__gt=0)
    postings_record(
        postings=[
            rekey_posting(old.did, new.did, key[len(prefix) :], balance)
            for key, balance in held.values_list("key", "balance")
        ]
    )


@transaction.atomic
def wallet_credit(*, wallet: Wallet) -> int:
    """Move the registrant's credited entitlements into wallet's balances; return Rupiah moved.

    One posting per entitlement, key "towallet:<programme>:<cycle>:<pseudonym>": an
    entitlement moves once, whole, so a repeat moves nothing.
    """
    if wallet.status != Wallet.Status.ACTIVE:
        return 0
    items = CycleItem.objects.credited().filter(registrant_id=wallet.registrant_id)
    owners: dict[str, str] = {}
    for item in items.select_related("cycle__programme"):
        owners[entitlement_prefix(item.cycle) + item.pseudonym] = item.cycle.programme.slug
    held = Account.objects.filter(key__in=list(owners), balance__gt=0).order_by("key")
    postings: list[Posting] = [
        posting_make(
            "towallet:" + key.partition(":")[2],
            [(key, "debit", balance), (wallet_account(wallet.did, owners[key]), "credit", balance)],
            "Hak masuk dompet / entitlement into wallet",
        )
        for key, balance in held.values_list("key", "balance")
    ]
    postings_record(postings=postings)
    return sum(p.legs[0].amount for p in postings)


def wallets_credit(*, programme: Programme) -> int:
    """Credit every active wallet holding an entitlement of programme; return Rupiah moved."""
    registrants = CycleItem.objects.filter(cycle__programme=programme).values("registrant_id")
    wallets = Wallet.objects.filter(status=Wallet.Status.ACTIVE, registrant_id__in=registrants)
    return sum(wallet_credit(wallet=w) for w in wallets.order_by("id"))


@transaction.atomic
def wallets_expire(*, programme: Programme) -> int:
    """Return every wallet's unspent money of programme to its fund once it expired; return Rp.

    Does nothing before the end of the programme's last day (WIB, by the clock: no caller
    picks the moment). One posting per wallet (terbuka.money.spend.expiry_posting), one log
    entry {"kind":"wallet.expiry","programme":"pip-2026","wallets":3,"clawed_back":450000}
    (no key, no name); a repeat, or a tick racing it (the programme's row is locked), finds
    nothing left and moves nothing.
    """
    slug = programme.slug
    if int(time.time()) <= money_expires(programme.period_end):
        return 0
    # two ticks at once: the second waits here, then finds the balances the first left (none)
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    held = Account.objects.filter(kind="wallet", key__endswith=f":{slug}", balance__gt=0)
    rows = list(held.order_by("id").values_list("id", "key", "balance"))
    credited = dict(
        Leg.objects.filter(account_id__in=[pk for pk, _key, _balance in rows], side="credit")
        .values("account_id").annotate(total=Sum("amount")).values_list("account_id", "total")
    )  # fmt: skip
    postings = [
        expiry_posting(key[len(WALLET_PREFIX) : -len(slug) - 1], slug, balance, credited[pk])
        for pk, key, balance in rows
    ]
    if not postings:
        return 0
    postings_record(postings=postings)
    total = sum(balance for _pk, _key, balance in rows)
    entry_append(
        kind=EXPIRY, ref=f"bantuan/{slug}/dompet-kedaluwarsa",
        payload={"programme": slug, "wallets": len(rows), "clawed_back": total},
    )  # fmt: skip
    return total


@transaction.atomic
def purpose_set(
    *, actor: User | None, programme: Programme, categories: list[str], payment_cap: int = 0,
    day_cap: int = 0,
) -> Purpose:  # fmt: skip
    """Bind programme's wallet money to merchant categories and caps (Rupiah, 0: none).

    Raises PermissionDenied unless actor (None: the system) manages the programme's agency,
    ValidationError for an unknown category or a negative cap.
    """
    if actor is not None:
        permission_require(user=actor, action=Action.PROGRAMME_MANAGE, agency=programme.agency)
    known = set(Merchant.Category.values)
    if not set(categories) <= known:
        raise _refused(
            f"kategori harus dari {sorted(known)}", f"categories must be of {sorted(known)}",
            "categories",
        )  # fmt: skip
    for name, cap in (("payment_cap", payment_cap), ("day_cap", day_cap)):
        if type(cap) is not int or cap < 0:
            raise _refused("batas harus Rupiah bulat ≥ 0", "a cap must be whole Rupiah ≥ 0", name)
    purpose, _ = Purpose.objects.update_or_create(
        programme=programme,
        defaults={"categories": sorted(set(categories)), "payment_cap": payment_cap,
                  "day_cap": day_cap},
    )  # fmt: skip
    audit_record(actor=actor, action="wallets:purpose", target=programme.slug)
    return purpose


@transaction.atomic
def merchant_approve(
    *, officer: User, code: str, name: str, category: str, village: str
) -> Merchant:
    """Approve merchant code (1–32 of a-z A-Z 0-9 _ -) for category in village, logged.

    Raises PermissionDenied unless officer holds MERCHANT_APPROVE for the village's region;
    ValidationError (WalletFormatError for the code) naming the bad field.
    """
    identifier_check(code, "code")
    if code == OFFLINE_MERCHANT:
        raise _refused(
            f"kode '{code}' dicadangkan untuk jatah luring", f"code '{code}' is reserved", "code"
        )
    place = Region.objects.filter(code=village, level=Region.Level.VILLAGE).first()
    if place is None:
        raise _refused("desa tidak dikenal", "unknown village", "village")
    officer_require(officer, Action.MERCHANT_APPROVE, place.code)
    if category not in Merchant.Category.values:
        raise _refused("kategori tidak dikenal", "unknown category", "category")
    if not 3 <= len(name.strip()) <= 200:
        raise _refused("nama harus 3–200 karakter", "name: 3–200 characters", "name")
    if Merchant.objects.filter(code=code).exists():
        raise _refused("kode pedagang sudah dipakai", "merchant code already taken", "code")
    merchant = Merchant.objects.create(
        code=code, name=name.strip(), category=category, village=place, approved_by=officer,
        approved_at=timezone.now(),
    )  # fmt: skip
    entry_append(
        kind=MERCHANT, ref=f"pedagang/{code}",
        payload={"merchant": code, "name": merchant.name, "category": category,
                 "village_code": place.code},
    )  # fmt: skip
    audit_record(actor=officer, action="wallets:merchant:approve", target=code)
    return merchant


@transaction.atomic
def merchant_token_issue(*, officer: User, code: str) -> str:
    """Return a new sync token for merchant code (shown once; only its SHA-256 is kept).

    The token is "<code>.<43 random characters>"; issuing one revokes the previous. Raises
    PermissionDenied unless officer holds MERCHANT_APPROVE for the merchant's village,
    ValidationError for an unknown merchant.
    """
    merchant = Merchant.objects.select_for_update().filter(code=code).first()
    if merchant is None:
        raise _refused("pedagang tidak dikenal", "unknown merchant", "code")
    officer_require(officer, Action.MERCHANT_APPROVE, merchant.village_id)
    token = f"{code}.{secrets.token_urlsafe(32)}"
    merchant.sync_token_sha256 = token_digest(token)
    merchant.save(update_fields=["sync_token_sha256"])
    audit_record(actor=officer, action="wallets:merchant:token", target=code)
    return token
