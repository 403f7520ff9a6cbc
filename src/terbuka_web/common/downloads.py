"""Stream large downloads without holding them in memory: CSV rows as they are read."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence

from django.http import StreamingHttpResponse

from terbuka.spreadsheet import csv_cell


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(
    header: Sequence[str], rows: Iterable[Sequence[object]], filename: str
) -> StreamingHttpResponse:
    """Stream header and rows as a CSV attachment named filename (UTF-8, text cells made
    formula-safe with terbuka.spreadsheet.csv_cell), e.g. "code,name" then "35.22,Bojonegoro"."""
    writer = csv.writer(_Echo())
    lines = (
        writer.writerow([csv_cell(value) for value in row])
        for part in ([header], rows)
        for row in part
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
