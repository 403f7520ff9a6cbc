"""Record postings in the database under the ledger's invariants (terbuka.money.ledger).

postings_record is the one write path for money: it takes a batch of core Postings and, in one
transaction,
1. locks every touched account that exists: SELECT … FOR UPDATE ordered by id on PostgreSQL,
   so two writers always lock in the same order and cannot deadlock; on SQLite the settings
   open every transaction with BEGIN IMMEDIATE, so writers are serialised and need no row lock;
   an account not found holds 0;
2. reads the keys already used, then lets the pure core (postings_apply) check every rule
   (balanced, no holder below zero, same key same content) for the whole batch at once;
3. writes the new accounts with their balances after the batch, the new postings, their legs
   and the changed balances of the other accounts in bulk (terbuka_web.ledger.bulk and
   common.bulk: COPY and array statements on PostgreSQL, multi-row statements on SQLite), so
   a cycle of a million credits runs as a few hundred batches of thousands of postings.
Any refusal raises the core's bilingual MoneyError and writes nothing.
posting_record_in (one posting, inside the caller's transaction: a wallet payment) checks the
same rules and takes the same locks in the same order, in three or four statements and no
savepoint (terbuka_web.ledger.single); a new account racing in is inserted ON CONFLICT DO
NOTHING, so it never raises. A duplicate posting
key, or a new account, racing in from another process hits the unique key; the batch is then
retried once the other commits, so it becomes a no-op (same content) or an
IdempotencyConflict (other content), and finds the account with its balance.

These services check money rules, and one rule of authority whoever calls them: a posting that
debits a citizen's wallet is refused unless it is the posting of an intent the wallet signed,
a key rotation the wallets app recorded, or the return of a programme's expired money to its
own fund after the programme's last day (terbuka.money.spend.wallet_debit_check). The
callers (benefits, wallets) check who may move any other money. There is no path from the
admin, the API or the pages to here.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.apps import apps
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from terbuka.errors import ValidationError
from terbuka.money.ledger import Batch, postings_apply
from terbuka.money.posting import Leg as CoreLeg
from terbuka.money.posting import Posting as CorePosting
from terbuka.money.posting import posting_make
from terbuka.money.purpose import money_expires
from terbuka.money.spend import wallet_debit_check
from terbuka_web.common.bulk import rows_insert, rows_insert_ids, rows_select
from terbuka_web.ledger.bulk import accounts_insert, balances_set
from terbuka_web.ledger.models import Account, Leg, Posting
from terbuka_web.ledger.single import accounts_ensure, accounts_locked_known, posting_write

RETRIES = 3


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


def posting_record_in(*, posting: CorePosting) -> bool:
    """Record posting inside the caller's transaction (no savepoint); True when new, False
    when its key was recorded with the same content (a no-op).

    Raises like posting_record, and ValidationError outside an atomic block (the caller's
    transaction must hold the locks until it commits). Its refusals leave the caller's
    transaction usable: it reads and checks before it writes.
    """
    if not connection.in_atomic_block:
        raise ValidationError(
            "posting satu-satu harus dicatat di dalam transaksi pemanggil",
            "a single posting must be recorded inside the caller's transaction",
        )
    wallet_debit_check(posting, _rekeyed, expires=_expires, now=int(time.time()))
    keys = sorted({leg.account for leg in posting.legs})
    ids, balances, known = accounts_locked_known(keys, posting.key)
    now = timezone.now()
    if len(ids) < len(keys):
        accounts_ensure([k for k in keys if k not in ids], now)
        ids, balances, known = accounts_locked_known(keys, posting.key)
    batch = postings_apply(balances, known, [posting])
    if not batch.applied:
        return False
    _posting, data, digest = batch.applied[0]
    posting_write(posting, data, digest, ids, batch.balances, now)
    return True


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
    """Lock the existing accounts among keys in ascending id; return their ids and balances.

    The accounts not found yet are created by _store with their balances after the batch.
    """
    ids: dict[str, int] = {}
    balances: dict[str, int] = {}
    for key, pk, balance in rows_select(
        Account, ["key", "id", "balance"], "key", keys,
        lock=connection.features.has_select_for_update,
    ):  # fmt: skip
        ids[key], balances[key] = pk, balance
    return ids, balances


def _known_hashes(keys: list[str]) -> dict[str, str]:
    """Return the SHA-256 recorded under each of keys that is already used."""
    return dict(rows_select(Posting, ["key", "sha256"], "key", keys))  # type: ignore[arg-type]


def _store(batch: Batch, accounts: dict[str, int]) -> None:
    """Write the batch's new accounts (with their balances), its new postings (in order),
    their legs and the changed balances of the accounts that existed."""
    if not batch.applied:
        return
    # Adapted once for the database (SQLite takes text): not once per row by the driver.
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    new = sorted(key for key in batch.balances if key not in accounts)
    changed = [(accounts[k], b) for k, b in batch.balances.items() if k in accounts]
    # Each key's kind is its prefix, checked when its Posting was built (account_kind).
    accounts = {**accounts, **accounts_insert(
        [(k, k.partition(":")[0], batch.balances[k]) for k in new], now)}  # fmt: skip
    balances_set(changed)
    ids = rows_insert_ids(
        Posting,
        ["key", "canonical", "sha256", "created_at"],
        [(p.key, data.decode(), digest, now) for p, data, digest in batch.applied],
    )
    rows_insert(
        Leg,
        ["posting_id", "position", "account_id", "side", "amount"],
        [
            (ids[p.key], i, accounts[leg.account], leg.side.value, leg.amount)
            for p, _data, _digest in batch.applied
            for i, leg in enumerate(p.legs)
        ],
    )
