"""Check the rows of a budget line table (CSV or XLSX) before anything is written.

Columns: tahun, tahap, wilayah, kode_rekening, jumlah (required); perangkat_daerah,
kode_program, fungsi, uraian, semester (optional). A row of a village (wilayah at desa level)
is an APBDes line (Permendagri 20/2018), any other an APBD line (Permendagri 90/2019).
Example row: {"tahun": "2024", "tahap": "dpa", "wilayah": "35.22", "perangkat_daerah":
"dinas-pu", "kode_program": "1.03.10.2.01.0001", "kode_rekening": "5.2.04.01.01.0001",
"uraian": "Jalan Poros", "jumlah": "1.500.000.000"}.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from terbuka.budget.accounts import account_parse
from terbuka.budget.amounts import amount_parse
from terbuka.budget.errors import BudgetFileError
from terbuka.budget.programmes import fungsi_parse, programme_parse
from terbuka.budget.village import village_account_parse, village_bidang_parse
from terbuka.errors import FormatError, TerbukaError, ValidationError
from terbuka.regions.codes import code_parse

REQUIRED: Final = ("tahun", "tahap", "wilayah", "kode_rekening", "jumlah")
PHASES: Final[dict[str, str]] = {
    "rka": "rka",
    "dpa": "dpa",
    "apbdes": "dpa",
    "perubahan": "perubahan",
    "apbd-p": "perubahan",
    "apbdes-p": "perubahan",
    "realisasi": "realisasi",
    "lra": "realisasi",
}


@dataclass(frozen=True, slots=True)
class BudgetRow:
    """Hold one checked budget line (codes normalised, amount in integer Rupiah)."""

    number: int
    year: int
    phase: str
    semester: int
    region: str
    village: bool
    agency: str
    programme: str
    account: str
    fungsi: str
    name: str
    amount: int

    @property
    def key(self) -> tuple[str, str, str, str]:
        """Return what ties a line across phases: government, agency, programme, account."""
        return (self.region, self.agency, self.programme, self.account)


def table_read(data: bytes, name: str) -> list[dict[str, str]]:
    """Return the rows of a CSV (UTF-8, comma or semicolon) or XLSX file as dicts of text.

    Raises BudgetFileError when the file cannot be read or lacks a required column.
    """
    try:
        records = _xlsx_rows(data) if name.lower().endswith(".xlsx") else _csv_rows(data)
    except (ValueError, OSError, KeyError, zipfile.BadZipFile, csv.Error) as error:
        raise _file_error(f"berkas tidak terbaca ({error})", f"unreadable file ({error})") from None
    if not records:
        raise _file_error("berkas kosong", "empty file")
    header = [str(cell or "").strip().lower() for cell in records[0]]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise _file_error(
            f"kolom wajib tidak ada: {', '.join(missing)}",
            f"required columns missing: {', '.join(missing)}",
        )
    return [
        {
            column: str(cell if cell is not None else "").strip()
            for column, cell in zip(header, row, strict=False)
        }
        for row in records[1:]
        if any(str(cell or "").strip() for cell in row)
    ]


def rows_check(raw: list[dict[str, str]]) -> list[BudgetRow]:
    """Return every row checked, or raise BudgetFileError naming each bad row and field.

    Row numbers count the header as row 1. A realisation must match a budget line (same
    government, agency, programme and account) of the same file or of known_keys given to
    realisations_check. Example error where: "baris 4, kode_rekening".
    """
    rows: list[BudgetRow] = []
    errors: list[ValidationError | FormatError] = []
    for number, record in enumerate(raw, start=2):
        try:
            rows.append(_row(record, number))
        except (ValidationError, FormatError) as error:
            errors.append(error)
    if errors:
        raise BudgetFileError(errors)
    if not rows:
        raise _file_error("tidak ada baris anggaran", "no budget rows")
    return rows


def realisations_check(rows: list[BudgetRow], known: set[tuple[str, str, str, str]]) -> None:
    """Raise BudgetFileError for each realisation row whose line has no budget (DPA/perubahan).

    known holds the keys already budgeted in the database; rows of the same file count too.
    """
    budgeted = known | {row.key for row in rows if row.phase in {"dpa", "perubahan"}}
    errors: list[ValidationError | FormatError] = [
        ValidationError(
            "realisasi tanpa baris anggaran (DPA/APBDes) untuk "
            f"{row.programme or '-'} / {row.account}",
            f"a realisation without a budget line (DPA/APBDes) for {row.programme or '-'} / "
            f"{row.account}",
            where=f"baris {row.number}, kode_rekening",
        )
        for row in rows
        if row.phase == "realisasi" and row.key not in budgeted
    ]
    if errors:
        raise BudgetFileError(errors)


def _row(record: dict[str, str], number: int) -> BudgetRow:
    def where(field: str) -> str:
        return f"baris {number}, {field}"

    year_text = record.get("tahun", "")
    if not (year_text.isascii() and year_text.isdigit() and 2000 <= int(year_text) <= 2100):
        raise ValidationError(
            f"tahun {year_text!r} tidak sah", f"invalid year {year_text!r}", where=where("tahun")
        )
    phase = PHASES.get(record.get("tahap", "").lower())
    if phase is None:
        raise ValidationError(
            f"tahap {record.get('tahap')!r} tidak dikenal (rka, dpa, perubahan, realisasi)",
            f"unknown phase {record.get('tahap')!r} (rka, dpa, perubahan, realisasi)",
            where=where("tahap"),
        )
    try:
        region = code_parse(record.get("wilayah", ""))
    except TerbukaError as error:
        raise ValidationError(error.message_id, error.message_en, where=where("wilayah")) from None
    village = region.level == "village"
    semester = _semester(record.get("semester", ""), phase, where("semester"))
    account, programme = _codes(record, village, where)
    fungsi = record.get("fungsi", "")
    return BudgetRow(
        number=number,
        year=int(year_text),
        phase=phase,
        semester=semester,
        region=str(region),
        village=village,
        agency=record.get("perangkat_daerah", ""),
        programme=programme,
        account=account,
        fungsi=fungsi_parse(fungsi, where=where("fungsi")) if fungsi else "",
        name=record.get("uraian", "")[:300],
        amount=amount_parse(record.get("jumlah", ""), where=where("jumlah")),
    )


def _codes(record: dict[str, str], village: bool, at: Callable[[str], str]) -> tuple[str, str]:
    """Return (account, programme) checked for an APBDes or an APBD row."""
    account_text = record.get("kode_rekening", "")
    programme_text = record.get("kode_program", "")
    if village:
        account = village_account_parse(account_text, where=at("kode_rekening"))
        if account.startswith("5") and len(account) != 3:
            raise ValidationError(
                "belanja APBDes dicatat per jenis (5.1–5.4)",
                "APBDes spending is recorded per type (5.1–5.4)",
                where=at("kode_rekening"),
            )
        if account.startswith("5") or programme_text:
            if not programme_text:
                raise ValidationError(
                    "belanja APBDes memerlukan kode bidang (contoh: 2.3)",
                    "APBDes spending needs a bidang code (e.g. 2.3)",
                    where=at("kode_program"),
                )
            return account, village_bidang_parse(programme_text, where=at("kode_program"))
        return account, ""
    code = account_parse(account_text, level="sub_rincian_objek", where=at("kode_rekening"))
    if str(code).startswith("5") or programme_text:
        programme = programme_parse(programme_text, level="sub_kegiatan", where=at("kode_program"))
        return str(code), str(programme)
    return str(code), ""


def _semester(text: str, phase: str, where: str) -> int:
    if not text:
        return 0
    if phase != "realisasi" or text not in {"1", "2"}:
        raise ValidationError(
            "semester hanya 1 atau 2, dan hanya untuk realisasi",
            "semester is 1 or 2, and only for a realisation",
            where=where,
        )
    return int(text)


def _csv_rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;") if text else "excel"
    return list(csv.reader(io.StringIO(text), dialect))


def _xlsx_rows(data: bytes) -> list[list[object]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except InvalidFileException as error:
        raise ValueError(str(error)) from None
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def _file_error(message_id: str, message_en: str) -> BudgetFileError:
    return BudgetFileError([ValidationError(message_id, message_en, where="berkas")])
