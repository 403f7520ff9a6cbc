"""Read the money ledger: re-check every invariant from the rows, summarise balances by kind."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Case, Count, F, Sum, When

from terbuka.errors import TerbukaError
from terbuka.money.accounts import Kind
from terbuka.money.posting import posting_parse
from terbuka_web.ledger.models import Account, Leg, Posting

CHUNK = 2000


@dataclass
class LedgerCheck:
    """Hold what ledger_check counted and every problem it found (empty when all is well)."""

    accounts: int = 0
    postings: int = 0
    total: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Return True when ledger_check found no problem."""
        return not self.problems


def ledger_check() -> LedgerCheck:
    """Re-check the stored ledger from its rows, as an auditor would (docs/ledger.md).

    Checks that every posting's canonical JSON parses (balanced, valid amounts and accounts),
    hashes to its stored sha256 and equals its leg rows; that every account's balance cache
    equals its credits minus its debits; that no account but a treasury is negative; and that
    all balances sum to zero. Returns a LedgerCheck listing every problem, raises nothing.
    """
    check = LedgerCheck()
    keys = dict(Account.objects.values_list("id", "key"))
    _postings_check(check, keys)
    nets = dict(
        Leg.objects.values("account_id")
        .annotate(net=Sum(Case(When(side=Leg.Side.CREDIT, then=F("amount")), default=-F("amount"))))
        .values_list("account_id", "net")
    )
    for account in Account.objects.values("id", "key", "kind", "balance").iterator(CHUNK):
        check.accounts += 1
        check.total += account["balance"]
        net = nets.get(account["id"], 0)
        if account["balance"] != net:
            check.problems.append(
                f"{account['key']}: balance {account['balance']} != sum of legs {net}"
            )
        if account["balance"] < 0 and account["kind"] != Kind.TREASURY:
            check.problems.append(f"{account['key']}: negative balance {account['balance']}")
    if check.total:
        check.problems.append(f"balances sum to {check.total}, not 0")
    return check


def _postings_check(check: LedgerCheck, keys: dict[int, str]) -> None:
    """Check each posting's JSON, hash and leg rows, in chunks of postings by id."""
    last = 0
    while True:
        rows = list(Posting.objects.filter(id__gt=last).order_by("id")[:CHUNK])
        if not rows:
            return
        last = rows[-1].id
        legs = Leg.objects.filter(posting_id__in=[r.id for r in rows]).order_by(
            "posting_id", "position"
        )
        by_posting = {pid: list(group) for pid, group in groupby(legs, key=lambda g: g.posting_id)}
        for row in rows:
            check.postings += 1
            _posting_check(check, row, by_posting.get(row.id, []), keys)


def _posting_check(check: LedgerCheck, row: Posting, legs: list[Leg], keys: dict[int, str]) -> None:
    """Append to check the problems of one stored posting."""
    data = row.canonical.encode()
    if hashlib.sha256(data).hexdigest() != row.sha256:
        check.problems.append(f"posting {row.key}: sha256 does not match its canonical JSON")
    try:
        parsed = posting_parse(data)
    except TerbukaError as exc:
        check.problems.append(f"posting {row.key}: {exc}")
        return
    stored = [(keys.get(g.account_id), g.side, g.amount) for g in legs]
    if parsed.key != row.key or stored != [
        (g.account, g.side.value, g.amount) for g in parsed.legs
    ]:
        check.problems.append(f"posting {row.key}: leg rows differ from its canonical JSON")


def ledger_summary() -> list[dict[str, int | str]]:
    """Return per account kind the number of accounts and their total balance, in Kind order.

    Example: [{"kind": "treasury", "accounts": 1, "balance": -500}, {"kind": "programme", …}].
    """
    rows = {
        r["kind"]: r
        for r in Account.objects.values("kind").annotate(
            accounts=Count("id"), balance=Sum("balance")
        )
    }
    return [
        {
            "kind": k.value,
            "accounts": rows.get(k.value, {}).get("accounts", 0),
            "balance": rows.get(k.value, {}).get("balance", 0),
        }
        for k in Kind
    ]


def postings_count() -> int:
    """Return the number of postings recorded."""
    return Posting.objects.count()
