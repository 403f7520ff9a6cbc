"""Import budgets: `terbuka budget import FILE… [--user NAME] [--region CODE] [--year YYYY]`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from terbuka.budget.djpk import HEADER, djpk_parse
from terbuka.budget.errors import BudgetFileError
from terbuka.errors import TerbukaError
from terbuka_web.accounts.models import User
from terbuka_web.budget.services import (
    budget_errors_text,
    budget_file_import,
    budget_summary_publish,
    village_token_create,
)
from terbuka_web.regions.selectors import region_get


class Command(BaseCommand):
    help = (
        "Impor anggaran dari CSV/XLSX (baris APBD/APBDes, atau ringkasan DJPK), semua atau "
        "tidak sama sekali / import budgets from CSV/XLSX (APBD/APBDes lines, or a DJPK "
        "summary), all or nothing."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("import", help="impor berkas / import files")
        run.add_argument("files", nargs="+", type=Path, help="CSV/XLSX")
        run.add_argument("--user", default="", help="pengguna / user (default: the system)")
        run.add_argument(
            "--region", default="", help="ringkasan DJPK: kode wilayah / DJPK summary: region"
        )
        run.add_argument(
            "--year", type=int, default=0, help="ringkasan DJPK: tahun (default: folder name)"
        )
        token = sub.add_parser(
            "token", help="token API baru untuk sistem desa / a new API token for a village system"
        )
        token.add_argument("village", help="kode desa / village code, e.g. 35.22.01.2001")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "token":
            try:
                village = region_get(code=options["village"])
                if village.level != "village":
                    raise CommandError("bukan desa / not a village")
                self.stdout.write(village_token_create(actor=None, village=village))
            except TerbukaError as exc:
                raise CommandError(f"{exc.message_id} / {exc.message_en}") from exc
            return
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"pengguna / user '{options['user']}' tidak ada / not found")
        for path in options["files"]:
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise CommandError(f"{path}: tidak dapat dibaca / cannot be read: {exc}") from exc
            try:
                text = self._one(path, data, actor, options["region"], options["year"])
            except BudgetFileError as exc:
                raise CommandError(f"{path}:\n{budget_errors_text(exc)}") from exc
            except TerbukaError as exc:
                where = f"{exc.where}: " if exc.where else ""
                raise CommandError(f"{path}: {where}{exc.message_id} / {exc.message_en}") from exc
            self.stdout.write(f"{path.name}: {text}")

    def _one(self, path: Path, data: bytes, actor: User | None, region: str, year: int) -> str:
        first = data.split(b"\n", 1)[0].decode("utf-8-sig", "replace").strip().lower()
        if first.replace(" ", "").split(",") == HEADER:
            if not region:
                raise CommandError(
                    "ringkasan DJPK memerlukan --region / a DJPK summary needs --region"
                )
            year = year or _year_of(path)
            lines = djpk_parse(data.decode("utf-8-sig"))
            result = budget_summary_publish(
                actor=actor,
                region=region_get(code=region),
                year=year,
                lines=lines,
                source=path.name,
            )
            return f"ringkasan / summary {year}: {len(lines)} akun / accounts"
        result = budget_file_import(actor=actor, data=data, name=path.name)
        return f"{result.batches} kelompok / batches, {result.lines} baris / lines"


def _year_of(path: Path) -> int:
    """Return the year of a DJPK file from its folder (…/2024/Bojonegoro.csv)."""
    for part in reversed(path.parts[:-1]):
        if re.fullmatch(r"20\d\d", part):
            return int(part)
    raise CommandError("tahun tidak diketahui: pakai --year / unknown year: use --year")
