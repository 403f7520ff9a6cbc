"""Parse Permendagri 90/2019 account codes (kode rekening) of an APBD.

Six levels: akun.kelompok.jenis.objek.rincian objek.sub rincian objek, e.g.
"5.1.02.01.01.0024" (Belanja › Belanja Operasi › Belanja Barang dan Jasa › …). The last level
is 4 digits since Kepmendagri 050-5889/2021; the older 3-digit form ("…01.024") is accepted
and normalised to 4 digits. Budget lines use akun 4 (pendapatan), 5 (belanja), 6 (pembiayaan).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from terbuka.budget.errors import BudgetCodeError, UnknownCode

LEVELS: Final = ("akun", "kelompok", "jenis", "objek", "rincian_objek", "sub_rincian_objek")
LEVEL_WORDS: Final[dict[str, tuple[str, str]]] = {
    "akun": ("akun", "account"),
    "kelompok": ("kelompok", "group"),
    "jenis": ("jenis", "type"),
    "objek": ("objek", "object"),
    "rincian_objek": ("rincian objek", "object detail"),
    "sub_rincian_objek": ("sub rincian objek", "object sub-detail"),
}
WIDTHS: Final = (1, 1, 2, 2, 2, 4)
# Names of the accounts down to jenis (Lampiran Permendagri 90/2019), for the budget akun.
NAMES: Final[dict[str, str]] = {
    "4": "Pendapatan Daerah",
    "4.1": "Pendapatan Asli Daerah (PAD)",
    "4.1.01": "Pajak Daerah",
    "4.1.02": "Retribusi Daerah",
    "4.1.03": "Hasil Pengelolaan Kekayaan Daerah yang Dipisahkan",
    "4.1.04": "Lain-lain PAD yang Sah",
    "4.2": "Pendapatan Transfer",
    "4.2.01": "Pendapatan Transfer Pemerintah Pusat",
    "4.2.02": "Pendapatan Transfer Antar Daerah",
    "4.3": "Lain-lain Pendapatan Daerah yang Sah",
    "4.3.01": "Pendapatan Hibah",
    "4.3.02": "Dana Darurat",
    "4.3.03": "Lain-lain Pendapatan Sesuai dengan Ketentuan Peraturan Perundang-Undangan",
    "5": "Belanja Daerah",
    "5.1": "Belanja Operasi",
    "5.1.01": "Belanja Pegawai",
    "5.1.02": "Belanja Barang dan Jasa",
    "5.1.03": "Belanja Bunga",
    "5.1.04": "Belanja Subsidi",
    "5.1.05": "Belanja Hibah",
    "5.1.06": "Belanja Bantuan Sosial",
    "5.2": "Belanja Modal",
    "5.2.01": "Belanja Modal Tanah",
    "5.2.02": "Belanja Modal Peralatan dan Mesin",
    "5.2.03": "Belanja Modal Gedung dan Bangunan",
    "5.2.04": "Belanja Modal Jalan, Irigasi dan Jaringan",
    "5.2.05": "Belanja Modal Aset Tetap Lainnya",
    "5.2.06": "Belanja Modal Aset Lainnya",
    "5.3": "Belanja Tidak Terduga",
    "5.3.01": "Belanja Tidak Terduga",
    "5.4": "Belanja Transfer",
    "5.4.01": "Belanja Bagi Hasil",
    "5.4.02": "Belanja Bantuan Keuangan",
    "6": "Pembiayaan Daerah",
    "6.1": "Penerimaan Pembiayaan",
    "6.1.01": "Sisa Lebih Perhitungan Anggaran Tahun Sebelumnya",
    "6.1.02": "Pencairan Dana Cadangan",
    "6.1.03": "Hasil Penjualan Kekayaan Daerah yang Dipisahkan",
    "6.1.04": "Penerimaan Pinjaman Daerah",
    "6.1.05": "Penerimaan Kembali Pemberian Pinjaman Daerah",
    "6.2": "Pengeluaran Pembiayaan",
    "6.2.01": "Pembentukan Dana Cadangan",
    "6.2.02": "Penyertaan Modal Daerah",
    "6.2.03": "Pembayaran Cicilan Pokok Utang yang Jatuh Tempo",
    "6.2.04": "Pemberian Pinjaman Daerah",
}
_SEGMENT: Final = re.compile(r"\d+", re.ASCII)


@dataclass(frozen=True, slots=True)
class AccountCode:
    """Hold a normalised account code; str() gives the dotted form."""

    segments: tuple[str, ...]

    def __str__(self) -> str:
        return ".".join(self.segments)

    @property
    def level(self) -> str:
        """Return the level name of the last segment, e.g. "jenis"."""
        return LEVELS[len(self.segments) - 1]

    def prefix(self, level: str) -> str:
        """Return the dotted code cut at level, e.g. "5.1.02" for jenis."""
        return ".".join(self.segments[: LEVELS.index(level) + 1])


def account_parse(text: str, *, level: str | None = None, where: str = "") -> AccountCode:
    """Return text as an AccountCode, its 3-digit last level padded to 4 digits.

    Raises BudgetCodeError for a bad shape or (when level is given) another level, and
    UnknownCode for a well-formed code whose akun, kelompok or jenis is not in Permendagri 90.
    Example: str(account_parse("5.1.02.01.01.024")) == "5.1.02.01.01.0024".
    """
    parts = text.strip().split(".")
    if not 1 <= len(parts) <= len(LEVELS) or not all(_SEGMENT.fullmatch(p) for p in parts):
        raise _shape_error(text, where)
    segments = []
    for index, part in enumerate(parts):
        width = WIDTHS[index]
        if index == 5 and len(part) == 3:
            part = "0" + part
        if len(part) != width:
            raise _shape_error(text, where)
        segments.append(part)
    code = AccountCode(tuple(segments))
    _known_check(code, text, where)
    if level is not None and code.level != level:
        got_id, got_en = LEVEL_WORDS[code.level]
        want_id, want_en = LEVEL_WORDS[level]
        raise BudgetCodeError(
            f"kode rekening {text!r} setingkat {got_id}, padahal harus {want_id}",
            f"account code {text!r} is at level {got_en}, but {want_en} is required",
            where=where,
        )
    return code


def account_name(code: str) -> str:
    """Return the name of code's deepest known level (down to jenis), e.g. "Belanja Modal"."""
    parts = code.split(".")
    for cut in range(min(3, len(parts)), 0, -1):
        name = NAMES.get(".".join(parts[:cut]))
        if name is not None:
            return name
    return code


def _known_check(code: AccountCode, text: str, where: str) -> None:
    for cut in range(1, min(3, len(code.segments)) + 1):
        prefix = ".".join(code.segments[:cut])
        if prefix not in NAMES:
            level_id, level_en = LEVEL_WORDS[LEVELS[cut - 1]]
            raise UnknownCode(
                f"kode rekening {text!r}: {level_id} {prefix} tidak dikenal di Permendagri 90/2019",
                f"account code {text!r}: {level_en} {prefix} is unknown in Permendagri 90/2019",
                where=where,
            )


def _shape_error(text: str, where: str) -> BudgetCodeError:
    return BudgetCodeError(
        f"{text!r} bukan kode rekening Permendagri 90/2019 (contoh: 5.1.02.01.01.0024)",
        f"{text!r} is not a Permendagri 90/2019 account code (e.g. 5.1.02.01.01.0024)",
        where=where,
    )
