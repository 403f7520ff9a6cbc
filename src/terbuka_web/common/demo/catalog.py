"""Hold the vocabulary of the demo: procurement titles per agency, items, supplier names.

A template is (title pattern, OCDS category, low, high value in million Rupiah, items).
Placeholders: {desa} a village of the agency's area, {kec} a district, {n} a small number,
{agency} the agency's short name. Items are (description, unit, typical unit value in Rupiah).
"""

from __future__ import annotations

from typing import Final

Item = tuple[str, str, int]
Template = tuple[str, str, int, int, tuple[Item, ...]]

ROAD: Final = (
    ("Lapis penetrasi macadam", "m2", 185_000),
    ("Perkerasan beton K-350 tebal 20 cm", "m2", 520_000),
    ("Saluran tepi jalan pasangan batu", "m", 410_000),
    ("Marka jalan thermoplastic", "m2", 165_000),
)
BUILDING: Final = (
    ("Pekerjaan struktur beton bertulang", "m3", 4_350_000),
    ("Pasangan dinding bata ringan", "m2", 215_000),
    ("Rangka atap baja ringan", "m2", 240_000),
    ("Pengecatan dinding dan plafon", "m2", 48_000),
)
IRRIGATION: Final = (
    ("Galian tanah saluran", "m3", 95_000),
    ("Pasangan batu kali 1:4", "m3", 1_150_000),
    ("Plesteran dan siaran", "m2", 82_000),
)
IT: Final = (
    ("Komputer desktop i5 RAM 16 GB", "unit", 13_500_000),
    ("Laptop kerja 14 inci", "unit", 15_800_000),
    ("Printer multifungsi A4", "unit", 4_200_000),
    ("Perangkat jaringan (switch 24 port)", "unit", 6_750_000),
)
MEDICAL: Final = (
    ("Bed pasien elektrik 3 crank", "unit", 28_500_000),
    ("Patient monitor 5 parameter", "unit", 42_000_000),
    ("Bahan medis habis pakai", "paket", 1_250_000),
    ("Obat generik esensial", "paket", 2_400_000),
)
CONSULTING: Final = (
    ("Tenaga ahli utama", "orang-bulan", 18_000_000),
    ("Tenaga ahli madya", "orang-bulan", 12_500_000),
    ("Asisten tenaga ahli", "orang-bulan", 7_000_000),
)
SERVICES: Final = (
    ("Makan dan minum rapat", "kotak", 45_000),
    ("Sewa tenda dan kursi", "paket", 3_500_000),
    ("Jasa kebersihan gedung", "orang-bulan", 3_100_000),
)
FURNITURE: Final = (
    ("Meja kursi siswa", "set", 1_350_000),
    ("Lemari arsip besi", "unit", 3_900_000),
    ("Meja kerja pegawai", "unit", 2_250_000),
)
VEHICLE: Final = (
    ("Kendaraan roda dua operasional", "unit", 24_500_000),
    ("Kendaraan roda empat operasional", "unit", 335_000_000),
)
PARK: Final = (
    ("Bangku taman besi cor dengan dudukan kayu jati", "unit", 4_750_000),
    ("Pemasangan pondasi dan angkur bangku", "titik", 650_000),
)

SPECIFIC: Final[dict[str, tuple[Template, ...]]] = {
    "dpupr": (
        ("Rehabilitasi Jalan Poros Desa {desa} Kecamatan {kec}", "works", 350, 4500, ROAD),
        ("Peningkatan Jalan Ruas {desa} - {desa2}", "works", 800, 9000, ROAD),
        ("Pemeliharaan Berkala Jalan Kabupaten Ruas {kec}", "works", 150, 1800, ROAD),
        ("Pembangunan Jembatan Desa {desa}", "works", 600, 6500, BUILDING),
        (
            "Perencanaan Teknis Peningkatan Jalan Wilayah {kec}",
            "consultingServices",
            60,
            450,
            CONSULTING,
        ),
        (
            "Pengawasan Teknis Pembangunan Jalan Paket {n}",
            "consultingServices",
            90,
            600,
            CONSULTING,
        ),
    ),
    "dpusda": (
        ("Normalisasi Saluran Irigasi Desa {desa}", "works", 150, 1900, IRRIGATION),
        ("Rehabilitasi Embung Desa {desa} Kecamatan {kec}", "works", 250, 2500, IRRIGATION),
        ("Pembangunan Tanggul Bengawan Solo Segmen {desa}", "works", 900, 7500, IRRIGATION),
        (
            "Perencanaan Jaringan Irigasi Daerah Irigasi {kec}",
            "consultingServices",
            60,
            350,
            CONSULTING,
        ),
    ),
    "perkimck": (
        ("Pembangunan Ruang Terbuka Hijau Kecamatan {kec}", "works", 250, 2200, BUILDING),
        ("Peningkatan Kualitas Rumah Tidak Layak Huni Desa {desa}", "works", 100, 900, BUILDING),
        ("Pembangunan Sistem Penyediaan Air Minum Desa {desa}", "works", 300, 2400, IRRIGATION),
        ("Penerangan Jalan Umum Tenaga Surya Kecamatan {kec}", "goods", 150, 1500, IT),
    ),
    "disdik": (
        ("Rehabilitasi Ruang Kelas SDN {desa} {n}", "works", 150, 900, BUILDING),
        ("Pembangunan Ruang Kelas Baru SMPN {n} {kec}", "works", 350, 1800, BUILDING),
        ("Pengadaan Meja Kursi Siswa SD Wilayah {kec}", "goods", 80, 650, FURNITURE),
        ("Pengadaan Perangkat TIK Sekolah Dasar Paket {n}", "goods", 200, 2200, IT),
    ),
    "dinkes": (
        ("Pengadaan Alat Kesehatan Puskesmas {kec}", "goods", 150, 1800, MEDICAL),
        ("Rehabilitasi Gedung Puskesmas {kec}", "works", 300, 2600, BUILDING),
        ("Pengadaan Obat dan Bahan Medis Habis Pakai Triwulan {n}", "goods", 250, 3000, MEDICAL),
    ),
    "rsud": (
        ("Pengadaan Alat Kesehatan Ruang ICU", "goods", 500, 6500, MEDICAL),
        ("Pengadaan Bahan Medis Habis Pakai Semester {n}", "goods", 300, 3500, MEDICAL),
        ("Renovasi Ruang Rawat Inap Kelas III", "works", 400, 3200, BUILDING),
        ("Jasa Kebersihan Gedung Rumah Sakit", "services", 300, 1400, SERVICES),
    ),
    "kecamatan": (
        ("Pemeliharaan Gedung Kantor Kecamatan {kec}", "works", 40, 190, BUILDING),
        ("Pengadaan Peralatan Kantor Kecamatan {kec}", "goods", 25, 150, FURNITURE),
        ("Belanja Makan Minum Musrenbang Kecamatan {kec}", "services", 10, 45, SERVICES),
    ),
    "dishub": (
        ("Pengadaan dan Pemasangan Rambu Lalu Lintas Ruas {kec}", "goods", 100, 900, ROAD),
        ("Pemasangan Traffic Light Simpang {desa}", "goods", 250, 1200, IT),
    ),
    "dkpp": (
        ("Pengadaan Alat dan Mesin Pertanian Kelompok Tani {desa}", "goods", 150, 1200, VEHICLE),
        ("Rehabilitasi Jaringan Irigasi Tersier Desa {desa}", "works", 100, 600, IRRIGATION),
    ),
    "dlh": (
        ("Pengadaan Kendaraan Pengangkut Sampah", "goods", 400, 2500, VEHICLE),
        ("Pembangunan TPS3R Desa {desa}", "works", 250, 900, BUILDING),
    ),
    "diskominfo": (
        ("Pengadaan Perangkat Jaringan Data Center", "goods", 300, 2600, IT),
        ("Langganan Internet Kantor Kecamatan {kec}", "services", 40, 250, SERVICES),
    ),
}
GENERIC: Final[tuple[Template, ...]] = (
    ("Pengadaan Komputer dan Printer {agency}", "goods", 40, 450, IT),
    ("Pemeliharaan Gedung Kantor {agency}", "works", 50, 650, BUILDING),
    ("Pengadaan Kendaraan Dinas Operasional {agency}", "goods", 200, 900, VEHICLE),
    ("Belanja Makan Minum Rapat Koordinasi {agency}", "services", 15, 120, SERVICES),
    ("Pengadaan Meubelair Kantor {agency}", "goods", 30, 350, FURNITURE),
    ("Jasa Konsultansi Penyusunan Kajian {agency}", "consultingServices", 60, 400, CONSULTING),
)
SHOWCASE: Final[Template] = (
    "Pengadaan bangku taman kota",
    "goods",
    150,
    150,
    PARK,
)

# Supplier names: legal form, a name part, a suffix.
LEGAL_FORMS: Final = ("CV", "CV", "CV", "PT")
NAME_PARTS: Final = (
    "Maju Jaya",
    "Karya Mandiri",
    "Sinar Bengawan",
    "Jati Abadi",
    "Cahaya Nusantara",
    "Bumi Angling Dharma",
    "Sumber Rejeki",
    "Tirta Kencana",
    "Mitra Sejahtera",
    "Putra Malowopati",
    "Anugerah Teknik",
    "Bangun Persada",
    "Sekar Jagad",
    "Gemilang Utama",
    "Surya Perkasa",
    "Lintas Medika",
    "Dharma Konstruksi",
    "Kencana Sakti",
    "Adi Karya",
    "Berkah Tani",
    "Cipta Graha",
    "Wahana Data",
    "Mulia Sentosa",
    "Kayangan Api",
    "Samudra Teknik",
)
SUFFIXES: Final = ("", "", "Abadi", "Mandiri", "Sejahtera", "Utama", "Perkasa", "Nusantara")
FUNDING: Final = (("APBD", 70), ("DBH", 15), ("DAK", 12), ("APBN", 3))
