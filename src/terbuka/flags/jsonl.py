"""Read line-delimited JSON: one compiled release (a JSON object) per line.

Blank lines are skipped, as Cardinal does. Any other line must be one JSON object in strict
JSON (RFC 8259: no NaN or Infinity). Example line:
`{"ocid":"ocds-213czf-1","tender":{"numberOfTenderers":1,"procurementMethod":"open"}}`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from terbuka.flags.errors import FlagsInputError

JsonObject = dict[str, Any]


def _no_constants(name: str) -> Any:
    """Refuse NaN, Infinity and -Infinity, which strict JSON does not have."""
    raise ValueError(f"{name} is not JSON")


def read_objects(lines: Iterable[str | bytes], *, source: str) -> Iterator[tuple[int, JsonObject]]:
    """Yield (line number, object) for each non-blank line, numbering lines from 1.

    Lines may be text or UTF-8 bytes. Raises FlagsInputError (where = "source:line") for a
    line that is not JSON (or not UTF-8) or not an object; nothing after it is read.
    """
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line, parse_constant=_no_constants)
        except (ValueError, RecursionError) as exc:
            raise FlagsInputError(
                f"baris {number} bukan JSON yang sah ({exc})",
                f"line {number} is not valid JSON ({exc})",
                where=f"{source}:{number}",
            ) from None
        if not isinstance(value, dict):
            raise FlagsInputError(
                f"baris {number} bukan objek JSON (rilis terkompilasi)",
                f"line {number} is not a JSON object (a compiled release)",
                where=f"{source}:{number}",
            )
        yield number, value


def dumps_line(value: JsonObject) -> str:
    """Return value as one compact JSON line, keys in their order, non-ASCII kept."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
