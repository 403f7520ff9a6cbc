"""Write spreadsheet sheets (CSV files in a zip, one XLSX workbook) whose cells never run.

A spreadsheet program reads a cell as a formula when its text starts with `=`, `+`, `-` or
`@`; a formula can fetch URLs, leak other cells or (DDE) start programs (OWASP, "CSV
Injection"). So:
- XLSX: every text value is written as a text cell (never a formula), unchanged; text that
  looks like a formula also gets the cell's quote-prefix style, so editing it keeps it text.
- CSV has no cell types: text that looks like a formula (`formula_like`) gets a leading `'`.
  Numbers stay numbers (-5 is written -5), since only text is changed.
The JSON packages stay the exact data; docs/api.md describes this for users.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@")
CONTROL_STARTS = ("\t", "\r", "\n")
CSV_PREFIX = "'"
XLSX_TITLE_MAX = 31


@dataclass(frozen=True)
class Sheet:
    """Hold one sheet: its name, its column headings and a way to read its rows again.

    rows() returns a fresh iterable of rows (values in heading order) each time it is called,
    since the CSV and the XLSX both read every row.
    """

    name: str
    headings: Sequence[str]
    rows: Callable[[], Iterable[Sequence[object]]]


def formula_like(text: str) -> bool:
    """Report whether a spreadsheet could read text as a formula.

    True when text starts with `=`, `+`, `-`, `@`, a tab, CR or LF, or starts with one of
    `= + - @` after leading white space (some programs trim it when importing a CSV).
    """
    return text.startswith(CONTROL_STARTS) or text.lstrip().startswith(FORMULA_STARTS)


def csv_cell(value: object) -> object:
    """Return value as a CSV cell: text that is formula_like gets a leading `'`, else unchanged.

    Numbers and other non-text values are returned as they are (-5 stays the number -5).
    """
    if isinstance(value, str) and formula_like(value):
        return CSV_PREFIX + value
    return value


def csv_zip_write(sheets: Iterable[Sheet], path: Path) -> None:
    """Write one UTF-8 CSV file per sheet (`<name>.csv`, CRLF lines) into the zip at path.

    Every heading and cell goes through csv_cell.
    """
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for sheet in sheets:
            with (
                zf.open(f"{sheet.name}.csv", "w") as raw,
                io.TextIOWrapper(raw, encoding="utf-8", newline="") as text,
            ):
                writer = csv.writer(text, lineterminator="\r\n")
                writer.writerow([csv_cell(h) for h in sheet.headings])
                writer.writerows([csv_cell(v) for v in row] for row in sheet.rows())


def xlsx_write(sheets: Iterable[Sheet], path: Path) -> None:
    """Write every sheet into one XLSX workbook at path, streaming the rows.

    Text is always a text cell (never a formula), formula_like text also quote-prefixed;
    characters XML cannot hold are dropped. Sheet titles are cut to 31 characters.
    """
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def cell(worksheet: Any, value: object) -> object:
        if not isinstance(value, str):
            return value
        text = WriteOnlyCell(worksheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        text.data_type = "s"  # openpyxl would make text starting with "=" a formula
        if formula_like(value):
            text.quotePrefix = True
        return text

    workbook = openpyxl.Workbook(write_only=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(title=sheet.name[:XLSX_TITLE_MAX])
        worksheet.append([cell(worksheet, h) for h in sheet.headings])
        for row in sheet.rows():
            worksheet.append([cell(worksheet, v) for v in row])
    workbook.save(path)
