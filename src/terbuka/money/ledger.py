"""Apply postings to balances, checking the ledger's invariants, without any storage.

The invariants (docs/ledger.md):
1. every posting is balanced (terbuka.money.posting checks it when the Posting is built);
2. no account of a non-negative kind (every kind but treasury) goes below zero;
3. so the sum of all balances never changes: it is 0 from an empty ledger on;
4. an idempotency key posts once: again with the same content (same posting_hash) is a
   no-op, with other content it raises IdempotencyConflict.

The functions are pure: they read balances and known hashes through Mappings and return what
changes, so a database (terbuka_web.ledger) reads the touched accounts under lock, calls
postings_apply once for a whole batch, and writes the result back in one transaction. Ledger
is the in-memory book the property tests drive, and a model of what the database must do.

Example:
    >>> from terbuka.money.posting import posting_make
    >>> book = Ledger()
    >>> legs = [("treasury:apbd", "debit", 500), ("programme:pkh", "credit", 500)]
    >>> fund = posting_make("f1", legs)
    >>> book.post(fund), book.post(fund), book.balances["programme:pkh"], book.total()
    (True, False, 500, 0)
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from terbuka.money.accounts import balance_check
from terbuka.money.errors import IdempotencyConflict
from terbuka.money.posting import Posting, posting_format, posting_hash


def posting_is_new(known_hash: str | None, posting: Posting, digest: str | None = None) -> bool:
    """Return True when posting's key is unused, False when it is used by the same content.

    known_hash is the hash already recorded under posting.key (None when unused); digest is
    posting_hash(posting) when the caller has it. Raises IdempotencyConflict when the key is
    used by a posting of other content.
    """
    if known_hash is None:
        return True
    if known_hash == (digest or posting_hash(posting)):
        return False
    raise IdempotencyConflict(
        f"kunci idempotensi {posting.key} sudah dipakai untuk posting lain",
        f"idempotency key {posting.key} is already used by another posting",
        where="/key",
    )


def balances_after(balances: Mapping[str, int], posting: Posting) -> dict[str, int]:
    """Return the new balances of the accounts posting touches (an absent account holds 0).

    Raises BalanceNegative when a non-treasury account would go below zero, MoneyError when a
    balance would leave the 64-bit range. balances is not changed.
    Example: {"programme:p": 5} and a debit of 3 from it → {"programme:p": 2, …}.
    """
    return {
        leg.account: balance_check(leg.account, balances.get(leg.account, 0) + leg.delta)
        for leg in posting.legs
    }


@dataclass
class Batch:
    """Hold what postings_apply decided: new balances of touched accounts, postings to record."""

    balances: dict[str, int] = field(default_factory=dict)
    # (posting, its canonical JSON, that JSON's hex SHA-256): what a store writes as is.
    applied: list[tuple[Posting, bytes, str]] = field(default_factory=list)
    skipped: list[Posting] = field(default_factory=list)  # same key, same content: no-ops


def postings_apply(
    balances: Mapping[str, int], known: Mapping[str, str], postings: Iterable[Posting]
) -> Batch:
    """Return the Batch of applying postings in order to balances, with known key → hash.

    All or nothing: raises (BalanceNegative, IdempotencyConflict, MoneyError) at the first
    posting that breaks a rule, and the caller records nothing. A key repeated within postings
    is treated as the same key posted twice.
    """
    batch = Batch()
    seen: dict[str, str] = {}
    view = _Overlay(batch.balances, balances)
    for posting in postings:
        data = posting_format(posting)
        digest = hashlib.sha256(data).hexdigest()
        known_hash = seen.get(posting.key) or known.get(posting.key)
        if not posting_is_new(known_hash, posting, digest):
            batch.skipped.append(posting)
            continue
        batch.balances.update(balances_after(view, posting))
        batch.applied.append((posting, data, digest))
        seen[posting.key] = digest
    return batch


class _Overlay(Mapping[str, int]):
    """Read balances from a batch's changes first, then from the balances it started from."""

    def __init__(self, top: Mapping[str, int], base: Mapping[str, int]) -> None:
        self.top, self.base = top, base

    def __getitem__(self, account: str) -> int:
        return self.top[account] if account in self.top else self.base[account]

    def __contains__(self, account: object) -> bool:
        return account in self.top or account in self.base

    def get(self, account: str, default: int | None = None) -> int | None:  # type: ignore[override]
        """Return account's balance, default when absent: Mapping.get's, without its raised
        and caught KeyError per absent account (a cycle's every entitlement is new)."""
        top = self.top
        return top[account] if account in top else self.base.get(account, default)

    def __iter__(self) -> Iterator[str]:
        return iter({**self.base, **self.top})

    def __len__(self) -> int:
        return len({**self.base, **self.top})


@dataclass
class Ledger:
    """Keep balances and used keys in memory, applying postings with postings_apply's rules."""

    balances: dict[str, int] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)

    def post(self, posting: Posting) -> bool:
        """Apply posting; return False when its key was already posted with the same content.

        Raises like postings_apply, leaving the ledger unchanged.
        """
        return bool(self.post_many([posting]))

    def post_many(self, postings: Iterable[Posting]) -> int:
        """Apply postings all or nothing and return how many were new."""
        batch = postings_apply(self.balances, self.hashes, postings)
        self.balances.update(batch.balances)
        self.hashes.update((p.key, digest) for p, _data, digest in batch.applied)
        return len(batch.applied)

    def total(self) -> int:
        """Return the sum of all balances: 0 for a ledger that started empty."""
        return sum(self.balances.values())
