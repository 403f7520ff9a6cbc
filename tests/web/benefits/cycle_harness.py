"""Prepare or read the database of the killed-cycle test in its own process.

`setup N`: load Bojonegoro, found a consortium, import N fictional registrants (every tenth
deceased, one duplicate pair, desil 1–10) and adopt the cash rules of programme blt-uji by
decision. `dump OUT`: write what the cycles left as JSON to OUT (cycles, items, entitlements
credited on the ledger, log entries).
The database comes from DATABASE_URL, the settings from the environment.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def setup(n: int) -> None:
    """Seed regions, consortium, registry and the programme with adopted rules."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from tests.web.benefits.conftest import (
        Consortium,
        person,
        programme_new,
        propose,
        registry_bytes,
    )

    from terbuka.governance.keys import public_key_format
    from terbuka_web.accounts.services import agencies_seed
    from terbuka_web.benefits.registry import registry_import
    from terbuka_web.governance.services import MemberSpec, consortium_found
    from terbuka_web.regions.services import regions_load

    regions_load(within="35.22")
    agencies_seed(actor=None)
    keys = [Ed25519PrivateKey.generate() for _ in range(5)]
    classes = ["pemerintah", "auditor", "warga", "teknologi", "hukum"]
    specs = [
        MemberSpec(f"Anggota {c}", c, public_key_format(k.public_key().public_bytes_raw()))
        for c, k in zip(classes, keys, strict=True)
    ]
    members = consortium_found(actor=None, members=specs)
    consortium = Consortium({m.pk: k for m, k in zip(members, keys, strict=True)})
    villages = ["35.22.01.2001", "35.22.01.2002", "35.22.02.2001"]
    people = [
        person(i, villages[i % 3], desil=i % 10 + 1, meninggal=int(i % 10 == 9)) for i in range(n)
    ]
    people.append(dict(people[0]))  # a duplicate NIK
    registry_import(actor=None, filename="uji.csv", data=registry_bytes(people))
    consortium.adopt(propose(programme_new()))


def dump(out: Path) -> None:
    """Write the cycle's items, ledger credits and credit entries as JSON to out."""
    from terbuka_web.benefits.models import Cycle, CycleItem
    from terbuka_web.ledger.models import Account, Leg
    from terbuka_web.transparency.models import LogEntry

    credited = set(CycleItem.objects.credited().values_list("pk", flat=True))
    result = {
        "items": [
            (ps, amount, pk in credited)
            for pk, ps, amount in CycleItem.objects.values_list("pk", "pseudonym", "amount")
        ],
        # Each entitlement a cycle's postings credited, once per credit: the ledger's own trail.
        "credited": list(
            Leg.objects.filter(posting__key__startswith="cycle:", side="credit").values_list(
                "account__key", flat=True
            )
        ),
        "credits": [
            bytes(d).decode()
            for d in LogEntry.objects.filter(kind="benefit.credit").values_list("data", flat=True)
        ],
        "cycles": list(Cycle.objects.values_list("number", "trigger", "status")),
        "village_totals": LogEntry.objects.filter(kind="benefit.village_total").count(),
        "fund": Account.objects.get(key="programme:blt-uji").balance,
        "budget": 1_000_000_000,
    }
    out.write_text(json.dumps(result), encoding="utf-8")


def main(argv: list[str]) -> None:
    """Set Django up and run the role named by argv[0]."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terbuka_web.config.settings")
    import django

    django.setup()
    if argv[0] == "setup":
        setup(int(argv[1]))
    else:
        dump(Path(argv[1]))


if __name__ == "__main__":
    main(sys.argv[1:])
