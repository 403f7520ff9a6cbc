"""Record postings in the database under the ledger's invariants (terbuka.money.ledger).

postings_record is the one write path for money: it takes a batch of core Postings and, in one
transaction,
1. creates the accounts the batch names that do not exist yet (sorted by key, empty);
2. locks every touched account: SELECT … FOR UPDATE ordered by id on PostgreSQL, so two
   writers always lock in the same order and cannot deadlock; on SQLite the settings open
   every transaction with BEGIN IMMEDIATE, so writers are serialised and need no row lock;
3. reads the keys already used, then lets the pure core (postings_apply) check every rule
   (balanced, no holder below zero, same key same content) for the whole batch at once;
4. writes the new postings and their legs with bulk_create and the changed balances with
   bulk_update: a fixed number of statements per thousand rows, so a disbursement cycle of a
   million credits runs as a few hundred batches of some thousands of postings each.
Any refusal raises the core's bilingual MoneyError and writes nothing. A duplicate key racing
in from another process hits the unique key; the batch is then retried once the other commits,
so it becomes a no-op (same content) or an IdempotencyConflict (other content).

These services check money rules only: the callers (benefits, wallets) check who may move
money. There is no path from the admin, the API or the pages to here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from terbuka.money.accounts import account_kind
from terbuka.money.ledger import Batch, postings_apply
from terbuka.money.posting import Leg as CoreLeg
from terbuka.money.posting import Posting as CorePosting
from terbuka.money.posting import posting_format, posting_make
from terbuka_web.ledger.models import Account, Leg, Posting

RETRIES = 3
CHUNK = 2000


@dataclass(frozen=True)
class Recorded:
    """Tell what postings_record did: how many postings were new, how many were repeats."""

    created: int
    repeated: int


def posting_record(
    *, key: str, legs: Iterable[CoreLeg | tuple[str, str, int]], memo: str = ""
) -> bool:
    """Record one posting of legs (Leg or (account, side, amount)) under key; True when new.

    False when key was already recorded with the same legs and memo (a no-op). Raises
    MoneyError (bad key, account or memo), AmountRefused, PostingUnbalanced, BalanceNegative
    or IdempotencyConflict, all bilingual, writing nothing. Example: posting_record(key="f1",
    legs=[("treasury:apbd", "debit", 500), ("programme:pkh", "credit", 500)]) → True.
    """
    return postings_record(postings=[posting_make(key, legs, memo)]).created == 1


def postings_record(*, postings: Sequence[CorePosting]) -> Recorded:
    """Record postings all or nothing in one transaction (see the module docstring).

    Raises like posting_record at the first posting that breaks a rule; nothing is written.
    """
    for attempt in range(RETRIES):
        try:
            with transaction.atomic():
                return _write(postings)
        except IntegrityError:
            # Another writer committed one of our keys between our read and our insert.
            if attempt == RETRIES - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _write(postings: Sequence[CorePosting]) -> Recorded:
    """Check and write postings inside the caller's transaction."""
    keys = sorted({leg.account for p in postings for leg in p.legs})
    accounts = _accounts_locked(keys)
    balances = {key: account.balance for key, account in accounts.items()}
    known = _known_hashes([p.key for p in postings])
    batch = postings_apply(balances, known, postings)
    _store(batch, accounts)
    return Recorded(created=len(batch.applied), repeated=len(batch.skipped))


def _accounts_locked(keys: list[str]) -> dict[str, Account]:
    """Create the missing accounts among keys, lock them all by id, and return them by key."""
    now = timezone.now()
    existing: set[str] = set()
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        existing.update(Account.objects.filter(key__in=chunk).values_list("key", flat=True))
    missing = [
        Account(key=k, kind=account_kind(k).value, created_at=now)
        for k in keys
        if k not in existing
    ]
    Account.objects.bulk_create(missing, batch_size=CHUNK, ignore_conflicts=True)
    locked: dict[str, Account] = {}
    query = Account.objects.all()
    if connection.features.has_select_for_update:
        query = query.select_for_update()
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        locked.update((a.key, a) for a in query.filter(key__in=chunk).order_by("id"))
    return locked


def _known_hashes(keys: list[str]) -> dict[str, str]:
    """Return the SHA-256 recorded under each of keys that is already used."""
    known: dict[str, str] = {}
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        known.update(Posting.objects.filter(key__in=chunk).values_list("key", "sha256"))
    return known


def _store(batch: Batch, accounts: dict[str, Account]) -> None:
    """Write the batch's new postings, their legs and the changed balances."""
    if not batch.applied:
        return
    now = timezone.now()
    rows = [
        Posting(key=p.key, canonical=posting_format(p).decode(), sha256=digest, created_at=now)
        for p, digest in batch.applied
    ]
    Posting.objects.bulk_create(rows, batch_size=CHUNK)
    if any(row.pk is None for row in rows):  # a backend that returns no ids from bulk inserts
        ids = dict(Posting.objects.filter(key__in=[r.key for r in rows]).values_list("key", "id"))
        for row in rows:
            row.pk = ids[row.key]
    legs = [
        Leg(
            posting_id=row.pk,
            position=i,
            account_id=accounts[leg.account].pk,
            side=leg.side.value,
            amount=leg.amount,
        )
        for row, (posting, _digest) in zip(rows, batch.applied, strict=True)
        for i, leg in enumerate(posting.legs)
    ]
    Leg.objects.bulk_create(legs, batch_size=CHUNK)
    changed = []
    for key, balance in batch.balances.items():
        accounts[key].balance = balance
        changed.append(accounts[key])
    Account.objects.bulk_update(changed, ["balance"], batch_size=500)
