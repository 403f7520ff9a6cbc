"""Publication scope: `show` (the version in force and the next, JSON), `propose FILE` (a
scope_change proposal with its dry run: a version applies only once decided), `coverage`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from terbuka.errors import TerbukaError
from terbuka_web.governance.services import proposal_create
from terbuka_web.scope.api import version_out
from terbuka_web.scope.selectors import coverage, scope_in_force, scope_next


def _day(text: str) -> dt.datetime:
    """Return the start of day text (YYYY-MM-DD) in Asia/Jakarta."""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"tanggal tidak sah / invalid date: {text!r}") from exc
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


class Command(BaseCommand):
    help = "Cakupan publikasi / publication scope: show, propose, coverage."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("show", help="cetak cakupan yang berlaku (JSON) / print the scope in force")
        propose = sub.add_parser(
            "propose", help="usulkan cakupan baru dengan uji coba / propose a scope with dry run"
        )
        propose.add_argument("policy", type=Path, help="terbuka/scope/v1 JSON file")
        propose.add_argument("--title", required=True, help="judul usulan / proposal title")
        propose.add_argument("--body", default="", help="uraian / description")
        propose.add_argument(
            "--effective", required=True, help="berlaku mulai / effective from (YYYY-MM-DD)"
        )
        propose.add_argument(
            "--days", type=int, default=14, help="tenggat suara (hari) / voting deadline (days)"
        )
        cover = sub.add_parser("coverage", help="kepatuhan per fase dan perangkat daerah")
        cover.add_argument("--json", action="store_true", help="keluaran JSON / JSON output")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            if action == "show":
                data = {
                    "in_force": version_out(scope_in_force()),
                    "next": version_out(scope_next()),
                }
                self.stdout.write(json.dumps(data, default=str, indent=2, ensure_ascii=False))
            elif action == "propose":
                self.propose(options)
            else:
                self.coverage(options["json"])
        except TerbukaError as exc:
            raise CommandError(f"{exc.message_id} / {exc.message_en}") from exc

    def propose(self, options: dict[str, Any]) -> None:
        """Create the scope_change proposal (its payload holds the policy and its dry run)."""
        try:
            policy = json.loads(options["policy"].read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(
                f"berkas kebijakan tidak terbaca / unreadable policy: {exc}"
            ) from exc
        proposal = proposal_create(
            actor=None,
            type="scope_change",
            title=options["title"],
            body=options["body"],
            payload={"policy": policy},
            deadline=timezone.now() + dt.timedelta(days=options["days"]),
            effective_from=_day(options["effective"]),
        )
        dry = proposal.canonical["payload"]["dry_run"]
        self.stdout.write(f"usulan / proposal {proposal.uid} hash {proposal.hash}")
        self.stdout.write(
            f"uji coba / dry run: {dry['becoming']} menjadi wajib / become obligatory, "
            f"{dry['leaving']} tidak lagi / no longer, of {dry['processes']}"
        )
        self.stdout.write("berlaku hanya setelah diputuskan / applies only once decided")

    def coverage(self, as_json: bool) -> None:
        """Print per phase and agency: obligatory processes, on time, late, missing."""
        rows = []
        for phase in coverage():
            for r in [*phase.rows, phase.total]:
                rows.append({
                    "phase": phase.phase,
                    "agency": r.agency.code if r.agency else None if r is not phase.total else "*",
                    "processes": r.processes, "on_time": r.on_time, "late": r.late,
                    "missing": r.missing, "pending": r.pending,
                })  # fmt: skip
        if as_json:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        for row in rows:
            self.stdout.write(
                f"{row['phase']:<10} {row['agency'] or '-':<28} wajib {row['processes']:>4}  "
                f"tepat {row['on_time']:>4}  terlambat {row['late']:>4}  hilang {row['missing']:>4}"
            )
