"""Describe a year's budget lines as a Fiscal Data Package (Open Knowledge, FDP 1.0 model).

The package is a Tabular Data Package whose one resource is the CSV of every current budget
line (APBD, APBDes and DJPK summaries) of the year, one row per line, with a `model` naming
the measure (the amount, in Rupiah) and the dimensions: region (location), agency
(administrative classification), programme code (activity), account code (economic
classification), fungsi (functional classification), year, phase and kind. Amounts are whole
Rupiah: factor 1. Example (abridged):

    {"profile": "tabular-data-package", "name": "anggaran-2025", "countryCode": "ID",
     "resources": [{"name": "anggaran", "path": "anggaran.csv", ...}],
     "model": {"measures": {"nilai": {"source": "nilai", "currency": "IDR", "factor": 1}},
               "dimensions": {"wilayah": {...}, ...}}}
"""

from __future__ import annotations

from typing import Any, Final

# (name, frictionless type, title): the CSV's columns, in order.
COLUMNS: Final = (
    ("kode_wilayah", "string", "Kode wilayah Kemendagri / region code"),
    ("nama_wilayah", "string", "Nama wilayah / region name"),
    ("jenis", "string", "apbd, apbdes atau summary (ringkasan DJPK)"),
    ("kode_perangkat_daerah", "string", "Kode perangkat daerah / agency code"),
    ("nama_perangkat_daerah", "string", "Nama perangkat daerah / agency name"),
    ("tahun", "integer", "Tahun anggaran / fiscal year"),
    ("tahap", "string", "rka, dpa, perubahan atau realisasi / phase"),
    ("semester", "integer", "Semester realisasi (0 = setahun) / realisation semester"),
    ("kode_program", "string", "Urusan.bidang.program.kegiatan.sub-kegiatan"),
    ("kode_rekening", "string", "Kode akun Permendagri 90/2019 / account code"),
    ("fungsi", "string", "Kode fungsi / function code"),
    ("uraian", "string", "Uraian / description"),
    ("nilai", "integer", "Nilai dalam rupiah / amount in Rupiah"),
)
HEADER: Final = tuple(name for name, _type, _title in COLUMNS)


def _dimension(kind: str, code: str, label: str = "", **more: str) -> dict[str, Any]:
    attributes: dict[str, Any] = {"kode": {"source": code}}
    if label:
        attributes["nama"] = {"source": label, "labelfor": "kode"}
    return {"attributes": attributes, "primaryKey": "kode", "dimensionType": kind, **more}


def fdp_descriptor(*, year: int, title: str, publisher: str, license_url: str) -> dict[str, Any]:
    """Return the datapackage.json of year's budget lines (the CSV named anggaran.csv beside it).

    Raises nothing; year is the fiscal year, e.g. 2025.
    """
    fields = [{"name": n, "type": t, "title": c} for n, t, c in COLUMNS]
    return {
        "profile": "tabular-data-package",
        "name": f"anggaran-{year}",
        "title": title,
        "countryCode": "ID",
        "fiscalPeriod": {"start": f"{year}-01-01", "end": f"{year}-12-31"},
        "granularity": "transactional",
        "licenses": [{"path": license_url, "title": license_url}],
        "contributors": [{"title": publisher, "role": "publisher"}],
        "resources": [
            {
                "name": "anggaran",
                "path": "anggaran.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": fields},
            }
        ],
        "model": {
            "measures": {"nilai": {"source": "nilai", "currency": "IDR", "factor": 1}},
            "dimensions": {
                "wilayah": _dimension("location", "kode_wilayah", "nama_wilayah"),
                "perangkat_daerah": _dimension(
                    "classification",
                    "kode_perangkat_daerah",
                    "nama_perangkat_daerah",
                    classificationType="administrative",
                ),
                "program": _dimension("activity", "kode_program"),
                "rekening": _dimension(
                    "classification", "kode_rekening", "uraian", classificationType="economic"
                ),
                "fungsi": _dimension("classification", "fungsi", classificationType="functional"),
                "tahun": _dimension("datetime", "tahun"),
                "tahap": _dimension("other", "tahap"),
                "jenis": _dimension("other", "jenis"),
            },
        },
    }
