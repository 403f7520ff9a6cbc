"""Parse APBDes codes of Permendagri 20/2018 (village budgets).

Pendapatan and pembiayaan use account codes "4.2.1" (Dana Desa), "6.1.1" (SiLPA); belanja
uses the jenis "5.1"…"5.4" together with a bidang code "B.S" (bidang.sub-bidang, e.g. "2.3"
Pekerjaan Umum dan Penataan Ruang), optionally with a kegiatan "2.3.01".
"""

from __future__ import annotations

import re
from typing import Final

from terbuka.budget.errors import BudgetCodeError, UnknownCode

ACCOUNTS: Final[dict[str, str]] = {
    "4": "Pendapatan Desa",
    "4.1": "Pendapatan Asli Desa (PADes)",
    "4.1.1": "Hasil Usaha Desa",
    "4.1.2": "Hasil Aset Desa",
    "4.1.3": "Swadaya, Partisipasi dan Gotong Royong",
    "4.1.4": "Lain-lain Pendapatan Asli Desa",
    "4.2": "Pendapatan Transfer",
    "4.2.1": "Dana Desa",
    "4.2.2": "Bagian dari Hasil Pajak dan Retribusi Daerah",
    "4.2.3": "Alokasi Dana Desa (ADD)",
    "4.2.4": "Bantuan Keuangan Provinsi",
    "4.2.5": "Bantuan Keuangan Kabupaten/Kota",
    "4.3": "Pendapatan Lain-lain",
    "4.3.1": "Penerimaan dari Hasil Kerja Sama",
    "4.3.2": "Bantuan Perusahaan",
    "4.3.3": "Hibah dan Sumbangan Pihak Ketiga",
    "4.3.4": "Koreksi Kesalahan Belanja Tahun Sebelumnya",
    "4.3.5": "Bunga Bank",
    "4.3.9": "Lain-lain Pendapatan Desa yang Sah",
    "5": "Belanja Desa",
    "5.1": "Belanja Pegawai",
    "5.2": "Belanja Barang dan Jasa",
    "5.3": "Belanja Modal",
    "5.4": "Belanja Tak Terduga",
    "6": "Pembiayaan Desa",
    "6.1": "Penerimaan Pembiayaan",
    "6.1.1": "Sisa Lebih Perhitungan Anggaran (SiLPA)",
    "6.1.2": "Pencairan Dana Cadangan",
    "6.1.3": "Hasil Penjualan Kekayaan Desa yang Dipisahkan",
    "6.2": "Pengeluaran Pembiayaan",
    "6.2.1": "Pembentukan Dana Cadangan",
    "6.2.2": "Penyertaan Modal Desa",
}
BIDANG: Final[dict[str, str]] = {
    "1": "Penyelenggaraan Pemerintahan Desa",
    "1.1": "Penghasilan Tetap, Tunjangan dan Operasional Pemerintahan Desa",
    "1.2": "Sarana dan Prasarana Pemerintahan Desa",
    "1.3": "Administrasi Kependudukan, Pencatatan Sipil, Statistik dan Kearsipan",
    "1.4": "Tata Praja Pemerintahan, Perencanaan, Keuangan dan Pelaporan",
    "1.5": "Pertanahan",
    "2": "Pelaksanaan Pembangunan Desa",
    "2.1": "Pendidikan",
    "2.2": "Kesehatan",
    "2.3": "Pekerjaan Umum dan Penataan Ruang",
    "2.4": "Kawasan Permukiman",
    "2.5": "Kehutanan dan Lingkungan Hidup",
    "2.6": "Perhubungan, Komunikasi dan Informatika",
    "2.7": "Energi dan Sumber Daya Mineral",
    "2.8": "Pariwisata",
    "3": "Pembinaan Kemasyarakatan Desa",
    "3.1": "Ketenteraman, Ketertiban Umum dan Pelindungan Masyarakat",
    "3.2": "Kebudayaan dan Keagamaan",
    "3.3": "Kepemudaan dan Olah Raga",
    "3.4": "Kelembagaan Masyarakat",
    "4": "Pemberdayaan Masyarakat Desa",
    "4.1": "Kelautan dan Perikanan",
    "4.2": "Pertanian dan Peternakan",
    "4.3": "Peningkatan Kapasitas Aparatur Desa",
    "4.4": "Pemberdayaan Perempuan, Perlindungan Anak dan Keluarga",
    "4.5": "Koperasi, Usaha Mikro Kecil dan Menengah",
    "4.6": "Dukungan Penanaman Modal",
    "4.7": "Perdagangan dan Perindustrian",
    "5": "Penanggulangan Bencana, Keadaan Darurat dan Mendesak Desa",
    "5.1": "Penanggulangan Bencana",
    "5.2": "Keadaan Darurat",
    "5.3": "Keadaan Mendesak",
}
_ACCOUNT: Final = re.compile(r"[456](?:\.\d(?:\.\d)?)?", re.ASCII)
_BIDANG: Final = re.compile(r"(\d)\.(\d)(?:\.(\d{1,2}))?", re.ASCII)


def village_account_parse(text: str, *, where: str = "") -> str:
    """Return text as an APBDes account code (4.x.x, 5.x, 6.x.x).

    Raises BudgetCodeError for a bad shape, UnknownCode for a code Permendagri 20/2018 does
    not list. Example: village_account_parse("4.2.1") == "4.2.1" (Dana Desa).
    """
    code = text.strip()
    if _ACCOUNT.fullmatch(code) is None:
        raise BudgetCodeError(
            f"{text!r} bukan kode rekening APBDes (contoh: 4.2.1, 5.2, 6.1.1)",
            f"{text!r} is not an APBDes account code (e.g. 4.2.1, 5.2, 6.1.1)",
            where=where,
        )
    if code not in ACCOUNTS:
        raise UnknownCode(
            f"kode rekening APBDes {text!r} tidak dikenal di Permendagri 20/2018",
            f"APBDes account code {text!r} is unknown in Permendagri 20/2018",
            where=where,
        )
    return code


def village_bidang_parse(text: str, *, where: str = "") -> str:
    """Return text as a bidang.sub-bidang[.kegiatan] code, kegiatan padded to 2 digits.

    Raises BudgetCodeError for a bad shape, UnknownCode for an unknown bidang or sub-bidang.
    Example: village_bidang_parse("2.3.1") == "2.3.01".
    """
    match = _BIDANG.fullmatch(text.strip())
    if match is None:
        raise BudgetCodeError(
            f"{text!r} bukan kode bidang APBDes (contoh: 2.3 atau 2.3.01)",
            f"{text!r} is not an APBDes bidang code (e.g. 2.3 or 2.3.01)",
            where=where,
        )
    sub = f"{match[1]}.{match[2]}"
    if sub not in BIDANG:
        raise UnknownCode(
            f"bidang APBDes {sub} tidak dikenal di Permendagri 20/2018",
            f"APBDes bidang {sub} is unknown in Permendagri 20/2018",
            where=where,
        )
    return sub + (f".{int(match[3]):02d}" if match[3] else "")
