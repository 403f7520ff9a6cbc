"""Run one process of the ledger's concurrency tests: `fund N`, `withdraw WORKER N GO OUT`,
`duplicate WORKER GO OUT` or `check OUT`.

fund: post N Rupiah from treasury:apbd into programme:pool.
withdraw: say it is ready (OUT.ready); once the file GO exists, try N withdrawals of
1..50,000 Rupiah (a seeded random sequence per worker) from programme:pool to
merchant:WORKER, each its own posting_record;
write to OUT the JSON {"paid": sum of the accepted ones, "accepted": n, "refused": n}.
duplicate: say it is ready, once GO exists, post key "dup" moving 100 (even WORKER) or
200 (odd WORKER) Rupiah from programme:pool to merchant:dup; write to OUT "created",
"repeat" or "conflict".
fund-wallets N: post N Rupiah into each of four wallets.
shuffle: say it is ready, once GO exists, make N random postings among the four wallets.
check: write to OUT the balances, the posting count and ledger_check's result.
The database comes from DATABASE_URL, the settings from the environment.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path


def wait_for(go: Path, out: Path) -> None:
    """Say this worker is ready (OUT.ready), then sleep until go exists, so that every worker
    starts writing at the same moment."""
    out.with_suffix(".ready").touch()
    while not go.exists():
        time.sleep(0.005)


def withdraw(worker: str, count: int, go: Path, out: Path) -> None:
    """Try count withdrawals from the pool and report what was accepted."""
    from terbuka.money.errors import BalanceNegative
    from terbuka_web.ledger.services import posting_record

    rng = random.Random(worker)
    paid = accepted = refused = 0
    wait_for(go, out)
    for i in range(count):
        amount = rng.randint(1, 50_000)
        legs = [("programme:pool", "debit", amount), (f"merchant:{worker}", "credit", amount)]
        try:
            posting_record(key=f"w:{worker}:{i}", legs=legs)
        except BalanceNegative:
            refused += 1
        else:
            paid, accepted = paid + amount, accepted + 1
    out.write_text(json.dumps({"paid": paid, "accepted": accepted, "refused": refused}))


# Entitlements, not wallets: a wallet is debited only by its signed intent (money.spend).
WALLETS = [f"entitlement:pangan:w{i}" for i in range(4)]


def shuffle(worker: str, count: int, go: Path, out: Path) -> None:
    """Move money count times between the four wallets in random directions, some postings
    from one wallet to two others: writers lock overlapping accounts in every order."""
    from terbuka.money.errors import BalanceNegative
    from terbuka_web.ledger.services import posting_record

    rng = random.Random(f"shuffle-{worker}")
    accepted = refused = 0
    wait_for(go, out)
    for i in range(count):
        source, *targets = rng.sample(WALLETS, rng.choice([2, 3]))
        amount = rng.randint(1, 40_000)
        legs = [(source, "debit", amount * len(targets))]
        legs += [(target, "credit", amount) for target in targets]
        try:
            posting_record(key=f"s:{worker}:{i}", legs=legs)
        except BalanceNegative:
            refused += 1
        else:
            accepted += 1
    out.write_text(json.dumps({"accepted": accepted, "refused": refused}))


def duplicate(worker: str, go: Path, out: Path) -> None:
    """Post the shared key "dup" once and report what became of it."""
    from terbuka.money.errors import IdempotencyConflict
    from terbuka_web.ledger.services import posting_record

    amount = 100 if int(worker) % 2 == 0 else 200
    legs = [("programme:pool", "debit", amount), ("merchant:dup", "credit", amount)]
    wait_for(go, out)
    try:
        result = "created" if posting_record(key="dup", legs=legs) else "repeat"
    except IdempotencyConflict:
        result = "conflict"
    out.write_text(json.dumps({"result": result, "amount": amount}))


def check(out: Path) -> None:
    """Report balances, the number of postings and ledger_check's findings."""
    from terbuka_web.ledger.models import Account, Posting
    from terbuka_web.ledger.selectors import ledger_check

    found = ledger_check()
    report = {
        "balances": dict(Account.objects.values_list("key", "balance")),
        "postings": Posting.objects.count(),
        "problems": found.problems,
        "total": found.total,
    }
    out.write_text(json.dumps(report))


def main(argv: list[str]) -> None:
    """Set up Django and run the mode named by argv[0]."""
    import django

    django.setup()
    if argv[0] == "fund":
        from terbuka_web.ledger.services import posting_record

        amount = int(argv[1])
        posting_record(key="fund", legs=[("treasury:apbd", "debit", amount),
                                         ("programme:pool", "credit", amount)])  # fmt: skip
    elif argv[0] == "withdraw":
        withdraw(argv[1], int(argv[2]), Path(argv[3]), Path(argv[4]))
    elif argv[0] == "fund-wallets":
        from terbuka_web.ledger.services import posting_record

        legs = [("treasury:apbd", "debit", 4 * int(argv[1]))]
        legs += [(wallet, "credit", int(argv[1])) for wallet in WALLETS]
        posting_record(key="fund-wallets", legs=legs)
    elif argv[0] == "shuffle":
        shuffle(argv[1], int(argv[2]), Path(argv[3]), Path(argv[4]))
    elif argv[0] == "duplicate":
        duplicate(argv[1], Path(argv[2]), Path(argv[3]))
    elif argv[0] == "check":
        check(Path(argv[1]))


if __name__ == "__main__":
    main(sys.argv[1:])
