"""Run the transparency log: `sequence [--loop --interval S]`, `export DIR`, `policy`,
`cosign` (ask the witnesses), `anchor` (Hive, when configured)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from terbuka_web.common.rounds import rounds_run
from terbuka_web.transparency.models import WitnessStatus
from terbuka_web.transparency.selectors import checkpoint_latest, entries_pending, policy_current
from terbuka_web.transparency.services import (
    checkpoint_anchor,
    checkpoint_collect_cosignatures,
    log_export,
    log_sequence,
)
from terbuka_web.transparency.witnesses import witnesses_configured


class Command(BaseCommand):
    help = "Log transparansi / transparency log: sequence, export, policy, cosign, anchor."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        seq = sub.add_parser(
            "sequence", help="integrasikan entri tertunda / integrate pending entries"
        )
        seq.add_argument("--loop", action="store_true", help="run as a background worker")
        seq.add_argument("--interval", type=float, default=1.0, help="seconds between rounds")
        seq.add_argument("--batch", type=int, default=None, help="entries per transaction")
        exp = sub.add_parser("export", help="tulis tiles + checkpoint / write tiles and checkpoint")
        exp.add_argument("directory", type=Path)
        sub.add_parser("policy", help="cetak berkas kebijakan / print the tlog-policy file")
        sub.add_parser("cosign", help="minta kosignatur saksi / collect witness cosignatures")
        sub.add_parser("anchor", help="jangkarkan checkpoint di Hive / anchor on Hive")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "sequence":
            self.sequence(options["loop"], options["interval"], options["batch"])
        elif action == "export":
            checkpoint = log_export(directory=options["directory"])
            self.stdout.write(f"exported size {checkpoint.size} to {options['directory']}")
        elif action == "cosign":
            self.cosign()
        elif action == "anchor":
            self.anchor()
        else:
            self.stdout.write(policy_current(), ending="")

    def sequence(self, loop: bool, interval: float, batch: int | None) -> None:
        """Integrate every pending entry; with loop, keep doing so until SIGTERM or SIGINT,
        retrying after a database error."""
        rounds_run(
            lambda: self.drain(batch),
            loop=loop,
            interval=interval,
            name="sequence",
            report=self.stderr.write,
        )

    def drain(self, batch: int | None) -> None:
        """Sequence batches until nothing is pending; print each new checkpoint's size, then
        ask the witnesses that have not cosigned the latest checkpoint yet.

        A round that adds nothing prints nothing but new cosignatures (the worker polls every
        second, so a witness that was down cosigns once it is back); witness errors are
        printed with a new checkpoint only (WitnessStatus keeps the last one).
        """
        latest = checkpoint_latest()
        size = -1 if latest is None else latest.size
        grew = False
        while True:
            checkpoint = log_sequence(batch_size=batch)
            if checkpoint.size == size:
                break
            size, grew = checkpoint.size, True
            self.stdout.write(f"checkpoint size {size}")
            if not entries_pending():
                break
        if witnesses_configured():
            self.cosign(errors=grew)

    def anchor(self) -> None:
        """Anchor the latest checkpoint on Hive when TERBUKA_ANCHOR_NODES is configured."""
        checkpoint = checkpoint_latest()
        answer = None if checkpoint is None else checkpoint_anchor(checkpoint=checkpoint)
        if answer is None:
            self.stderr.write("penjangkaran tidak aktif / anchoring is not configured")
        else:
            self.stdout.write(f"anchored size {checkpoint.size if checkpoint else 0}: {answer}")

    def cosign(self, errors: bool = True) -> None:
        """Ask every configured witness that has not yet cosigned the latest checkpoint; print
        each new cosignature and, with errors, each witness's last error."""
        checkpoint = checkpoint_latest()
        if checkpoint is None:
            self.stderr.write("belum ada checkpoint / there is no checkpoint yet")
            return
        for cosignature in checkpoint_collect_cosignatures(checkpoint=checkpoint):
            self.stdout.write(f"cosigned by {cosignature.witness} at {cosignature.cosigned_at}")
        for status in WitnessStatus.objects.exclude(last_error="") if errors else ():
            self.stderr.write(f"{status.witness}: {status.last_error}")
