"""Put the red-flag indicators into words people read, in Bahasa Indonesia and English.

For every indicator of terbuka.flags: its title (also the `label` filter's "flag" list), what
it measures, Cardinal's settings as Terbuka uses them, the data it needs and its limits (the
methodology page), and, for the stored process-local ones, the facts of terbuka.flags.evidence
to show beside a flag on the process page. A flag is a reason to look, never an accusation.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from terbuka.flags.registry import CODES, LOCAL_CODES

# One sentence every page with flags repeats.
NOT_AN_ACCUSATION = _(
    "Tanda bahaya adalah alasan untuk memeriksa lebih lanjut, bukan tuduhan. Banyak tanda "
    "punya penjelasan yang wajar; bacalah data di baliknya dan tanyakan kepada perangkat "
    "daerah sebelum menarik kesimpulan."
)

TITLES: dict[str, Promise] = {
    "R003": _("Masa penawaran singkat"),
    "R018": _("Hanya satu penawar"),
    "R024": _("Harga penawaran kedua sangat dekat dengan pemenang"),
    "R025": _("Banyak penawaran gagal dari satu penyedia"),
    "R028": _("Harga penawaran identik"),
    "R030": _("Penawaran terlambat menang"),
    "R035": _("Semua penawaran kecuali pemenang digugurkan"),
    "R036": _("Penawaran terendah digugurkan"),
    "R038": _("Banyak penawaran digugurkan"),
    "R048": _("Penyedia dengan bidang usaha beragam"),
    "R058": _("Penawaran pemenang jauh lebih murah"),
    "ID001": _("Nilai kontrak naik lebih dari 10% lewat adendum"),
    "ID002": _("Nilai tepat di bawah batas metode (pemecahan paket?)"),
    "ID003": _("Penyedia sama berulang kali ditunjuk langsung"),
}

MEASURES: dict[str, Promise] = {
    "R003": _(
        "Waktu antara dibuka dan ditutupnya pemasukan penawaran lebih pendek dari ambang. "
        "Masa yang singkat menyulitkan calon penyedia lain menyiapkan penawaran."
    ),
    "R018": _(
        "Pemilihan yang terbuka untuk umum (tender, seleksi) hanya menerima satu penawaran, "
        "sehingga tidak ada persaingan harga."
    ),
    "R024": _(
        "Selisih harga penawaran kedua terendah dengan penawaran pemenang jauh lebih kecil "
        "dari biasanya, yang bisa menandakan penawaran pendamping."
    ),
    "R025": _(
        "Penyedia yang sangat sering menawar tetapi jarang menang, yang bisa menandakan "
        "penawaran pendamping untuk penyedia lain."
    ),
    "R028": _("Dua penawar berbeda mengajukan harga yang persis sama."),
    "R030": _("Penawaran pemenang diterima setelah batas akhir pemasukan penawaran."),
    "R035": _("Semua penawar lain digugurkan sehingga hanya pemenang yang tersisa."),
    "R036": _("Penawaran dengan harga terendah digugurkan, dan pemenangnya lebih mahal."),
    "R038": _(
        "Pembeli, pelaksana pengadaan atau penyedia yang penawarannya jauh lebih sering "
        "digugurkan dibanding yang lain."
    ),
    "R048": _(
        "Penyedia yang memenangkan barang/pekerjaan dari sangat banyak bidang berbeda, "
        "yang bisa menandakan perusahaan pinjaman atau perantara."
    ),
    "R058": _(
        "Penawaran pemenang jauh lebih murah dari penawaran kedua terendah dibanding proses "
        "lain, yang bisa menandakan harga yang tidak wajar atau adendum di kemudian hari."
    ),
    "ID001": _(
        "Nilai kontrak setelah adendum lebih dari 10% di atas nilai pemenang. Perpres 16/2018 "
        "jo. 12/2021 membatasi tambahan pekerjaan lewat adendum sampai 10% dari harga kontrak."
    ),
    "ID002": _(
        "Nilai pemenang pengadaan langsung berada di 90–100% dari batasnya (Rp200 juta), "
        "yang bisa menandakan paket dipecah agar tidak perlu tender."
    ),
    "ID003": _(
        "Perangkat daerah yang sama menunjuk langsung penyedia yang sama tiga kali atau lebih."
    ),
}

SETTINGS: dict[str, Promise] = {
    "R003": _(
        "Ambang 15 hari (bawaan Cardinal), hanya untuk Tender dan Seleksi: metode lain tidak "
        "punya masa penawaran bersaing."
    ),
    "R018": _("Hanya metode terbuka dan selektif (Cardinal: open, selective)."),
    "R024": _("Pagar bawah Q1 − 1,5·IQR dari selisih harga semua proses."),
    "R025": _("Penyedia di atas persentil 75 jumlah penawaran; pagar bawah rasio menang."),
    "R028": _("Tanpa pengaturan; E-Purchasing dilewati (harga katalog)."),
    "R030": _("Tanpa pengaturan."),
    "R035": _("Paling sedikit satu penawar lain digugurkan."),
    "R036": _("Tanpa pengaturan; E-Purchasing dilewati (harga katalog)."),
    "R038": _("Pagar atas rasio gugur; minimal 2 penawaran dan 2 proses."),
    "R048": _("Awalan klasifikasi 2 digit; pagar atas; minimal 20 proses."),
    "R058": _("Pagar atas Q3 + 1,5·IQR dari selisih harga semua proses."),
    "ID001": _("Ambang kenaikan 10% (0,1) dari nilai pemenang."),
    "ID002": _("Pengadaan Langsung, batas Rp200.000.000, pita 10% di bawah batas."),
    "ID003": _("Penunjukan dan pengadaan langsung; tiga kali atau lebih."),
}

DATA: dict[str, Promise] = {
    "R003": _("Tanggal mulai dan akhir masa penawaran."),
    "R018": _("Metode pemilihan dan jumlah penawar."),
    "R024": _("Harga dan status setiap penawaran, pemenang."),
    "R025": _("Penawaran per penyedia dan pemenang, lintas proses."),
    "R028": _("Harga, mata uang dan penawar setiap penawaran."),
    "R030": _("Batas akhir penawaran, tanggal dan status setiap penawaran, pemenang."),
    "R035": _("Status setiap penawaran dan pemenang."),
    "R036": _("Harga dan status setiap penawaran, pemenang aktif."),
    "R038": _("Status penawaran lintas proses, pembeli dan pelaksana."),
    "R048": _("Klasifikasi barang/pekerjaan yang dimenangkan, lintas proses."),
    "R058": _("Harga setiap penawaran dan pemenang, lintas proses."),
    "ID001": _("Nilai pemenang, nilai kontrak dan adendum kontrak."),
    "ID002": _("Metode pemilihan dan nilai pemenang."),
    "ID003": _("Metode pemilihan, pembeli dan penyedia pemenang, lintas proses."),
}

LIMITS: dict[str, Promise] = {
    "R003": _(
        "Pengadaan langsung memang singkat menurut aturan, jadi sering bertanda; hari libur "
        "tidak dikurangi."
    ),
    "R018": _(
        "Pasar kecil atau pekerjaan khusus bisa wajar hanya punya satu penawar; hanya terlihat "
        "bila jumlah penawar diterbitkan."
    ),
    "R024": _("Butuh data penawaran lengkap; dihitung atas seluruh ekspor, tidak per proses."),
    "R025": _("Dihitung atas seluruh ekspor; penyedia baru sering kalah tanpa niat buruk."),
    "R028": _("Harga sama bisa terjadi pada harga standar atau satuan yang diatur."),
    "R030": _("Menganggap penyedia tidak juga menawar tepat waktu; zona waktu harus benar."),
    "R035": _("Penawaran bisa gugur karena alasan administrasi yang sah."),
    "R036": _("Penawaran terendah bisa gugur karena tidak memenuhi syarat teknis."),
    "R038": _("Dihitung atas seluruh ekspor; butuh status setiap penawaran."),
    "R048": _("Dihitung atas seluruh ekspor; butuh klasifikasi barang yang konsisten."),
    "R058": _("Dihitung atas seluruh ekspor; diskon besar bisa karena efisiensi nyata."),
    "ID001": _(
        "Nilai pemenang dipakai sebagai harga awal kontrak; adendum untuk keadaan kahar bisa sah."
    ),
    "ID002": _("Nilai dekat batas bisa memang kebutuhannya; perlu dilihat paket sejenis."),
    "ID003": _("Dihitung atas seluruh ekspor; penyedia tunggal di pasar kecil bisa wajar."),
}

# Facts of terbuka.flags.evidence shown under a flag: (key, label, kind); kind formats it.
FACTS: dict[str, tuple[tuple[str, Promise, str], ...]] = {
    "R003": (
        ("days", _("Masa penawaran (hari)"), "number"),
        ("threshold", _("Ambang (hari)"), "number"),
        ("start", _("Masa penawaran mulai"), "date"),
        ("end", _("Masa penawaran berakhir"), "date"),
    ),
    "R018": (
        ("tenderers", _("Jumlah penawar"), "number"),
        ("method", _("Metode pemilihan"), "text"),
    ),
    "R028": (
        ("price", _("Harga yang sama"), "money"),
        ("bids", _("Jumlah penawaran"), "number"),
    ),
    "R030": (
        ("deadline", _("Batas akhir penawaran"), "date"),
        ("late", _("Penawaran pemenang diterima"), "date"),
    ),
    "R035": (
        ("disqualified", _("Penawaran digugurkan"), "number"),
        ("valid", _("Penawaran sah"), "number"),
    ),
    "R036": (
        ("lowest", _("Penawaran terendah"), "money"),
        ("bids", _("Jumlah penawaran"), "number"),
    ),
    "ID001": (
        ("award", _("Nilai pemenang"), "money"),
        ("contract", _("Nilai kontrak"), "money"),
        ("increase", _("Kenaikan"), "percent"),
        ("threshold", _("Ambang"), "percent"),
    ),
    "ID002": (
        ("award", _("Nilai pemenang"), "money"),
        ("ceiling", _("Batas metode"), "money"),
        ("share", _("Persentase dari batas"), "percent"),
    ),
}


@dataclass(frozen=True)
class IndicatorWords:
    """Hold what the methodology page says of one indicator."""

    code: str
    title: Promise
    measures: Promise
    settings: Promise
    data: Promise
    limits: Promise
    stored: bool  # computed per process and shown on the portal


def indicators() -> list[IndicatorWords]:
    """Return the words of every indicator, in the registry's order (Cardinal's, then ID)."""
    return [
        IndicatorWords(
            code,
            TITLES[code],
            MEASURES[code],
            SETTINGS[code],
            DATA[code],
            LIMITS[code],
            code in LOCAL_CODES,
        )
        for code in CODES
    ]
