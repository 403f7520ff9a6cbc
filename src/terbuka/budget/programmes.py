"""Parse Permendagri 90/2019 programme codes (urusan.bidang.program.kegiatan.sub-kegiatan)
and fungsi codes of an APBD.

A sub-kegiatan reads "1.02.02.2.01.0001": urusan 1, bidang 02, program 02, kegiatan 2.01,
sub-kegiatan 0001 (4 digits since Kepmendagri 050-5889/2021; the older 2-digit form "…2.01.01"
is accepted and normalised to 4 digits).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from terbuka.budget.errors import BudgetCodeError, UnknownCode

# Level name → number of dotted segments.
LEVELS: Final[dict[str, int]] = {
    "urusan": 1,
    "bidang": 2,
    "program": 3,
    "kegiatan": 5,
    "sub_kegiatan": 6,
}
LEVEL_WORDS: Final[dict[str, tuple[str, str]]] = {
    "urusan": ("urusan", "affair"),
    "bidang": ("bidang urusan", "affair field"),
    "program": ("program", "programme"),
    "kegiatan": ("kegiatan", "activity"),
    "sub_kegiatan": ("sub kegiatan", "sub-activity"),
}
URUSAN: Final[dict[str, str]] = {
    "1": "Urusan Pemerintahan Wajib yang Berkaitan dengan Pelayanan Dasar",
    "2": "Urusan Pemerintahan Wajib yang Tidak Berkaitan dengan Pelayanan Dasar",
    "3": "Urusan Pemerintahan Pilihan",
    "4": "Unsur Pendukung Urusan Pemerintahan",
    "5": "Unsur Penunjang Urusan Pemerintahan",
    "6": "Unsur Pengawasan Urusan Pemerintahan",
    "7": "Unsur Kewilayahan",
    "8": "Unsur Pemerintahan Umum",
}
BIDANG: Final[dict[str, str]] = {
    "1.01": "Pendidikan",
    "1.02": "Kesehatan",
    "1.03": "Pekerjaan Umum dan Penataan Ruang",
    "1.04": "Perumahan dan Kawasan Permukiman",
    "1.05": "Ketenteraman, Ketertiban Umum dan Pelindungan Masyarakat",
    "1.06": "Sosial",
    "2.07": "Tenaga Kerja",
    "2.08": "Pemberdayaan Perempuan dan Pelindungan Anak",
    "2.09": "Pangan",
    "2.10": "Pertanahan",
    "2.11": "Lingkungan Hidup",
    "2.12": "Administrasi Kependudukan dan Pencatatan Sipil",
    "2.13": "Pemberdayaan Masyarakat dan Desa",
    "2.14": "Pengendalian Penduduk dan Keluarga Berencana",
    "2.15": "Perhubungan",
    "2.16": "Komunikasi dan Informatika",
    "2.17": "Koperasi, Usaha Kecil dan Menengah",
    "2.18": "Penanaman Modal",
    "2.19": "Kepemudaan dan Olahraga",
    "2.20": "Statistik",
    "2.21": "Persandian",
    "2.22": "Kebudayaan",
    "2.23": "Perpustakaan",
    "2.24": "Kearsipan",
    "3.25": "Kelautan dan Perikanan",
    "3.26": "Pariwisata",
    "3.27": "Pertanian",
    "3.28": "Kehutanan",
    "3.29": "Energi dan Sumber Daya Mineral",
    "3.30": "Perdagangan",
    "3.31": "Perindustrian",
    "3.32": "Transmigrasi",
    "4.01": "Sekretariat Daerah",
    "4.02": "Sekretariat DPRD",
    "5.01": "Perencanaan",
    "5.02": "Keuangan",
    "5.03": "Kepegawaian",
    "5.04": "Pendidikan dan Pelatihan",
    "5.05": "Penelitian dan Pengembangan",
    "6.01": "Inspektorat Daerah",
    "7.01": "Kecamatan",
    "8.01": "Kesatuan Bangsa dan Politik",
}
FUNGSI: Final[dict[str, str]] = {
    "01": "Pelayanan Umum",
    "02": "Pertahanan",
    "03": "Ketertiban dan Keamanan",
    "04": "Ekonomi",
    "05": "Lingkungan Hidup",
    "06": "Perumahan dan Fasilitas Umum",
    "07": "Kesehatan",
    "08": "Pariwisata dan Budaya",
    "09": "Agama",
    "10": "Pendidikan",
    "11": "Perlindungan Sosial",
}
_WIDTHS: Final = (1, 2, 2, 1, 2, 4)
_DIGITS: Final = re.compile(r"\d+", re.ASCII)


@dataclass(frozen=True, slots=True)
class ProgrammeCode:
    """Hold a normalised programme classification code; str() gives the dotted form."""

    segments: tuple[str, ...]

    def __str__(self) -> str:
        return ".".join(self.segments)

    @property
    def level(self) -> str:
        """Return the level name, e.g. "sub_kegiatan"."""
        return next(name for name, n in LEVELS.items() if n == len(self.segments))

    @property
    def urusan(self) -> str:
        """Return the urusan digit, e.g. "1"."""
        return self.segments[0]

    @property
    def bidang(self) -> str:
        """Return the bidang urusan code, e.g. "1.02" (empty at urusan level)."""
        return ".".join(self.segments[:2]) if len(self.segments) > 1 else ""


def programme_parse(text: str, *, level: str | None = None, where: str = "") -> ProgrammeCode:
    """Return text as a ProgrammeCode, a 2-digit sub-kegiatan padded to 4 digits.

    Raises BudgetCodeError for a bad shape or (when level is given) another level, and
    UnknownCode for an urusan or bidang urusan that Permendagri 90/2019 does not list.
    Example: str(programme_parse("1.02.02.2.01.01")) == "1.02.02.2.01.0001".
    """
    parts = text.strip().split(".")
    if len(parts) not in LEVELS.values() or not all(_DIGITS.fullmatch(p) for p in parts):
        raise _shape_error(text, where)
    if len(parts) == 6 and len(parts[5]) == 2:
        parts[5] = "00" + parts[5]
    if any(len(part) != width for part, width in zip(parts, _WIDTHS, strict=False)):
        raise _shape_error(text, where)
    code = ProgrammeCode(tuple(parts))
    if code.urusan not in URUSAN or (code.bidang and code.bidang not in BIDANG):
        unknown = code.bidang if code.urusan in URUSAN else code.urusan
        raise UnknownCode(
            f"kode program {text!r}: urusan/bidang {unknown} tidak dikenal di Permendagri 90/2019",
            f"programme code {text!r}: affair/field {unknown} is unknown in Permendagri 90/2019",
            where=where,
        )
    if level is not None and code.level != level:
        got_id, got_en = LEVEL_WORDS[code.level]
        want_id, want_en = LEVEL_WORDS[level]
        raise BudgetCodeError(
            f"kode program {text!r} setingkat {got_id}, padahal harus {want_id}",
            f"programme code {text!r} is at level {got_en}, but {want_en} is required",
            where=where,
        )
    return code


def fungsi_parse(text: str, *, where: str = "") -> str:
    """Return text as a two-digit fungsi code ("7" → "07").

    Raises UnknownCode for a code outside 01–11 (PP 12/2019 functions).
    Example: fungsi_parse("7") == "07".
    """
    code = text.strip().zfill(2)
    if code not in FUNGSI:
        raise UnknownCode(
            f"kode fungsi {text!r} tidak dikenal (01–11)",
            f"unknown fungsi code {text!r} (01–11)",
            where=where,
        )
    return code


def _shape_error(text: str, where: str) -> BudgetCodeError:
    return BudgetCodeError(
        f"{text!r} bukan kode program Permendagri 90/2019 (contoh: 1.02.02.2.01.0001)",
        f"{text!r} is not a Permendagri 90/2019 programme code (e.g. 1.02.02.2.01.0001)",
        where=where,
    )
