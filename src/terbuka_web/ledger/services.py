"""Record postings in the database under the ledger's invariants (terbuka.money.ledger).

postings_record is the one write path for money: it takes a batch of core Postings and, in one
transaction,
1. creates the accounts the batch names that do not exist yet (sorted by key, empty);
2. locks every touched account: SELECT … FOR UPDATE ordered by id on PostgreSQL, so two
   writers always lock in the same order and cannot deadlock; on SQLite the settings open
   every transaction with BEGIN IMMEDIATE, so writers are serialised and need no row lock;
3. reads the keys already used, then lets the pure core (postings_apply) check every rule
   (balanced, no holder below zero, same key same content) for the whole batch at once;
4. writes the new postings, their legs and the changed balances in bulk (terbuka_web.ledger.
   bulk: COPY and array statements on PostgreSQL, multi-row statements on SQLite), so a
   cycle of a million credits runs as a few hundred batches of some thousands of postings.
Any refusal raises the core's bilingual MoneyError and writes nothing. A duplicate key racing
in from another process hits the unique key; the batch is then retried once the other commits,
so it becomes a no-op (same content) or an IdempotencyConflict (other content).

These services check money rules, and one rule of authority whoever calls them: a posting that
debits a citizen's wallet is refused unless it is the posting of an intent the wallet signed,
a key rotation the wallets app recorded, or the return of a programme's expired money to its
own fund after the programme's last day (terbuka.money.spend.wallet_debit_check). The
callers (benefits, wallets) check who may move any other money. There is no path from the
admin, the API or the pages to here.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.apps import apps
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from terbuka.money.accounts import account_kind
from terbuka.money.ledger import Batch, postings_apply
from terbuka.money.posting import Leg as CoreLeg
from terbuka.money.posting import Posting as CorePosting
from terbuka.money.posting import posting_make
from terbuka.money.purpose import money_expires
from terbuka.money.spend import wallet_debit_check
from terbuka_web.common.bulk import rows_insert
from terbuka_web.ledger.bulk import accounts_insert, balances_set
from terbuka_web.ledger.models import Account, Leg, Posting

RETRIES = 3
T = TypeVar("T")
CHUNK = 2000
SMALL = 50  # postings of a batch written by one INSERT … RETURNING id


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
        except (IntegrityError, OperationalError) as exc:
            # Another writer committed one of our keys between our read and our insert (or,
            # inserting keys in another order, made PostgreSQL break a deadlock): try again,
            # now seeing its posting.
            if attempt == RETRIES - 1 or not _retryable(exc):
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _retryable(exc: Exception) -> bool:
    """Return True for a unique key violation or a PostgreSQL deadlock (SQLSTATE 40P01)."""
    return isinstance(exc, IntegrityError) or getattr(exc.__cause__, "sqlstate", "") == "40P01"


def _write(postings: Sequence[CorePosting]) -> Recorded:
    """Check and write postings inside the caller's transaction."""
    now = int(time.time())
    for posting in postings:
        wallet_debit_check(posting, _rekeyed, expires=_expires, now=now)
    keys = sorted({leg.account for p in postings for leg in p.legs})
    ids, balances = _accounts_locked(keys)
    known = _known_hashes([p.key for p in postings])
    batch = postings_apply(balances, known, postings)
    _store(batch, ids)
    return Recorded(created=len(batch.applied), repeated=len(batch.skipped))


def _rekeyed(old: str, new: str) -> bool:
    """Return True when the wallets app recorded wallet old as replaced by wallet new."""
    if not apps.is_installed("terbuka_web.wallets"):
        return False
    wallet = apps.get_model("wallets", "Wallet")
    return bool(wallet.objects.filter(did=old, replaced_by__did=new).exists())


def _expires(programme: str) -> int | None:
    """Return the last unix second of programme's money (its last day, WIB), None if unknown."""
    if not apps.is_installed("terbuka_web.benefits"):
        return None
    model = apps.get_model("benefits", "Programme")
    last = model.objects.filter(slug=programme).values_list("period_end", flat=True).first()
    return money_expires(last) if last is not None else None


def _accounts_locked(keys: list[str]) -> tuple[dict[str, int], dict[str, int]]:
    """Create the missing accounts among keys, lock them all by id; return ids and balances.

    The locks are taken in ascending id over the whole batch (chunks of sorted ids), the one
    order every writer follows. A small batch whose accounts all exist (a payment) is read
    and locked by one query.
    """
    query = Account.objects.all()
    if connection.features.has_select_for_update:
        query = query.select_for_update()
    if len(keys) <= CHUNK:
        rows = list(query.filter(key__in=keys).order_by("id").values_list("key", "id", "balance"))
        if len(rows) == len(keys):
            return {k: pk for k, pk, _b in rows}, {k: b for k, _pk, b in rows}
    found: dict[str, int] = {}
    for chunk in _chunks(keys):
        found.update(Account.objects.filter(key__in=chunk).values_list("key", "id"))
    missing = [k for k in keys if k not in found]
    accounts_insert([(k, account_kind(k).value) for k in missing], timezone.now())
    for chunk in _chunks(missing):
        found.update(Account.objects.filter(key__in=chunk).values_list("key", "id"))
    ids: dict[str, int] = {}
    balances: dict[str, int] = {}
    for id_chunk in _chunks(sorted(found.values())):
        rows = query.filter(id__in=id_chunk).order_by("id").values_list("key", "id", "balance")
        for key, pk, balance in rows:
            ids[key], balances[key] = pk, balance
    return ids, balances


def _known_hashes(keys: list[str]) -> dict[str, str]:
    """Return the SHA-256 recorded under each of keys that is already used."""
    known: dict[str, str] = {}
    for chunk in _chunks(keys):
        known.update(Posting.objects.filter(key__in=chunk).values_list("key", "sha256"))
    return known


def _store(batch: Batch, accounts: dict[str, int]) -> None:
    """Write the batch's new postings (in order), their legs and the changed balances."""
    if not batch.applied:
        return
    now = timezone.now()
    rows = [(p.key, data.decode(), digest, now) for p, data, digest in batch.applied]
    ids: dict[str, int] = {}
    if len(rows) <= SMALL and connection.features.can_return_rows_from_bulk_insert:
        # a payment's one posting: the insert returns its id (no second read)
        made = Posting.objects.bulk_create(
            Posting(key=key, canonical=text, sha256=digest, created_at=at)
            for key, text, digest, at in rows
        )
        ids.update((posting.key, posting.pk) for posting in made)
    else:
        rows_insert(Posting, ["key", "canonical", "sha256", "created_at"], rows)
        for chunk in _chunks([row[0] for row in rows]):
            ids.update(Posting.objects.filter(key__in=chunk).values_list("key", "id"))
    rows_insert(
        Leg,
        ["posting_id", "position", "account_id", "side", "amount"],
        [
            (ids[p.key], i, accounts[leg.account], leg.side.value, leg.amount)
            for p, _data, _digest in batch.applied
            for i, leg in enumerate(p.legs)
        ],
    )
    balances_set([(accounts[key], balance) for key, balance in batch.balances.items()])


def _chunks(items: list[T]) -> Iterator[list[T]]:
    """Yield items in lists of at most CHUNK (a bound on the parameters of one query)."""
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]
