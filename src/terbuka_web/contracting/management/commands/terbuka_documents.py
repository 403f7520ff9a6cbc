"""Manage the uploaded PDFs' files: `terbuka documents protect`.

terbuka documents protect    move the PDFs of the old public media folder into private storage
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from terbuka_web.contracting.services import documents_protect


class Command(BaseCommand):
    help = "Berkas PDF unggahan / uploaded PDF files."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "protect",
            help="pindahkan PDF dari folder media publik lama (sebelum versi ini) ke penyimpanan "
            "privat / move the PDFs of the old public media folder into private storage",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        moved, left = documents_protect()
        self.stdout.write(f"{moved} berkas dipindahkan / files moved")
        if left:
            self.stdout.write(
                f"{len(left)} berkas tanpa dokumen tetap di folder lama / files with no document "
                f"stay in the old folder: {', '.join(left[:5])}"
            )
