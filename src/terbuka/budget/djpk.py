"""Parse the DJPK (Kemenkeu SIKD portal) APBD summary CSVs of a regency.

Header "akun,anggaran,realisasi,persentase". Two formats: 2021 files hold dot-decimal
billions with indentation ("     PAD,691.31,955.64,138.24"); 2022 onwards hold Indonesian
amounts with an " M" suffix (`" PAD","904,00 M","1.097,70 M",121.43`). A group repeated as its
own single child (same code, identical values; 2022 even renames "Belanja Barang Jasa" to
"Belanja Barang dan Jasa") is kept once. Each line maps to its Permendagri 90/2019
account code where one exists ("Belanja Lainnya" and "Surplus/(Defisit)" have none).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Final

from terbuka.budget.amounts import amount_parse, decimal_billions_parse
from terbuka.budget.errors import AmountError, BudgetFileError
from terbuka.errors import FormatError, ValidationError

HEADER: Final = ["akun", "anggaran", "realisasi", "persentase"]
# DJPK name (lower case, the 2021 typos included) → account code ("" for DJPK-only groups).
CODES: Final[dict[str, str]] = {
    "pendapatan daerah": "4",
    "pad": "4.1",
    "pajak daerah": "4.1.01",
    "retribusi daerah": "4.1.02",
    "hasil pengelolaan kekayaan daerah yang dipisahkan": "4.1.03",
    "lain-lain pad yang sah": "4.1.04",
    "tkdd": "4.2",
    "pendapatan transfer pemerintah pusat": "4.2.01",
    "pendapatan transfer antar daerah": "4.2.02",
    "pendapatan lainnya": "",
    "pendapatan hibah": "4.3.01",
    "dana darurat": "4.3.02",
    "lain-lain pendapatan sesuai dengan ketentuan peraturan perundang-undangan": "4.3.03",
    "belanja daerah": "5",
    "belanja pegawai": "5.1.01",
    "belanja barang dan jasa": "5.1.02",
    "belanja barang jasa": "5.1.02",
    "belanja bunga": "5.1.03",
    "belanja subsidi": "5.1.04",
    "belanja hibah": "5.1.05",
    "belanja bantuan sosial": "5.1.06",
    "belanja modal": "5.2",
    "belanjaodal": "5.2",
    "belanja lainnya": "",
    "belanja tidak terduga": "5.3",
    "belanja bagi hasil": "5.4.01",
    "belanja bantuan keuangan": "5.4.02",
    "surplus/(defisit)": "",
    "pembiayaan daerah": "6",
    "penerimaan pembiayaan daerah": "6.1",
    "sisa lebih perhitungan anggaran tahun sebelumnya": "6.1.01",
    "pencairan dana cadangan": "6.1.02",
    "hasil penjualan kekayaan daerah yang dipisahkan": "6.1.03",
    "penjualan kekayaan daerah yang dipisahkan": "6.1.03",
    "penerimaan pembiayaan lainnya": "",
    "penerimaan pembiayaan lainnya sesuai dengan ketentuan peraturan perundang-undangan": "",
    "pengeluaran pembiayaan lainnya sesuai dengan ketentuan peraturan perundang-undangan": "",
    "penerimaan pinjaman daerah": "6.1.04",
    "penerimaan kembali pemberian pinjaman daerah": "6.1.05",
    "pengeluaran pembiayaan daerah": "6.2",
    "pembentukan dana cadangan": "6.2.01",
    "penyertaan modal daerah": "6.2.02",
    "penyertaanodal daerah": "6.2.02",
    "pembayaran cicilan pokok utang yang jatuh tempo": "6.2.03",
    "pemberian pinjaman daerah": "6.2.04",
}


@dataclass(frozen=True, slots=True)
class SummaryLine:
    """Hold one DJPK summary line: its name, account code ("" if none), Rupiah amounts."""

    name: str
    code: str
    planned: int
    realised: int


def djpk_parse(text: str) -> list[SummaryLine]:
    """Return the summary lines of a DJPK APBD CSV, in file order, repeats dropped.

    Raises BudgetFileError listing every bad row and field (row 2 = first data row):
    a wrong header, an unknown account name, an amount in neither format.
    Example row: `" Belanja Daerah","8.206,22 M","7.295,25 M",88.90` →
    SummaryLine("Belanja Daerah", "5", 8_206_220_000_000, 7_295_250_000_000).
    """
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or [cell.strip().lower() for cell in rows[0]] != HEADER:
        raise BudgetFileError(
            [
                FormatError(
                    "kepala tabel harus akun,anggaran,realisasi,persentase",
                    "the header must be akun,anggaran,realisasi,persentase",
                    where="baris 1",
                )
            ]
        )
    lines: list[SummaryLine] = []
    errors: list[ValidationError | FormatError] = []
    for number, row in enumerate(rows[1:], start=2):
        try:
            line = _line(row, number)
        except (ValidationError, FormatError) as error:
            errors.append(error)
            continue
        if not lines or _same(lines[-1]) != _same(line):
            lines.append(line)
    if errors:
        raise BudgetFileError(errors)
    return lines


def _same(line: SummaryLine) -> tuple[str, int, int]:
    """Return what makes a repeated group a repeat: its code (else name) and amounts."""
    return (line.code or line.name, line.planned, line.realised)


def _line(row: list[str], number: int) -> SummaryLine:
    where = f"baris {number}"
    if len(row) != 4:
        raise FormatError(
            f"{len(row)} kolom, padahal harus 4", f"{len(row)} columns, 4 expected", where=where
        )
    name = row[0].strip()
    code = CODES.get(name.lower())
    if code is None:
        raise ValidationError(
            f"akun {name!r} tidak dikenal", f"unknown account {name!r}", where=f"{where}, akun"
        )
    return SummaryLine(
        name=name,
        code=code,
        planned=_amount(row[1], f"{where}, anggaran"),
        realised=_amount(row[2], f"{where}, realisasi"),
    )


def _amount(text: str, where: str) -> int:
    """Read "4.148,11 M" (2022+) or "3788.74" (2021, billions)."""
    try:
        return decimal_billions_parse(text, where=where)
    except AmountError:
        return amount_parse(text, where=where)
