"""Validate OCDS 1.1.5 releases and packages: JSON Schema plus the rules lib-cove misses.

Schema checks use jsonschema (Draft 4) against the bundled 1.1.5 schemas, offline. Extra rules
(terbuka.ocds.rules) cover ocid prefixes, date order, award/contract links, codelists, singular
`award`/`contract` objects, duplicate release ids, unknown (typo'd) keys and deprecated values.
Spec: https://standard.open-contracting.org/1.1/en/schema/
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from terbuka.bounds import json_faults, pointer
from terbuka.ocds import relations, rules
from terbuka.ocds.errors import OcdsValidationError
from terbuka.ocds.extensions import release_schema_extend
from terbuka.ocds.issues import Issue
from terbuka.ocds.merge import SCHEMA_DIR

SCHEMA_URL = "https://standard.open-contracting.org/schema/1__1__5/"
SCHEMA_FILES = (
    "release-schema.json",
    "release-package-schema.json",
    "record-package-schema.json",
    "versioned-release-validation-schema.json",
)


@lru_cache(maxsize=8)
def load_schema(name: str) -> dict[str, Any]:
    """Return the bundled 1.1.5 schema file name, parsed (the release schema with the
    budget extensions of terbuka.ocds.extensions)."""
    with open(SCHEMA_DIR / name, encoding="utf-8") as f:
        schema: dict[str, Any] = json.load(f)
    if name == "release-schema.json":
        return release_schema_extend(schema)
    return schema


@lru_cache(maxsize=1)
def _registry() -> Registry[Any]:
    resources = [
        (SCHEMA_URL + name, Resource.from_contents(load_schema(name), default_specification=DRAFT4))
        for name in SCHEMA_FILES
    ]
    return Registry().with_resources(resources)


@lru_cache(maxsize=8)
def _validator(name: str, shallow_releases: bool = False) -> jsonschema.Draft4Validator:
    schema = load_schema(name)
    if shallow_releases:
        schema = {**schema, "properties": {**schema["properties"]}}
        # Releases are validated one by one (pointers, speed); duplicates by
        # relations.package_issues (jsonschema's uniqueItems compares every pair: quadratic).
        schema["properties"]["releases"] = {"type": "array", "minItems": 1}
    return jsonschema.Draft4Validator(schema, registry=_registry())


def pointer_of(path: Iterable[Any]) -> str:
    """Return the RFC 6901 JSON pointer of a path. Example: ["a", 0, "b/c"] → "/a/0/b~1c"."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _schema_issue(error: jsonschema.ValidationError, base: str) -> Issue | None:
    pointer = base + pointer_of(error.absolute_path)
    kind, detail = error.validator, error.message
    if kind == "enum" and isinstance(error.schema, dict) and "codelist" in error.schema:
        return None  # reported by rules.walk with the codelist's name
    if kind == "uniqueItems" and pointer == "/releases":
        return None  # reported by relations.package_issues as duplicate_release_id
    if kind == "required":
        name = detail.split("'")[1] if "'" in detail else detail
        return Issue(
            pointer,
            f"kolom wajib '{name}' tidak ada",
            f"required field '{name}' is missing",
            "required",
        )
    if kind == "type":
        return Issue(
            pointer,
            f"tipe data salah: diharapkan {error.validator_value}, didapat {error.instance!r:.60}",
            f"wrong type: expected {error.validator_value}, got {error.instance!r:.60}",
            "type",
        )
    return Issue(
        pointer,
        f"nilai tidak sesuai skema OCDS 1.1.5 ({kind}): {detail:.200}",
        f"value breaks the OCDS 1.1.5 schema ({kind}): {detail:.200}",
        f"schema_{kind}",
    )


@lru_cache(maxsize=8)
def _fast_validator(name: str) -> Any:
    """Return a jsonschema-rs validator for the self-contained schema name, or None without it."""
    return rules.fast_validator(load_schema(name))


def schema_issues(data: Any, name: str, base: str = "", *, shallow: bool = False) -> list[Issue]:
    """Return the JSON Schema issues of data against bundled schema name, pointers under base.

    Valid data is confirmed by jsonschema-rs (Rust, ~50x faster) when the schema has no
    external $ref; errors are always described by jsonschema, the reference implementation.
    """
    fast = _fast_validator(name) if name == "release-schema.json" else None
    if fast is not None and fast.is_valid(data):
        return []
    validator = _validator(name, shallow)
    found = [_schema_issue(e, base) for e in validator.iter_errors(data)]
    return sorted((i for i in found if i is not None), key=lambda i: i.pointer)


def bounds_issues(value: Any, base: str = "") -> list[Issue]:
    """Return an issue per NUL, lone surrogate or out-of-range number in value (terbuka.bounds).

    Pointers escape what no terminal can print: "/a/\\ud800" for a key holding U+D800.
    Example: bounds_issues({"a": [1e400]}) → [Issue("/a/0", "angka tak hingga…", …)].
    """
    issues = [
        Issue(base + pointer(f.path), f.message_id, f.message_en, f.code)
        for f in json_faults(value)
    ]
    return sorted(issues, key=lambda i: i.pointer)


def validate_release(
    release: Any, *, prefixes: Sequence[str] | None = None, base: str = "", links: bool = True
) -> list[Issue]:
    """Return every issue of one release (bounds, schema, Terbuka's rules); [] when it is clean.

    prefixes, when given, lists the accepted ocid prefixes (e.g. ["ocds-tbk352"]). Values out
    of bounds (terbuka.bounds) are reported alone: other messages would quote them.
    Example: validate_release({"ocid": "asdf-1"}) → [Issue("", "kolom wajib 'id' …", …), …].
    """
    return bounds_issues(release, base) or _release_issues(release, prefixes, base, links)


def _release_issues(
    release: Any, prefixes: Sequence[str] | None, base: str, links: bool
) -> list[Issue]:
    """Return the schema and rule issues of a release within bounds."""
    if not isinstance(release, dict):
        return [Issue(base, "rilis harus objek JSON", "a release must be a JSON object", "type")]
    clean = _clean_validator()
    if clean is not None and clean.is_valid(release):  # no schema issue, nothing for the walk
        return rules.release_issues(release, base, prefixes=prefixes, links=links, walked=True)
    return schema_issues(release, "release-schema.json", base) + rules.release_issues(
        release, base, prefixes=prefixes, links=links
    )


@lru_cache(maxsize=1)
def _clean_validator() -> Any:
    """Return a jsonschema-rs validator of releases free of schema and walk issues, or None.

    It checks the release schema and rules.walk_schema in one pass (allOf): a release it
    passes would pass both, so schema_issues and the tree walk would find nothing.
    """
    schema = load_schema("release-schema.json")
    walk = rules.walk_schema(rules.dereferenced_schema())
    return rules.fast_validator({**schema, "allOf": [*schema.get("allOf", []), walk]})


def validate_package(
    package: Any,
    *,
    prefixes: Sequence[str] | None = None,
    known_award_ids: Mapping[str, set[str]] | None = None,
    bounds: bool = True,
) -> list[Issue]:
    """Return every issue of a release package: bounds; else its envelope, releases, duplicates.

    known_award_ids maps an ocid to award ids already published elsewhere (e.g. in the
    database), which contracts in this package may name. bounds=False skips the bounds walk
    for a package that terbuka.ocds.package.package_parse_plain returned (it checked them).

    Example: validate_package({"releases": []}) → issues for missing uri, publishedDate…
    """
    if not isinstance(package, dict):
        return [
            Issue("", "paket rilis harus objek JSON", "a release package must be an object", "type")
        ]
    issues = bounds_issues(package) if bounds else []
    if issues:  # reported alone: other messages would quote the values
        return issues
    issues = schema_issues(package, "release-package-schema.json", shallow=True)
    releases = package.get("releases")
    if not isinstance(releases, list):
        return issues
    for i, release in enumerate(releases):
        issues += _release_issues(release, prefixes, f"/releases/{i}", False)
    issues += relations.package_issues(releases, known_award_ids or {})
    return issues


def validate_record_package(package: Any) -> list[Issue]:
    """Return the JSON Schema issues of a record package (1.1.5 record-package-schema.json)."""
    return schema_issues(package, "record-package-schema.json")


def errors_only(issues: Iterable[Issue]) -> list[Issue]:
    """Return the issues whose severity is error (warnings do not block publication)."""
    return [i for i in issues if i.severity == "error"]


def raise_for_issues(issues: Sequence[Issue], *, limit: int = 20) -> None:
    """Raise OcdsValidationError listing the errors among issues; return when there are none.

    The exception's issues attribute carries every issue (errors and warnings).
    """
    errors = errors_only(issues)
    if not errors:
        return
    shown = errors[:limit]
    more = len(errors) - len(shown)
    lines_id = [f"{i.pointer or '/'}: {i.message_id}" for i in shown]
    lines_en = [f"{i.pointer or '/'}: {i.message_en}" for i in shown]
    if more:
        lines_id.append(f"… dan {more} kesalahan lain")
        lines_en.append(f"… and {more} more errors")
    raise OcdsValidationError(
        f"data OCDS ditolak, {len(errors)} kesalahan:\n" + "\n".join(lines_id),
        f"OCDS data rejected, {len(errors)} errors:\n" + "\n".join(lines_en),
        where=shown[0].pointer,
        issues=list(issues),
    )
