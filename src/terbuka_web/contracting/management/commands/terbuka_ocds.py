"""Import OCDS release packages and export the published data: `terbuka ocds import|export`.

terbuka ocds import --user admin FILE [FILE…]   each file all or nothing
terbuka ocds export DIR [--no-flat]             releases.json, records.json, CSV zip, XLSX
terbuka ocds bulk [--loop] [--interval S]       the API's bulk CSV zip and XLSX, after changes
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from terbuka.errors import TerbukaError
from terbuka.ocds.errors import OcdsValidationError
from terbuka_web.accounts.models import User
from terbuka_web.api.services import bulk_files_build
from terbuka_web.common.rounds import rounds_run
from terbuka_web.contracting.exports import ocds_export
from terbuka_web.contracting.imports import package_import
from terbuka_web.contracting.models import Release


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


class Command(BaseCommand):
    help = "Impor/ekspor OCDS 1.1.5 — import release packages, export open data files."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="impor paket rilis / import release packages")
        imp.add_argument("files", nargs="+", type=Path)
        imp.add_argument("--user", required=True, help="admin username performing the import")
        exp = sub.add_parser("export", help="ekspor data terbuka / export open data")
        exp.add_argument("directory", type=Path)
        exp.add_argument("--no-flat", action="store_true", help="skip CSV and XLSX")
        bulk = sub.add_parser(
            "bulk", help="bangun CSV/XLSX unduhan API / build the API's bulk CSV and XLSX"
        )
        bulk.add_argument("--loop", action="store_true", help="run as a background worker")
        bulk.add_argument("--interval", type=float, default=60.0, help="seconds between rounds")

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(file=self.stdout, stderr=False)
        try:
            if options["action"] == "import":
                self._import(console, options["files"], options["user"])
            elif options["action"] == "bulk":
                self._bulk(console, options["loop"], options["interval"])
            else:
                self._export(console, options["directory"], not options["no_flat"])
        except TerbukaError as exc:
            raise CommandError(self._describe(exc)) from exc

    @staticmethod
    def _describe(exc: TerbukaError) -> str:
        where = f"{exc.where}: " if exc.where and not isinstance(exc, OcdsValidationError) else ""
        text = f"{where}{exc.message_id}\n{exc.message_en}"
        if isinstance(exc, OcdsValidationError):
            warnings = [i for i in exc.issues if i.severity != "error"]
            text += "".join(f"\n  peringatan/warning {i.pointer}: {i.message_en}" for i in warnings)
        return text

    def _import(self, console: Console, files: list[Path], username: str) -> None:
        actor = User.objects.filter(username=username).first()
        if actor is None:
            raise CommandError(f"pengguna '{username}' tidak ada / user '{username}' not found")
        with _progress(console) as progress:
            task = progress.add_task("impor / import", total=len(files))
            for path in files:
                try:
                    data = path.read_bytes()
                except OSError as exc:
                    raise CommandError(
                        f"{path}: tidak dapat dibaca / cannot be read: {exc}"
                    ) from exc
                try:
                    result = package_import(data=data, actor=actor, source_name=path.name)
                except TerbukaError as exc:
                    raise CommandError(f"{path}:\n{self._describe(exc)}") from exc
                counts = result.as_dict()
                console.print(
                    f"{path.name}: {counts['releases_created']} rilis baru/new, "
                    f"{counts['releases_skipped']} dilewati/skipped, "
                    f"{counts['processes_created']} proses baru/new processes, "
                    f"{counts['warnings']} peringatan/warnings"
                )
                progress.advance(task)

    def _export(self, console: Console, directory: Path, flat: bool) -> None:
        total = Release.objects.count()
        with _progress(console) as progress:
            task = progress.add_task("ekspor / export", total=2 * total)
            result = ocds_export(
                out_dir=directory, flat=flat, tick=lambda n: progress.advance(task, n)
            )
        for path in (result.release_package, result.record_package, result.csv_zip, result.xlsx):
            if path:
                console.print(f"ditulis / written: {path}")
        console.print(f"{result.releases} rilis/releases, {result.records} rekaman/records")

    def _bulk(self, console: Console, loop: bool, interval: float) -> None:
        def build() -> None:
            files = bulk_files_build()
            if not loop:
                done = f"{files.csv_zip}, {files.xlsx}" if files else "-"
                console.print(f"berkas unduhan / bulk files: {done}", soft_wrap=True)

        rounds_run(
            build,
            loop=loop,
            interval=interval,
            name="bulk",
            report=lambda line: console.print(line, soft_wrap=True, markup=False),
            retry_on=(TerbukaError, OSError),
        )
