"""Check OCDS releases against the rules JSON Schema cannot express (and lib-cove misses).

Each check returns Issues with a JSON pointer and an Indonesian + English message:
ocid prefix, singular `award`/`contract`, date format, codelist values (closed → error,
open → warning), deprecated codes and fields, unknown keys; date order and award/contract
links come from terbuka.ocds.relations.
The tree walk's checks also exist as one JSON Schema (walk_schema): jsonschema-rs confirms a
clean release in Rust, and only releases it flags are walked in Python to name their issues.
"""

from __future__ import annotations

import csv
import difflib
import json
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

from terbuka.bounds import MAX_AMOUNT, MAX_YEAR, MIN_YEAR, number_fault, utc_in_range
from terbuka.ocds.codes import OCID_PREFIX_PATTERN
from terbuka.ocds.extensions import dereferenced_schema_extend
from terbuka.ocds.issues import Issue
from terbuka.ocds.merge import SCHEMA_DIR
from terbuka.ocds.relations import date_order_issues, link_issues, parse_datetime

OCID_PATTERN = re.compile(rf"^{OCID_PREFIX_PATTERN.pattern}-")


@lru_cache(maxsize=1)
def dereferenced_schema() -> dict[str, Any]:
    """Return the bundled dereferenced 1.1.5 release schema (no $ref left), with the budget
    extensions of terbuka.ocds.extensions inline."""
    with open(SCHEMA_DIR / "dereferenced-release-schema.json", encoding="utf-8") as f:
        schema: dict[str, Any] = json.load(f)
    return dereferenced_schema_extend(schema)


@lru_cache(maxsize=32)
def codelist(name: str) -> tuple[frozenset[str], frozenset[str]]:
    """Return (codes, deprecated codes) of the bundled codelist CSV name, e.g. "method.csv"."""
    with open(SCHEMA_DIR / "codelists" / name, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    codes = frozenset(r["Code"] for r in rows)
    return codes, frozenset(r["Code"] for r in rows if r.get("Deprecated"))


@lru_cache(maxsize=32)
def codelist_titles(name: str) -> dict[str, str]:
    """Return code → English title of the bundled codelist CSV name.

    Example: codelist_titles("documentType.csv")["tenderNotice"] → "Tender notice".
    """
    with open(SCHEMA_DIR / "codelists" / name, encoding="utf-8", newline="") as f:
        return {r["Code"]: r["Title"] for r in csv.DictReader(f)}


def release_issues(
    release: dict[str, Any],
    base: str,
    *,
    prefixes: Sequence[str] | None,
    links: bool = True,
    walked: bool = False,
) -> list[Issue]:
    """Return the rule issues of one release (pointers under base).

    walked: the caller knows release meets walk_schema (walk would find nothing).
    """
    issues = ocid_issues(release.get("ocid"), base, prefixes)
    issues += singular_issues(release, base)
    if not walked and not _walk_finds_nothing(release):
        issues += list(walk(release, dereferenced_schema(), base))
    issues += date_order_issues(release, base)
    if links:
        issues += link_issues([(base, release)])
    return issues


# RFC 3339 date-times that parse_datetime accepts with a plausible year (a subset: days 29-31
# where every year has them, years PLAUSIBLE_YEARS, 1-6 decimals, offsets below 24 h); others
# go to the Python check, which names what is wrong.
DATE_TIME = (
    r"^(19[5-9][0-9]|20[0-9]{2})-"
    r"((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)"
    r"T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?"
    r"(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"
)


def _walk_finds_nothing(release: dict[str, Any]) -> bool:
    """Report whether walk surely finds no issue in release (jsonschema-rs, when installed).

    False means "maybe": walk then names the issues, as it alone describes them.
    """
    fast = _walk_validator()
    return fast is not None and bool(fast.is_valid(release))


@lru_cache(maxsize=1)
def _walk_validator() -> Any:
    return fast_validator(walk_schema(dereferenced_schema()))


def fast_validator(schema: dict[str, Any]) -> Any:
    """Return a jsonschema-rs Draft 4 validator of a self-contained schema, or None without it.

    Formats are not checked (jsonschema-rs and Python differ on them).
    """
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - optional speed-up
        return None
    return jsonschema_rs.Draft4Validator(schema, validate_formats=False)


def walk_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Return a JSON Schema that data meets only if walk(data, schema, …) finds no issue.

    It mirrors walk's checks under schema's properties and items: no unknown keys (pattern
    properties allowed), deprecated fields null, codes in their codelists and not deprecated,
    date-times in DATE_TIME, numbers within ±MAX_AMOUNT.
    """
    out: dict[str, Any] = {}
    props = schema.get("properties")
    if props is not None:
        out["properties"] = {key: _field_schema(sub) for key, sub in props.items()}
        out["patternProperties"] = {p: {} for p in schema.get("patternProperties", {})}
        out["additionalProperties"] = False
    items = schema.get("items")
    if isinstance(items, dict):
        out["items"] = walk_schema(items)
    return out


def _field_schema(sub: dict[str, Any]) -> dict[str, Any]:
    """Return walk_schema(sub) with the checks of _field_check on the field itself."""
    out = walk_schema(sub)
    checks: list[dict[str, Any]] = []
    if sub.get("deprecated"):
        checks.append({"type": "null"})
    if "codelist" in sub:
        codes, deprecated = codelist(sub["codelist"])
        code = {"anyOf": [{"not": {"type": "string"}}, {"enum": sorted(codes - deprecated)}]}
        checks.append({**code, "items": code})
    if sub.get("format") == "date-time":
        checks.append({"pattern": DATE_TIME})
    if "number" in sub.get("type", ()):
        checks.append({"minimum": -MAX_AMOUNT, "maximum": MAX_AMOUNT})
    if checks:
        out["allOf"] = checks
    return out


def ocid_issues(ocid: Any, base: str, prefixes: Sequence[str] | None) -> list[Issue]:
    """Return an issue when ocid lacks a registered prefix (`ocds-` + 6 chars, or prefixes)."""
    if not isinstance(ocid, str):
        return []
    where = f"{base}/ocid"
    if not OCID_PATTERN.match(ocid):
        return [
            Issue(
                where,
                f"ocid '{ocid}' tidak diawali prefiks OCDS terdaftar ('ocds-' + 6 karakter)",
                f"ocid '{ocid}' does not start with a registered OCDS prefix ('ocds-' + 6 chars)",
                "ocid_prefix",
            )
        ]
    if prefixes and not any(ocid.startswith(p + "-") for p in prefixes):
        allowed = ", ".join(prefixes)
        return [
            Issue(
                where,
                f"prefiks ocid '{ocid}' bukan milik penerbit ini (diharapkan: {allowed})",
                f"ocid '{ocid}' prefix is not this publisher's (expected: {allowed})",
                "ocid_prefix",
            )
        ]
    return []


def singular_issues(release: dict[str, Any], base: str) -> list[Issue]:
    """Return an issue per singular `award`/`contract` object where an array is required."""
    return [
        Issue(
            f"{base}/{key}",
            f"'{key}' harus ditulis sebagai larik '{key}s' berisi objek, bukan satu objek",
            f"'{key}' must be an array '{key}s' of objects, not a single object",
            "singular_object",
        )
        for key in ("award", "contract")
        if key in release
    ]


# A path is the base pointer or (parent path, key or index): a tuple costs less than building
# every pointer string, and only issues need theirs (_pointer).
_Path = str | tuple[Any, str | int]


def walk(data: Any, schema: dict[str, Any], pointer: str) -> Iterator[Issue]:
    """Yield unknown-key, deprecated, codelist, date and number issues of data under schema."""
    found: list[Issue] = []
    _walk(data, schema, pointer, found)
    return iter(found)


def _pointer(path: _Path) -> str:
    """Return the RFC 6901 JSON pointer of path."""
    parts: list[str] = []
    while isinstance(path, tuple):
        path, key = path
        parts.append(str(key).replace("~", "~0").replace("/", "~1"))
    return path + "".join("/" + p for p in reversed(parts))


def _walk(data: Any, schema: dict[str, Any], path: _Path, found: list[Issue]) -> None:
    if isinstance(data, list):
        items = schema.get("items")
        if isinstance(items, dict):
            for i, item in enumerate(data):
                if isinstance(item, (dict, list)):
                    _walk(item, items, (path, i), found)
        return
    props = schema.get("properties")
    if not isinstance(data, dict) or props is None:
        return
    for key, value in data.items():
        sub = props.get(key)
        if sub is None:
            singular = key in ("award", "contract") and f"{key}s" in props
            if not singular and not _pattern_match(schema, key):
                found.append(_unknown_key(_pointer((path, key)), key, props))
            continue
        if _checked(sub):
            _field_check(key, value, sub, path, found)
        if isinstance(value, (dict, list)):  # scalars have nothing below them
            _walk(value, sub, (path, key), found)


def _field_check(
    key: str, value: Any, sub: dict[str, Any], path: _Path, found: list[Issue]
) -> None:
    """Append the deprecated, codelist and date-format issues of data[key] (value) to found."""
    if sub.get("deprecated") and value is not None:
        found.append(
            Issue(
                _pointer((path, key)),
                f"kolom '{key}' sudah usang (deprecated) di OCDS 1.1",
                f"field '{key}' is deprecated in OCDS 1.1",
                "deprecated_field",
                "warning",
            )
        )
    if "codelist" in sub:
        found.extend(_codelist_issues(value, sub, path, key))
    if sub.get("format") == "date-time" and isinstance(value, str):
        problem = date_problem(value)
        if problem is not None:
            found.append(Issue(_pointer((path, key)), *problem))
    if "number" in sub.get("type", ()) and isinstance(value, int | float):
        fault = number_fault(value, MAX_AMOUNT)
        if fault is not None:
            found.append(Issue(_pointer((path, key)), fault[1], fault[2], fault[0]))


# Years of an imported date that are plausible for a procurement; others give a warning.
PLAUSIBLE_YEARS = range(1950, 2100)


def date_problem(value: str) -> tuple[str, str, str, str] | None:
    """Return (Indonesian, English, code, severity) of what is wrong with date-time value.

    Errors: not RFC 3339 with a zone, or outside years 1-9999 in UTC; a warning: a year
    outside PLAUSIBLE_YEARS. Example: "0001-01-01T00:00:00+14:00" → (…, "date_range", "error").
    """
    parsed = parse_datetime(value)
    if parsed is None:
        return (
            f"'{value}' bukan tanggal-waktu RFC 3339 dengan zona waktu",
            f"'{value}' is not an RFC 3339 date-time with a time zone",
            "date_format",
            "error",
        )
    if not utc_in_range(parsed):
        return (
            f"'{value}' di luar tahun {MIN_YEAR}-{MAX_YEAR} setelah diubah ke UTC",
            f"'{value}' is outside years {MIN_YEAR}-{MAX_YEAR} once converted to UTC",
            "date_range",
            "error",
        )
    if parsed.year not in PLAUSIBLE_YEARS:
        first, last = PLAUSIBLE_YEARS[0], PLAUSIBLE_YEARS[-1]
        return (
            f"tahun {parsed.year} pada '{value}' tidak lazim untuk pengadaan ({first}-{last})",
            f"year {parsed.year} of '{value}' is implausible for a procurement ({first}-{last})",
            "date_implausible",
            "warning",
        )
    return None


def _checked(sub: dict[str, Any]) -> bool:
    """Report whether _field_check has something to check in a field of schema sub."""
    return (
        "codelist" in sub
        or "format" in sub
        or "deprecated" in sub
        or "number" in sub.get("type", ())
    )


def _pattern_match(schema: dict[str, Any], key: str) -> bool:
    return any(re.match(p, key) for p in schema.get("patternProperties", {}))


def _unknown_key(where: str, key: str, props: dict[str, Any]) -> Issue:
    squashed = re.sub(r"\s+", "", key)
    close = difflib.get_close_matches(squashed, list(props), n=1, cutoff=0.8)
    hint_id = f"; mungkin maksudnya '{close[0]}'?" if close else ""
    hint_en = f"; did you mean '{close[0]}'?" if close else ""
    return Issue(
        where,
        f"kolom '{key}' tidak dikenal di skema OCDS 1.1.5{hint_id}",
        f"field '{key}' is not in the OCDS 1.1.5 schema{hint_en}",
        "typo_key" if close else "additional_property",
        "warning",
    )


def _codelist_issues(value: Any, sub: dict[str, Any], path: _Path, key: str) -> list[Issue]:
    name = sub["codelist"]
    codes, deprecated = codelist(name)
    values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    if all(isinstance(c, str) and c in codes and c not in deprecated for c in values):
        return []  # the common case, without building a pointer
    where = _pointer((path, key))
    return list(_code_issues(value, name, codes, deprecated, sub, where))


def _code_issues(
    value: Any,
    name: str,
    codes: frozenset[str],
    deprecated: frozenset[str],
    sub: dict[str, Any],
    where: str,
) -> Iterator[Issue]:
    values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    for i, code in enumerate(values):
        if not isinstance(code, str):
            continue
        at = where if isinstance(value, str) else f"{where}/{i}"
        if code in deprecated:
            yield Issue(
                at,
                f"kode '{code}' di daftar kode {name} sudah usang (deprecated)",
                f"code '{code}' in codelist {name} is deprecated",
                "deprecated_code",
                "warning",
            )
        elif code not in codes:
            closed = not sub.get("openCodelist")
            yield Issue(
                at,
                f"kode '{code}' tidak ada di daftar kode {'tertutup ' if closed else ''}{name}",
                f"code '{code}' is not in the {'closed ' if closed else ''}codelist {name}",
                "codelist" if closed else "codelist_open",
                "error" if closed else "warning",
            )
