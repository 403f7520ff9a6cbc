"""Flatten a release package file to spreadsheets (CSV sheets in a zip, and XLSX) via flattentool.

Follows the OCDS flattening conventions (https://flatten-tool.readthedocs.io/): one main
`releases` sheet keyed by ocid plus one sheet per array, columns from the 1.1.5 schema.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from terbuka.ocds.errors import OcdsFormatError
from terbuka.ocds.merge import RELEASE_SCHEMA
from terbuka.spreadsheet import Sheet, csv_zip_write, xlsx_write


@dataclass(frozen=True)
class FlatFiles:
    """Name the spreadsheet files written for one release package."""

    csv_zip: Path
    xlsx: Path

    def exist(self) -> bool:
        """Report whether both files exist."""
        return self.csv_zip.exists() and self.xlsx.exists()


def _sheets(parser: Any) -> list[Sheet]:
    """Return the main sheet, then the array sheets by name, of a flattentool JSONParser."""
    named = [("releases", parser.main_sheet), *sorted(parser.sub_sheets.items())]
    sheets = []
    for name, sheet in named:
        headings = list(sheet)

        def rows(sheet: Any = sheet, headings: list[str] = headings) -> Iterator[list[object]]:
            return ([line.get(h) for h in headings] for line in sheet.lines)

        sheets.append(Sheet(name, headings, rows))
    return sheets


def flatten_package(source: Path, out_dir: Path, *, stem: str = "releases") -> FlatFiles:
    """Write out_dir/<stem>-csv.zip and out_dir/<stem>.xlsx from the release package at source.

    Raises OcdsFormatError when flattentool cannot read the package. The zip holds one CSV per
    sheet (releases.csv, awards.csv, parties.csv…); the XLSX holds the same sheets. No cell
    can run as a formula (terbuka.spreadsheet). The package is read once for both files.
    """
    from flattentool.json_input import JSONParser
    from flattentool.schema import SchemaParser

    out_dir.mkdir(parents=True, exist_ok=True)
    files = FlatFiles(csv_zip=out_dir / f"{stem}-csv.zip", xlsx=out_dir / f"{stem}.xlsx")
    with warnings.catch_warnings():
        # flattentool warns for every schema field without properties (parties/details…).
        warnings.simplefilter("ignore")
        schema = SchemaParser(schema_filename=str(RELEASE_SCHEMA), root_id="ocid")
        schema.parse()
        try:
            parser = JSONParser(
                json_filename=str(source),
                root_list_path="releases",
                schema_parser=schema,
                root_id="ocid",
                remove_empty_schema_columns=True,
                persist=True,  # rows kept in a temporary ZODB file, not in memory
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise OcdsFormatError(
                f"paket rilis tidak dapat diratakan ke lembar kerja: {exc}",
                f"release package cannot be flattened to spreadsheets: {exc}",
                where=str(source),
            ) from exc
        with parser:
            sheets = _sheets(parser)
            csv_zip_write(sheets, files.csv_zip)
            xlsx_write(sheets, files.xlsx)
    return files
