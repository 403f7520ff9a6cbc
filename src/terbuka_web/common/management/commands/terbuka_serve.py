"""Serve Terbuka: migrate, start the background workers (log sequencer, bulk file builder),
and run the HTTP server."""

from __future__ import annotations

import signal
import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


def stop_on_sigterm(signum: int, frame: Any) -> None:
    """Turn SIGTERM into SystemExit so the background workers are stopped too."""
    raise SystemExit(0)


class Command(BaseCommand):
    help = (
        "Migrate, start the transparency-log sequencer and the bulk CSV/XLSX builder as "
        "background workers and serve Terbuka at ADDRPORT (default 127.0.0.1:8000)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-sequencer",
            action="store_true",
            help="do not start `terbuka log sequence --loop` (run it elsewhere)",
        )
        parser.add_argument(
            "--no-bulk",
            action="store_true",
            help="do not start `terbuka ocds bulk --loop` (run it elsewhere)",
        )

    def handle(
        self, *args: Any, addrport: str, no_sequencer: bool, no_bulk: bool, **options: Any
    ) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        commands = [] if no_sequencer else [["log", "sequence", "--loop"]]
        commands += [] if no_bulk else [["ocds", "bulk", "--loop"]]
        workers = [
            subprocess.Popen([sys.executable, "-m", "terbuka.cli.main", *command])
            for command in commands
        ]
        signal.signal(signal.SIGTERM, stop_on_sigterm)
        try:
            call_command("runserver", addrport, use_reloader=False, insecure_serving=True)
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(timeout=30)
