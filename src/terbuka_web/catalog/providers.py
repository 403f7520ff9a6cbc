"""Datasets of the apps on main: contracting (OCDS), regions, the transparency log, red flags.

Each function reads the data it describes (last publication, fiscal years, regions) so the
catalogue's modified date and coverage follow the data. Registered by catalog.apps.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import Max, Min

from terbuka.flags.registry import LOCAL_CODES
from terbuka_web.catalog.registry import Agent, Dataset, Distribution

OCDS_RELEASE_SCHEMA = (
    "https://standard.open-contracting.org/schema/1__1__5/release-package-schema.json"
)
OCDS_RECORD_SCHEMA = (
    "https://standard.open-contracting.org/schema/1__1__5/record-package-schema.json"
)
TLOG_TILES = "https://c2sp.org/tlog-tiles"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def walidata() -> Agent:
    """Return the walidata (data custodian) of this instance: the publisher of the settings."""
    conf = settings.TERBUKA
    return Agent("walidata", conf["PUBLISHER_NAME"], conf["PUBLISHER_URI"], role="walidata")


def governments() -> tuple[str, ...]:
    """Return the region codes of the governments whose agencies published a process."""
    from terbuka_web.contracting.models import Process

    codes = (
        Process.objects.filter(first_published_at__isnull=False)
        .values_list("agency__government_id", flat=True)
        .distinct()
    )
    return tuple(sorted(c for c in codes if c))


def contracting_dataset(spatial: tuple[str, ...]) -> Dataset:
    """Describe every published contracting process, as OCDS packages, CSV and XLSX."""
    from terbuka_web.contracting.models import Process

    span = Process.objects.filter(first_published_at__isnull=False).aggregate(
        first=Min("fiscal_year"), last=Max("fiscal_year"), modified=Max("last_published_at")
    )
    temporal = (date(span["first"], 1, 1), date(span["last"], 12, 31)) if span["first"] else None
    distributions = (
        Distribution(
            "releases-json", "Semua rilis OCDS (JSON)", "All OCDS releases (JSON)",
            "/api/ocds/bulk/releases.json", "application/json", "JSON",
            "Satu paket rilis OCDS 1.1.5 berisi setiap rilis yang pernah terbit.",
            "One OCDS 1.1.5 release package holding every published release.",
            conforms_to=OCDS_RELEASE_SCHEMA,
        ),
        Distribution(
            "records-json", "Record OCDS per proses (JSON)", "OCDS records per process (JSON)",
            "/api/ocds/records", "application/json", "JSON",
            "Paket record OCDS, satu record per proses, berhalaman (page, per_page).",
            "OCDS record packages, one record per process, paged (page, per_page).",
            conforms_to=OCDS_RECORD_SCHEMA,
        ),
        Distribution(
            "releases-csv", "Semua rilis sebagai CSV (zip)", "All releases as CSV (zip)",
            "/api/ocds/bulk/releases.csv.zip", "application/zip", "CSV",
            "Lembar rilis, pihak, pemenang, kontrak, pembayaran dan dokumen (flattentool).",
            "Release, party, award, contract, payment and document sheets (flattentool).",
        ),
        Distribution(
            "releases-xlsx", "Semua rilis sebagai XLSX", "All releases as XLSX",
            "/api/ocds/bulk/releases.xlsx", XLSX, "XLSX",
            "Lembar yang sama dalam satu buku kerja.", "The same sheets in one workbook.",
        ),
    )  # fmt: skip
    return Dataset(
        name="pengadaan-ocds",
        title="Proses pengadaan barang/jasa (OCDS)",
        title_en="Public contracting processes (OCDS)",
        description=(
            "Setiap proses pengadaan yang sudah terbit, dari perencanaan sampai pembayaran, "
            "dalam Open Contracting Data Standard 1.1.5. Draf tidak pernah ada di dalamnya."
        ),
        description_en=(
            "Every published public contracting process, from planning to payments, in the "
            "Open Contracting Data Standard 1.1.5. Drafts are never included."
        ),
        producer=walidata(),
        distributions=distributions,
        keywords=("pengadaan", "procurement", "OCDS", "kontrak", "contracts"),
        themes=("GOVE", "ECON"),
        modified=span["modified"],
        temporal=temporal,
        spatial=spatial,
        conforms_to="https://standard.open-contracting.org/1.1/en/",
    )


def regions_dataset() -> Dataset:
    """Describe the Kemendagri regions this instance knows (provinces down to villages)."""
    from terbuka_web.regions.models import Region

    roots = Region.objects.filter(parent__isnull=True).values_list("code", flat=True)
    return Dataset(
        name="wilayah-kemendagri",
        title="Wilayah administrasi (kode Kemendagri)",
        title_en="Administrative regions (Kemendagri codes)",
        description=(
            "Provinsi, kabupaten/kota, kecamatan dan desa/kelurahan yang dikenal Terbuka, "
            "dengan kode wilayah Kemendagri dan induknya."
        ),
        description_en=(
            "The provinces, regencies/cities, districts and villages Terbuka knows, with "
            "their Kemendagri region codes and parents."
        ),
        producer=walidata(),
        distributions=(
            Distribution(
                "regions-csv",
                "Daftar wilayah (CSV)",
                "Region list (CSV)",
                "/data/wilayah.csv",
                "text/csv",
                "CSV",
                "Kolom: code, name, level, parent.",
                "Columns: code, name, level, parent.",
            ),
            Distribution(
                "regions-json",
                "Daftar wilayah (JSON)",
                "Region list (JSON)",
                "/data/wilayah.json",
                "application/json",
                "JSON",
                "Daftar objek {code, name, level, parent}.",
                "A list of {code, name, level, parent} objects.",
            ),
        ),
        keywords=("wilayah", "regions", "Kemendagri", "desa", "villages"),
        themes=("REGI",),
        spatial=tuple(roots),
        frequency="IRREG",
    )


def log_dataset(spatial: tuple[str, ...]) -> Dataset:
    """Describe the transparency log: its signed checkpoint and its tiles (C2SP tlog-tiles)."""
    from terbuka_web.transparency.models import Checkpoint

    span = Checkpoint.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
    temporal = (span["first"].date(), span["last"].date()) if span["first"] else None
    return Dataset(
        name="log-transparansi",
        title="Log transparansi",
        title_en="Transparency log",
        description=(
            "Log Merkle yang hanya bisa ditambah, berisi setiap terbitan, ditandatangani "
            "bersama oleh saksi. Periksa dengan `terbuka verify`."
        ),
        description_en=(
            "The append-only Merkle log of every publication, cosigned by witnesses. "
            "Check it with `terbuka verify`."
        ),
        producer=walidata(),
        distributions=(
            Distribution(
                "checkpoint", "Checkpoint terbaru", "Latest checkpoint", "/log/checkpoint",
                "text/plain", "TXT", "Catatan bertanda tangan (C2SP signed note).",
                "The signed note (C2SP signed-note) with witness cosignatures.",
                conforms_to="https://c2sp.org/tlog-checkpoint",
            ),
            Distribution(
                "tiles", "Tile log", "Log tiles", "/log/tile/", "application/octet-stream",
                "BIN", "Akar tile C2SP tlog-tiles: tile/<L>/<N> dan tile/entries/<N>.",
                "Root of the C2SP tlog-tiles: tile/<L>/<N> and tile/entries/<N>.",
                download=False, conforms_to=TLOG_TILES,
            ),
        ),
        keywords=("transparansi", "transparency log", "Merkle", "checkpoint"),
        themes=("GOVE",),
        modified=span["last"],
        temporal=temporal,
        spatial=spatial,
    )  # fmt: skip


def flags_dataset(spatial: tuple[str, ...]) -> Dataset:
    """Describe the red flags: one JSON distribution per process-local indicator."""
    from terbuka_web.flags.models import ProcessFlag

    computed = ProcessFlag.objects.aggregate(last=Max("computed_at"))["last"]
    distributions = tuple(
        Distribution(
            f"flags-{code.lower()}", f"Tanda bahaya {code}", f"Red flag {code}",
            f"/api/flags?code={code}", "application/json", "JSON",
            f"Proses terbit yang ditandai indikator {code} (docs/flags.md).",
            f"Published processes flagged by indicator {code} (docs/flags.md).",
        )
        for code in LOCAL_CODES
    )  # fmt: skip
    return Dataset(
        name="tanda-bahaya",
        title="Tanda bahaya pengadaan",
        title_en="Procurement red flags",
        description=(
            "Indikator risiko (Cardinal dan khusus Indonesia) per proses terbit. Tanda "
            "bahaya adalah alasan untuk memeriksa, bukan tuduhan."
        ),
        description_en=(
            "Risk indicators (Cardinal's and Indonesia-specific) per published process. "
            "A flag is a reason to look, never an accusation."
        ),
        producer=walidata(),
        distributions=distributions,
        keywords=("tanda bahaya", "red flags", "risiko", "integrity"),
        themes=("GOVE", "JUST"),
        modified=computed,
        spatial=spatial,
    )


def main_datasets() -> list[Dataset]:
    """Return the datasets of the apps on main, in the order the catalogue lists them."""
    spatial = governments()
    return [
        contracting_dataset(spatial),
        regions_dataset(),
        log_dataset(spatial),
        flags_dataset(spatial),
    ]
