"""`terbuka harvest URL`: pull a remote Terbuka's OCDS releases and budgets after verifying its log.

    terbuka harvest https://kab-bojonegoro.example/ [--key VKEY] [--kind ocds|budget] [--pin]

Exit codes: 0 harvested, 1 the remote's log forked, rolled back or is not trusted (the
harvest is stopped, an alert is recorded, nothing is merged), 2 usage or input error,
3 the remote cannot be reached (nothing written).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from terbuka.errors import TerbukaError, VerificationError
from terbuka.tlog.errors import UnavailableError
from terbuka_web.federation.services import remote_harvest

EXIT_FAILED, EXIT_USAGE, EXIT_UNAVAILABLE = 1, 2, 3


class Command(BaseCommand):
    help = (
        "panen data instansi Terbuka lain (OCDS dan anggaran, dengan since) setelah memverifikasi "
        "lognya / harvest another Terbuka instance's OCDS releases and budgets after verifying "
        "its log"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url", metavar="URL", help="base URL, e.g. https://kab.example/")
        parser.add_argument(
            "--key", help="the remote log's verifier key (pinned at the first harvest)"
        )
        parser.add_argument(
            "--kind", help="only this dataset kind: ocds or budget (default: every kind)"
        )
        parser.add_argument(
            "--pin",
            action="store_true",
            help="re-pin the remote's current policy after checking its new log key (--key) "
            "or witness policy out of band",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done = remote_harvest(
                url=options["url"], key=options["key"], kind=options["kind"], pin=options["pin"]
            )
        except TerbukaError as exc:
            raise SystemExit(self._refused(exc)) from None
        witnesses = ", ".join(done.cosigners) or "-"
        new = ", ".join(f"{kind} {count}" for kind, count in done.stored.items())
        self.stdout.write(
            f"✓ {done.remote.origin}: checkpoint {done.size} sah (saksi: {witnesses}); "
            f"baru disimpan: {new}; {done.held_back} menunggu log\n"
            f"  {done.remote.origin}: checkpoint {done.size} verified (witnesses: {witnesses}); "
            f"new stored: {new}; {done.held_back} waiting for the log"
        )

    def _refused(self, exc: TerbukaError) -> int:
        """Print the bilingual reason on stderr and return the exit code."""
        where = f" [{exc.where}]" if exc.where else ""
        code = EXIT_USAGE
        if isinstance(exc, UnavailableError):
            code = EXIT_UNAVAILABLE
        elif isinstance(exc, VerificationError):
            code = EXIT_FAILED
            self.stderr.write(
                "PERINGATAN: panen dihentikan, tidak ada data yang digabung; lihat /federasi/\n"
                "ALERT: harvest stopped, nothing was merged; see /federasi/"
            )
        self.stderr.write(f"✗ {exc.message_id}{where}\n  {exc.message_en}")
        return code
