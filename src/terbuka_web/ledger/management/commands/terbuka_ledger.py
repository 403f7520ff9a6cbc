"""Re-check the money ledger from its rows: `terbuka ledger check [--json]` (docs/ledger.md)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from terbuka_web.ledger.selectors import ledger_check


class Command(BaseCommand):
    help = (
        "Periksa ulang buku besar uang / re-check the money ledger: every posting's canonical "
        "JSON, hash and legs, every balance against its legs, no negative holder, a zero sum. "
        "Exits 1 when a problem is found."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "action", choices=["check"], metavar="check", help="periksa ulang / re-check"
        )
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="laporan JSON / JSON report"
        )

    def handle(self, *args: Any, as_json: bool, **options: Any) -> None:
        found = ledger_check()
        if as_json:
            self.stdout.write(json.dumps(found.__dict__, ensure_ascii=False))
        else:
            self.stdout.write(
                f"akun / accounts: {found.accounts}, posting / postings: {found.postings}, "
                f"jumlah saldo / sum of balances: {found.total}"
            )
            for problem in found.problems:
                self.stdout.write(f"MASALAH / PROBLEM: {problem}")
        if not found.ok:
            raise CommandError(
                f"{len(found.problems)} masalah ditemukan / problems found", returncode=1
            )
        if not as_json:
            self.stdout.write("buku besar konsisten / the ledger is consistent")
