"""Benefit programmes: `import FILE` (the registry, all or nothing), `create` (a programme),
`propose PROGRAMME --rules FILE --text TEXT` (rules put to the consortium) and `dry-run
PROGRAMME` (eligible registrants and Rupiah per village against the rules in force; moves no
money), `disburse PROGRAMME` (a new disbursement cycle now, or resume an interrupted one) and
`clawback PROGRAMME` (unspent entitlements of expired cycles back to the fund), `declare`
(a disaster for region codes, public and logged), `token USER [--revoke]` (an officer's token
for the API's writes) and `tick [--loop]` (start the cycles due by
schedule or declared disaster, once each, and claw back expired ones; `terbuka serve` runs it)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from terbuka.errors import TerbukaError
from terbuka.registry.errors import RegistryImportError
from terbuka.rules.ruleset import ruleset_parse
from terbuka_web.accounts.models import Agency, User
from terbuka_web.benefits.audit import cycle_villages
from terbuka_web.benefits.cycles import CHUNK, cycle_clawback, cycle_run
from terbuka_web.benefits.disasters import disaster_declare
from terbuka_web.benefits.models import Programme
from terbuka_web.benefits.registry import registry_import
from terbuka_web.benefits.schedule import benefits_tick
from terbuka_web.benefits.selectors import (
    dry_run_candidate,
    programme_dry_run_compare,
    programme_get,
)
from terbuka_web.benefits.services import programme_create, programme_rules_propose
from terbuka_web.benefits.starts import officer_token_create, officer_tokens_revoke
from terbuka_web.common.rounds import rounds_run


class Command(BaseCommand):
    help = "Program bantuan / benefit programmes: import the registry, dry-run rules."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import", help="impor registri CSV/XLSX / import the registry (all or nothing)"
        )
        imp.add_argument("file", type=Path, help="CSV (UTF-8) or XLSX")
        dry = sub.add_parser(
            "dry-run", help="uji aturan tanpa memindahkan uang / try rules, moving no money"
        )
        dry.add_argument("programme", help="kode program / programme id, e.g. blt-desil")
        dry.add_argument(
            "--rules", type=Path, help="JSON {eligibility, entitlement, parameters}; "
            "default the newest pending proposal's rules, else those in force",
        )  # fmt: skip
        dry.add_argument("--json", action="store_true", help="one JSON object on stdout")
        new = sub.add_parser("create", help="buat program / create a programme (no rules yet)")
        new.add_argument("programme", help="kode program / programme id, e.g. blt-desil")
        new.add_argument("--name", required=True)
        new.add_argument("--budget", type=int, required=True, help="pagu / budget, whole Rupiah")
        new.add_argument("--start", type=dt.date.fromisoformat, required=True, help="YYYY-MM-DD")
        new.add_argument("--end", type=dt.date.fromisoformat, required=True, help="YYYY-MM-DD")
        new.add_argument("--regions", required=True, help="comma-separated codes, e.g. 35.22")
        new.add_argument("--agency", required=True, help="kode perangkat daerah, e.g. 3522-dinsos")
        new.add_argument("--description", default="")
        new.add_argument(
            "--schedule-day", type=int, help="siklus otomatis tiap bulan pada tanggal ini / "
            "start a cycle automatically on this day of each month (1–28)",
        )  # fmt: skip
        new.add_argument(
            "--on-disaster", action="store_true", help="siklus otomatis saat bencana ditetapkan "
            "di wilayahnya / start a cycle when a disaster is declared over its regions",
        )  # fmt: skip
        bad = sub.add_parser(
            "declare", help="tetapkan bencana / declare a disaster for region codes (logged)"
        )
        bad.add_argument("--title", required=True, help="e.g. Banjir Bengawan Solo")
        bad.add_argument("--regions", required=True, help="comma-separated codes, e.g. 35.22.05")
        bad.add_argument("--start", type=dt.date.fromisoformat, required=True, help="YYYY-MM-DD")
        bad.add_argument("--end", type=dt.date.fromisoformat, required=True, help="YYYY-MM-DD")
        tick = sub.add_parser(
            "tick", help="mulai siklus yang jatuh tempo, tarik hak kedaluwarsa / start due "
            "cycles (schedule, disaster) once each, claw back expired entitlements",
        )  # fmt: skip
        tick.add_argument("--loop", action="store_true", help="run as a background worker")
        tick.add_argument("--interval", type=float, default=300.0, help="seconds between rounds")
        tick.add_argument(
            "--today", type=dt.date.fromisoformat, help="act as on YYYY-MM-DD (tests, catching up)"
        )
        tok = sub.add_parser(
            "token", help="token API petugas / an officer's token for the benefits API's writes"
        )
        tok.add_argument("username", help="nama pengguna petugas / the officer's username")
        tok.add_argument(
            "--revoke", action="store_true", help="cabut semua tokennya / revoke all their tokens"
        )
        pay = sub.add_parser(
            "disburse", help="jalankan siklus penyaluran / run a disbursement cycle now "
            "(resumes an interrupted one)",
        )  # fmt: skip
        pay.add_argument("programme", help="kode program / programme id, e.g. blt-desil")
        pay.add_argument("--chunk", type=int, default=CHUNK, help="credits per committed batch")
        back = sub.add_parser(
            "clawback", help="tarik hak yang kedaluwarsa / claw back expired entitlements"
        )
        back.add_argument("programme", help="kode program / programme id, e.g. blt-desil")
        back.add_argument("--today", type=dt.date.fromisoformat, help="YYYY-MM-DD (default today)")
        pro = sub.add_parser(
            "propose", help="usulkan aturan ke konsorsium / propose rules to the consortium"
        )
        pro.add_argument("programme")
        pro.add_argument("--rules", type=Path, required=True, help="JSON rule set file")
        pro.add_argument("--text", required=True, help="the rules in everyday language")
        pro.add_argument("--days", type=int, default=7, help="voting days (default 7)")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            if action == "import":
                self.import_file(options["file"])
            elif action == "create":
                self.create(options)
            elif action == "propose":
                self.propose(options)
            elif action == "disburse":
                self.disburse(options["programme"], options["chunk"])
            elif action == "clawback":
                self.clawback(options["programme"], options["today"])
            elif action == "declare":
                self.declare(options)
            elif action == "tick":
                self.tick(options)
            elif action == "token":
                self.token(options["username"], options["revoke"])
            else:
                self.dry_run(options["programme"], options["rules"], options["json"])
        except RegistryImportError as error:
            for problem in error.problems:
                self.stderr.write(problem.line())
            raise CommandError(f"{error.message_id} / {error.message_en}") from error
        except TerbukaError as error:
            where = f"{error.where}: " if error.where else ""
            raise CommandError(f"{where}{error.message_id} / {error.message_en}") from error

    def import_file(self, path: Path) -> None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                f"berkas tidak dapat dibaca / cannot read {path}: {exc.strerror}"
            ) from exc
        source = registry_import(actor=None, filename=path.name, data=data)
        self.stdout.write(f"diimpor / imported: {source.rows} baris / rows (impor {source.pk})")

    def create(self, options: dict[str, Any]) -> None:
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"perangkat daerah tidak ada / unknown agency: {options['agency']}")
        programme = programme_create(
            actor=None, slug=options["programme"], name=options["name"],
            description=options["description"], budget=options["budget"],
            period_start=options["start"], period_end=options["end"],
            regions=[r.strip() for r in options["regions"].split(",") if r.strip()],
            agency=agency, schedule_day=options["schedule_day"],
            on_disaster=options["on_disaster"],
        )  # fmt: skip
        self.stdout.write(f"program dibuat / programme created: {programme.slug}")

    def _programme(self, slug: str) -> Programme:
        programme = programme_get(slug)
        if programme is None:
            raise CommandError(f"program tidak ditemukan / programme not found: {slug}")
        return programme

    def disburse(self, slug: str, chunk: int) -> None:
        programme = self._programme(slug)
        if chunk < 1:
            raise CommandError("--chunk harus ≥ 1 / --chunk must be ≥ 1")
        done = [0]

        def progress(n: int) -> None:
            done[0] += n
            self.stdout.write(f"dikreditkan / credited: {done[0]}")
            self.stdout.flush()

        cycle = cycle_run(programme=programme, chunk=chunk, progress=progress)
        rows = cycle_villages(cycle)
        self.stdout.write(
            f"siklus / cycle {cycle.number}: {sum(r['credited'] for r in rows)} Rupiah, "
            f"{len(rows)} desa / villages, {sum(r['refused'] for r in rows)} ditolak / refused"
        )

    def clawback(self, slug: str, today: dt.date | None) -> None:
        total = cycle_clawback(programme=self._programme(slug), today=today)
        self.stdout.write(f"ditarik kembali / clawed back: {total} Rupiah")

    def declare(self, options: dict[str, Any]) -> None:
        disaster = disaster_declare(
            actor=None, title=options["title"], regions=options["regions"].split(","),
            starts_on=options["start"], ends_on=options["end"],
        )  # fmt: skip
        self.stdout.write(f"bencana ditetapkan / disaster declared: {disaster.pk}")

    def tick(self, options: dict[str, Any]) -> None:
        def report(line: str) -> None:
            self.stderr.write(f"benefits tick: {line}")

        def work() -> None:
            result = benefits_tick(today=options["today"], report=report)
            if not options["loop"] or result.started or result.clawed_back:
                self.stdout.write(f"benefits tick: {result}")
                self.stdout.flush()

        rounds_run(
            work, loop=options["loop"], interval=options["interval"], name="benefits",
            report=report,
        )  # fmt: skip

    def token(self, username: str, revoke: bool) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"pengguna tidak ada / unknown user: {username}")
        if revoke:
            n = officer_tokens_revoke(actor=None, user=user)
            self.stdout.write(f"dicabut / revoked: {n} token")
            return
        self.stdout.write(officer_token_create(actor=None, user=user))

    def propose(self, options: dict[str, Any]) -> None:
        programme = self._programme(options["programme"])
        try:
            rules = json.loads(options["rules"].read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"--rules: JSON tidak terbaca / unreadable: {exc}") from exc
        proposal = programme_rules_propose(
            actor=None, programme=programme, rules=rules, text=options["text"],
            deadline=timezone.now() + dt.timedelta(days=options["days"]),
        )  # fmt: skip
        self.stdout.write(f"usulan / proposal: /konsorsium/usulan/{proposal.uid}/ {proposal.hash}")

    def dry_run(self, slug: str, rules_path: Path | None, as_json: bool) -> None:
        programme = self._programme(slug)
        if rules_path is not None:
            try:
                rules = ruleset_parse(json.loads(rules_path.read_text(encoding="utf-8")))
            except (OSError, ValueError) as exc:
                raise CommandError(f"--rules: JSON tidak terbaca / unreadable: {exc}") from exc
        else:
            candidate = dry_run_candidate(programme)
            if candidate is None:
                raise CommandError("program belum punya aturan / the programme has no rules")
            rules = candidate
        run = programme_dry_run_compare(programme, rules)
        if as_json:
            data = {
                "programme": slug, "rule_hash": rules.hash(), "sums": run.sums(),
                "villages": [t.as_data() for t in run.totals.values()],
                "changes": [c.__dict__ for c in run.changes],
            }  # fmt: skip
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        sums = run.sums()
        self.stdout.write(f"aturan / rules {rules.hash()}")
        self.stdout.write("kode_desa eligible amount ineligible deceased duplicate")
        for t in run.totals.values():
            row = (t.village_code, t.eligible, t.amount, t.ineligible, t.deceased, t.duplicate)
            self.stdout.write(" ".join(str(v) for v in row))
        self.stdout.write(
            f"jumlah / total: {sums['eligible']} penerima / eligible, Rp {sums['amount']} "
            f"(berlaku / in force: {sums['eligible_current']}, Rp {sums['amount_current']}); "
            f"{len(run.changes)} desa berubah / villages changed; budget Rp {programme.budget}"
        )
