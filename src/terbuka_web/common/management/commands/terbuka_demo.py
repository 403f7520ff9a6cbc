"""Seed the demo data set: `terbuka demo [--processes N] [--all-regions] [--seed S] [--quiet]`."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from terbuka.errors import TerbukaError
from terbuka_web.common.demo.benefits import demo_benefits_create
from terbuka_web.common.demo.consortium import demo_consortium_create
from terbuka_web.common.demo.lapor import demo_reports_create
from terbuka_web.common.demo.seed import DEFAULT_PROCESSES, DemoResult, demo_seed
from terbuka_web.common.demo.wallets import demo_wallets_create, demo_wallets_directory
from terbuka_web.common.demo.witnesses import demo_witnesses_create


class Command(BaseCommand):
    help = (
        "Isi data demo (wilayah, perangkat daerah Bojonegoro, pengguna, proses pengadaan) / "
        "seed the demo data. Idempotent: a re-run adds only what is missing."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--processes", type=int, default=DEFAULT_PROCESSES, help=f"default {DEFAULT_PROCESSES}"
        )
        parser.add_argument(
            "--all-regions", action="store_true", help="seluruh Indonesia / all of Indonesia"
        )
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(file=self.stdout)
        if options["processes"] < 1:
            raise CommandError("--processes harus ≥ 1 / --processes must be at least 1")
        columns = (
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        # With DEBUG on (make demo's default) Django records every SQL statement: ~5% of the
        # seeding's CPU for nothing, so the seed runs with it off.
        quiet_sql = override_settings(DEBUG=False)
        # The demo is demo mode (TERBUKA_DEMO): keys it needs and lacks (the registry's) are
        # generated in DATA_DIR (0600), so a fresh data directory needs no TERBUKA_DEBUG.
        demo_keys = override_settings(TERBUKA={**settings.TERBUKA, "LOG_KEY_GENERATE": True})
        with (
            quiet_sql,
            demo_keys,
            Progress(*columns, console=console, disable=options["quiet"]) as bar,
        ):
            tasks: dict[str, Any] = {}

            def progress(phase: str, done: int, total: int) -> None:
                if phase not in tasks:
                    tasks[phase] = bar.add_task(phase, total=total)
                bar.update(tasks[phase], completed=done, total=total)

            try:
                result = demo_seed(
                    processes=options["processes"],
                    all_regions=options["all_regions"],
                    seed=options["seed"],
                    progress=progress,
                )
                witnesses = demo_witnesses_create()
                members = demo_consortium_create()
                started = time.perf_counter()
                reports = demo_reports_create()
                result.seconds["reports"] = time.perf_counter() - started
                started = time.perf_counter()
                registrants = demo_benefits_create(seed=options["seed"])
                result.seconds["benefits"] = time.perf_counter() - started
                started = time.perf_counter()
                wallets = demo_wallets_create()
                result.seconds["wallets"] = time.perf_counter() - started
            except TerbukaError as error:
                raise CommandError(f"{error.message_id} / {error.message_en}") from error
        self._report(console, result)
        if witnesses is None:
            console.print(
                "saksi diatur TERBUKA_WITNESSES[_FILE], tanpa konsorsium demo / "
                "witnesses set by TERBUKA_WITNESSES[_FILE], no demo consortium"
            )
        else:
            console.print(f"konsorsium saksi demo / demo witness consortium: {witnesses}")
        if reports is not None:
            console.print(f"laporan warga demo / demo citizens' reports: {reports}")
        if members is not None:
            console.print(f"konsorsium tata kelola demo / demo governance consortium: {members}")
        if registrants is not None:
            console.print(
                f"registri bantuan demo / demo benefit registry: {registrants}; 2 programs"
            )
        if wallets is not None:
            console.print(
                f"dompet demo / demo wallets: {wallets}, berkas kunci / key files in "
                f"{demo_wallets_directory()}"
            )

    def _report(self, console: Console, result: DemoResult) -> None:
        regions = result.regions
        assert regions is not None
        console.print(
            f"wilayah / regions: {regions.total} ({regions.created} baru / new); "
            f"perangkat daerah / agencies: {result.agencies}; "
            f"proses baru / new processes: {result.processes_created}; "
            f"tahap terbit / stages published: {result.stages_published}; "
            f"dokumen / documents: {result.documents_uploaded}"
        )
        console.print(
            "detik / seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in result.seconds.items())
        )
        with_password = [a for a in result.accounts_created if a[2]]
        if with_password:
            table = Table(title="Akun demo / demo accounts (ditampilkan sekali / shown once)")
            for column in ("username", "peran / role", "kata sandi / password"):
                table.add_column(column)
            for username, role, password in with_password:
                table.add_row(username, role, password)
            console.print(table)
