"""Serve Terbuka: migrate, start the local witnesses and the background workers (log sequencer,
bulk file builder, reports' deadlines, notices), and run the HTTP server."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from terbuka.cli.supervisor import (
    AlreadyRunningError,
    Supervisor,
    Worker,
    WorkerStartError,
    port_holder,
    previous_run_reclaim,
)
from terbuka_web.notifications.sending import delivery_check
from terbuka_web.transparency.keys import log_vkey
from terbuka_web.transparency.witnesses import LocalWitness, witnesses_local

PIDFILE = "serve.pid"  # in TERBUKA_DATA_DIR: this run's pid and its workers', with start times


def stop_on_sigterm(signum: int, frame: Any) -> None:
    """Turn SIGTERM into SystemExit so the background workers are stopped too."""
    raise SystemExit(0)


def witness_worker(witness: LocalWitness, log: str) -> Worker:
    """Return the worker `terbuka witness serve` for witness on 127.0.0.1."""
    return Worker(
        f"witness {witness.name}",
        [
            *("witness", "serve", "--key", str(witness.key), "--state", str(witness.state)),
            *("--log", log, "--host", "127.0.0.1", "--port", str(witness.port)),
        ],
        announces=True,
    )


def previous_run_stop(pidfile: Path) -> None:
    """Stop the workers a killed previous run of this data directory left (pidfile).

    Raises CommandError when that `terbuka serve` itself still runs.
    """
    try:
        previous_run_reclaim(pidfile)
    except AlreadyRunningError as exc:
        raise CommandError(
            f"terbuka serve sudah berjalan untuk {settings.DATA_DIR} (pid {exc.pid}); "
            f"hentikan dulu / terbuka serve is already running for {settings.DATA_DIR} "
            f"(pid {exc.pid}); stop it first"
        ) from exc


def supervisor_start(
    workers: list[Worker], witnesses: list[LocalWitness], pidfile: Path
) -> Supervisor:
    """Start and supervise workers, recording them in pidfile.

    Raises CommandError when a witness exits instead of listening (port taken, key missing or
    readable by others: the witness printed why on standard error).
    """
    supervisor = Supervisor(workers, pidfile=pidfile)
    try:
        supervisor.start()
    except WorkerStartError as exc:
        witness = witnesses[workers.index(exc.worker)]
        holder = port_holder(witness.port)
        held = f"; port {witness.port}: {holder}" if holder else ""
        raise CommandError(
            f"saksi {witness.name} tidak dapat berjalan di 127.0.0.1:{witness.port} (sebab di "
            "atas): perbaiki entrinya di TERBUKA_WITNESSES_FILE atau pakai --no-witnesses / "
            f"witness {witness.name} could not start on 127.0.0.1:{witness.port} (reason "
            f"above): fix its entry in TERBUKA_WITNESSES_FILE or use --no-witnesses{held}"
        ) from exc
    return supervisor


class Command(BaseCommand):
    help = (
        "Migrate, start the local witnesses of TERBUKA_WITNESSES_FILE (the demo consortium), "
        "the transparency-log sequencer, the bulk CSV/XLSX builder and the citizens' reports' "
        "deadline tick (`terbuka participation tick`), the notices' sender (`terbuka notify "
        "send`) and the benefit programmes' tick (`terbuka benefits tick`: cycles due by "
        "schedule or declared disaster, clawbacks) as background workers "
        "and serve Terbuka at ADDRPORT (default 127.0.0.1:8000). A worker that dies is "
        "restarted after 1, 2, 4 … up to 60 s (back to 1 s after it ran 60 s), with one line "
        "on standard error; the workers stop when serve dies, even by kill -9. "
        "TERBUKA_DATA_DIR/serve.pid records them: a new serve stops those a killed run left "
        "and refuses to start while that serve still runs."
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
            "--no-participation",
            action="store_true",
            help="do not start `terbuka participation tick --loop` (run it elsewhere)",
        )
        parser.add_argument(
            "--no-notify",
            action="store_true",
            help="do not start `terbuka notify send --loop` (run it elsewhere)",
        )
        parser.add_argument(
            "--no-benefits",
            action="store_true",
            help="do not start `terbuka benefits tick --loop` (run it elsewhere)",
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
        no_participation: bool,
        no_notify: bool,
        no_benefits: bool,
        **options: Any,
    ) -> None:
        # The configuration first: a mistake (ConfigError, SettingError) stops serve with one
        # line (terbuka_web.cli.run_django) before the database is migrated.
        witnesses = [] if no_witnesses else witnesses_local()
        log = log_vkey() if witnesses or not no_sequencer else ""
        if not no_notify:
            delivery_check()  # the e-mail backend and SMS gateway (SettingError)
        pidfile = Path(settings.DATA_DIR) / PIDFILE
        previous_run_stop(pidfile)
        call_command("migrate", interactive=False, verbosity=0)
        # The witnesses listen before the sequencer's first round asks them to cosign.
        workers = [witness_worker(witness, log) for witness in witnesses]
        workers += [] if no_sequencer else [Worker("sequencer", ["log", "sequence", "--loop"])]
        workers += [] if no_bulk else [Worker("bulk", ["ocds", "bulk", "--loop"])]
        tick = Worker("participation", ["participation", "tick", "--loop", "--interval", "60"])
        workers += [] if no_participation else [tick]
        workers += [] if no_notify else [Worker("notify", ["notify", "send", "--loop"])]
        benefits = Worker("benefits", ["benefits", "tick", "--loop", "--interval", "60"])
        workers += [] if no_benefits else [benefits]
        signal.signal(signal.SIGTERM, stop_on_sigterm)
        supervisor = supervisor_start(workers, witnesses, pidfile)
        try:
            call_command("runserver", addrport, use_reloader=False, insecure_serving=True)
        finally:
            supervisor.stop()
