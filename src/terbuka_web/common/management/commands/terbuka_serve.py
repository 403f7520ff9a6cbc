"""Serve Terbuka: migrate, start the local witnesses and the background workers (log sequencer,
bulk file builder), and run the HTTP server."""

from __future__ import annotations

import signal
import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from terbuka_web.transparency.keys import log_vkey
from terbuka_web.transparency.witnesses import LocalWitness, witnesses_local


def stop_on_sigterm(signum: int, frame: Any) -> None:
    """Turn SIGTERM into SystemExit so the background workers are stopped too."""
    raise SystemExit(0)


def terbuka(*command: str, **options: Any) -> subprocess.Popen[Any]:
    """Start `terbuka COMMAND` as a child process with this Python."""
    return subprocess.Popen([sys.executable, "-m", "terbuka.cli.main", *command], **options)


def witness_start(witness: LocalWitness, log: str) -> subprocess.Popen[Any]:
    """Start `terbuka witness serve` for witness on 127.0.0.1 and wait until it listens.

    Raises CommandError when it exits instead (port taken, key missing or readable by others:
    the witness printed why on standard error).
    """
    process = terbuka(
        *("witness", "serve", "--key", str(witness.key), "--state", str(witness.state)),
        *("--log", log, "--host", "127.0.0.1", "--port", str(witness.port)),
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    if not process.stdout.readline().startswith("listening on "):
        process.wait(timeout=30)
        raise CommandError(
            f"saksi {witness.name} tidak dapat berjalan di 127.0.0.1:{witness.port} (sebab di "
            "atas): perbaiki entrinya di TERBUKA_WITNESSES_FILE atau pakai --no-witnesses / "
            f"witness {witness.name} could not start on 127.0.0.1:{witness.port} (reason "
            "above): fix its entry in TERBUKA_WITNESSES_FILE or use --no-witnesses"
        )
    return process


class Command(BaseCommand):
    help = (
        "Migrate, start the local witnesses of TERBUKA_WITNESSES_FILE (the demo consortium), "
        "the transparency-log sequencer and the bulk CSV/XLSX builder as background workers "
        "and serve Terbuka at ADDRPORT (default 127.0.0.1:8000)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-witnesses",
            action="store_true",
            help="do not start the witnesses that have key, state and port in the witness file",
        )
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
        self,
        *args: Any,
        addrport: str,
        no_witnesses: bool,
        no_sequencer: bool,
        no_bulk: bool,
        **options: Any,
    ) -> None:
        # The configuration first: a mistake (ConfigError, SettingError) stops serve with one
        # line (terbuka_web.cli.run_django) before the database is migrated.
        witnesses = [] if no_witnesses else witnesses_local()
        log = log_vkey() if witnesses or not no_sequencer else ""
        call_command("migrate", interactive=False, verbosity=0)
        commands = [] if no_sequencer else [["log", "sequence", "--loop"]]
        commands += [] if no_bulk else [["ocds", "bulk", "--loop"]]
        workers: list[subprocess.Popen[Any]] = []
        signal.signal(signal.SIGTERM, stop_on_sigterm)
        try:
            # The witnesses listen before the sequencer's first round asks them to cosign.
            for witness in witnesses:
                workers.append(witness_start(witness, log))
            workers += [terbuka(*command) for command in commands]
            call_command("runserver", addrport, use_reloader=False, insecure_serving=True)
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(timeout=30)
