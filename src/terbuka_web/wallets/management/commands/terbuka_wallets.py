"""Citizen wallets at the server: `merchants` (approved merchants), `challenge --officer USER
--nik NIK` (an enrolment challenge for the registrant the officer checked in person),
`approve CODE --officer USER …` (a merchant), `purpose PROGRAMME …` (what its money may buy),
`credit PROGRAMME` (move credited entitlements into enrolled wallets), `token CODE --officer
USER` (a merchant's sync token, shown once), `close` (close offline allowances past expiry
and grace: reserves back to the wallets) and `settle MERCHANT --officer USER --key KEY
[--csv FILE]` (redeem a merchant's takings to Rupiah, with its report)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from terbuka.cli.wallet_server import merchants_lines
from terbuka.errors import TerbukaError
from terbuka_web.accounts.models import User
from terbuka_web.benefits.models import Programme
from terbuka_web.benefits.selectors import registrant_by_nik
from terbuka_web.wallets.models import Merchant
from terbuka_web.wallets.offline import allowances_close
from terbuka_web.wallets.selectors import merchants_approved
from terbuka_web.wallets.services import (
    enrol_challenge_create,
    merchant_approve,
    merchant_token_issue,
    purpose_set,
    wallets_credit,
)
from terbuka_web.wallets.settlements import settlement_create, settlement_csv


class Command(BaseCommand):
    help = "Dompet warga / citizen wallets: merchants, enrolment challenges, purposes."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("merchants", help="pedagang disetujui / approved merchants")
        listing.add_argument("--json", action="store_true", help="one JSON array")
        ask = sub.add_parser("challenge", help="tantangan pendaftaran / enrolment challenge")
        ask.add_argument("--officer", required=True, help="nama pengguna petugas / username")
        ask.add_argument("--nik", required=True, help="NIK penerima (diperiksa langsung)")
        approve = sub.add_parser("approve", help="setujui pedagang / approve a merchant")
        approve.add_argument("code", help="id pedagang / merchant id, e.g. toko-ani")
        approve.add_argument("--officer", required=True, help="nama pengguna petugas / username")
        approve.add_argument("--name", required=True)
        approve.add_argument("--category", required=True, choices=Merchant.Category.values)
        approve.add_argument("--village", required=True, help="kode desa, e.g. 35.22.01.2001")
        purpose = sub.add_parser("purpose", help="peruntukan program / a programme's purpose")
        purpose.add_argument("programme")
        purpose.add_argument("--category", action="append", default=[], help="repeatable")
        purpose.add_argument("--payment-cap", type=int, default=0, help="Rupiah; 0: none")
        purpose.add_argument("--day-cap", type=int, default=0, help="Rupiah; 0: none")
        credit = sub.add_parser("credit", help="hak masuk dompet / entitlements into wallets")
        credit.add_argument("programme")
        token = sub.add_parser("token", help="token sinkron pedagang / a merchant's sync token")
        token.add_argument("code", help="id pedagang / merchant id")
        token.add_argument("--officer", required=True, help="nama pengguna petugas / username")
        sub.add_parser("close", help="tutup jatah luring kedaluwarsa / close expired allowances")
        settle = sub.add_parser("settle", help="penyelesaian pedagang / settle a merchant")
        settle.add_argument("merchant", help="id pedagang / merchant id, e.g. toko-ani")
        settle.add_argument("--officer", required=True, help="nama pengguna petugas / username")
        settle.add_argument(
            "--key", required=True, help="kunci idempoten / idempotency key, e.g. 2026-12-06"
        )
        settle.add_argument("--csv", type=Path, help="tulis laporan CSV / write the report CSV")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            if action == "merchants":
                rows = (
                    {"id": m.code, "name": m.name, "category": m.category,
                     "village_code": m.village_id, "village": m.village.name}
                    for m in merchants_approved()
                )  # fmt: skip
                for line in merchants_lines(rows, options["json"]):
                    self.stdout.write(line)
            elif action == "challenge":
                self.challenge(options["officer"], options["nik"])
            elif action == "approve":
                merchant_approve(
                    officer=self._officer(options["officer"]), code=options["code"],
                    name=options["name"], category=options["category"],
                    village=options["village"],
                )  # fmt: skip
                self.stdout.write(f"disetujui / approved: {options['code']}")
            elif action == "purpose":
                purpose_set(
                    actor=None, programme=self._programme(options["programme"]),
                    categories=options["category"], payment_cap=options["payment_cap"],
                    day_cap=options["day_cap"],
                )  # fmt: skip
                self.stdout.write(f"peruntukan / purpose set: {options['programme']}")
            elif action == "token":
                token = merchant_token_issue(
                    officer=self._officer(options["officer"]), code=options["code"]
                )
                self.stdout.write(token)
            elif action == "close":
                closed = allowances_close()
                self.stdout.write(f"jatah ditutup / allowances closed: {closed}")
            elif action == "settle":
                self.settle(options["merchant"], options["officer"], options["key"],
                            options["csv"])  # fmt: skip
            else:
                moved = wallets_credit(programme=self._programme(options["programme"]))
                self.stdout.write(f"masuk dompet / into wallets: Rp {moved}")
        except TerbukaError as error:
            where = f"{error.where}: " if error.where else ""
            raise CommandError(f"{where}{error.message_id} / {error.message_en}") from error

    def challenge(self, username: str, nik: str) -> None:
        registrant = registrant_by_nik(nik)
        if registrant is None:
            raise CommandError("NIK tidak ada di registri / NIK not in the registry")
        issued = enrol_challenge_create(officer=self._officer(username), registrant=registrant)
        self.stdout.write(f"tantangan / challenge: {issued.challenge}")
        self.stdout.write(f"kedaluwarsa / expires: {issued.expires}")
        # "=" keeps a challenge that starts with "-" from being read as an option
        self.stdout.write(
            f"warga / citizen: terbuka wallet enrol --wallet BERKAS/FILE "
            f"--challenge={issued.challenge} --expires={issued.expires}"
        )

    def settle(self, code: str, username: str, key: str, report: Path | None) -> None:
        merchant = Merchant.objects.filter(code=code).first()
        if merchant is None:
            raise CommandError(f"pedagang tidak ada / unknown merchant: {code}")
        done = settlement_create(officer=self._officer(username), merchant=merchant, key=key)
        totals = ", ".join(f"{p} Rp {a}" for p, a in sorted(done.totals.items()))
        self.stdout.write(
            f"diselesaikan / settled {done.key}: {done.merchant.code} Rp {done.amount}, "
            f"{done.count} pembayaran / payments ({totals})"
        )
        if report is not None:
            try:
                report.write_bytes(settlement_csv(done))
            except OSError as error:
                raise CommandError(f"{report}: {error.strerror}") from error
            self.stdout.write(f"laporan / report: {report}")

    def _officer(self, username: str) -> User:
        officer = User.objects.filter(username=username, is_active=True).first()
        if officer is None:
            raise CommandError(f"petugas tidak ada / unknown officer: {username}")
        return officer

    def _programme(self, slug: str) -> Programme:
        programme = Programme.objects.filter(slug=slug).first()
        if programme is None:
            raise CommandError(f"program tidak ditemukan / programme not found: {slug}")
        return programme
