"""Flatten a release package file to spreadsheets (CSV sheets in a zip, and XLSX) via flattentool.

Follows the OCDS flattening conventions (https://flatten-tool.readthedocs.io/): one main
`releases` sheet keyed by ocid plus one sheet per array, columns from the 1.1.5 schema.
"""

from __future__ import annotations

import tempfile
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from terbuka.ocds.errors import OcdsFormatError
from terbuka.ocds.merge import RELEASE_SCHEMA


@dataclass(frozen=True)
class FlatFiles:
    """Name the spreadsheet files written for one release package."""

    csv_zip: Path
    xlsx: Path

    def exist(self) -> bool:
        """Report whether both files exist."""
        return self.csv_zip.exists() and self.xlsx.exists()


def _flatten(source: Path, output_name: Path, output_format: str) -> None:
    import flattentool

    options: dict[str, Any] = {
        "schema": str(RELEASE_SCHEMA),
        "output_name": str(output_name),
        "output_format": output_format,
        "main_sheet_name": "releases",
        "root_list_path": "releases",
        "root_id": "ocid",
        "remove_empty_schema_columns": True,
    }
    with warnings.catch_warnings():
        # flattentool warns for every schema field without properties (parties/details…).
        warnings.simplefilter("ignore")
        try:
            flattentool.flatten(str(source), **options)
        except (ValueError, KeyError, TypeError) as exc:
            raise OcdsFormatError(
                f"paket rilis tidak dapat diratakan ke lembar kerja: {exc}",
                f"release package cannot be flattened to spreadsheets: {exc}",
                where=str(source),
            ) from exc


def flatten_package(source: Path, out_dir: Path, *, stem: str = "releases") -> FlatFiles:
    """Write out_dir/<stem>-csv.zip and out_dir/<stem>.xlsx from the release package at source.

    Raises OcdsFormatError when flattentool cannot read the package. The zip holds one CSV per
    sheet (releases.csv, awards.csv, parties.csv…); the XLSX holds the same sheets.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_zip, xlsx = out_dir / f"{stem}-csv.zip", out_dir / f"{stem}.xlsx"
    with tempfile.TemporaryDirectory() as tmp:
        sheets = Path(tmp) / "csv"
        _flatten(source, sheets, "csv")
        with zipfile.ZipFile(csv_zip, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(sheets.glob("*.csv")):
                zf.write(path, arcname=path.name)
    _flatten(source, xlsx, "xlsx")
    return FlatFiles(csv_zip=csv_zip, xlsx=xlsx)
