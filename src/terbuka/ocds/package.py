"""Build, format, parse and stream OCDS 1.1 release packages and record packages.

Spec: https://standard.open-contracting.org/1.1/en/schema/release_package/ and
/record_package/. Terbuka publishes under CC BY 4.0; a record carries its releases (linked
by URL into their release package, or embedded) and the compiled release.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import IO, Any

from terbuka.canonical import json_loads_checked
from terbuka.ocds.errors import OcdsFormatError
from terbuka.ocds.extensions import extensions_used
from terbuka.ocds.merge import compile_release, versioned_release
from terbuka.ocds.validate import bounds_issues, raise_for_issues

CC_BY_4 = "https://creativecommons.org/licenses/by/4.0/"
VERSION = "1.1"


@dataclass(frozen=True)
class PackageMeta:
    """Hold a package's metadata: where it lives, who publishes it, when and under what terms,
    and the OCDS extensions its releases use (extension.json URLs, declared when any)."""

    uri: str
    published_date: str
    publisher: dict[str, str] = field(default_factory=lambda: {"name": "Terbuka"})
    publication_policy: str = ""
    license: str = CC_BY_4
    version: str = VERSION
    extensions: tuple[str, ...] = ()

    def envelope(self) -> dict[str, Any]:
        """Return the package fields other than releases/records, in the spec's order."""
        env: dict[str, Any] = {"uri": self.uri, "version": self.version}
        if self.extensions:
            env["extensions"] = list(self.extensions)
        env |= {
            "publishedDate": self.published_date,
            "publisher": dict(self.publisher),
            "license": self.license,
        }
        if self.publication_policy:
            env["publicationPolicy"] = self.publication_policy
        return env


def declared(meta: PackageMeta, items: Iterable[dict[str, Any]]) -> PackageMeta:
    """Return meta declaring, besides its own, the extensions items (releases or records) use."""
    found = extensions_used(items)
    return replace(meta, extensions=tuple(dict.fromkeys((*meta.extensions, *found))))


def release_package(releases: Iterable[dict[str, Any]], meta: PackageMeta) -> dict[str, Any]:
    """Return a release package holding releases, declaring the extensions they use.

    Example: {"uri":"https://x/p.json","version":"1.1","publishedDate":"2025-01-01T00:00:00Z",
    "publisher":{"name":"Terbuka"},"license":"https://creativecommons.org/licenses/by/4.0/",
    "releases":[…]}.
    """
    items = list(releases)
    return {**declared(meta, items).envelope(), "releases": items}


def linked_release(release: dict[str, Any], package_uri: str) -> dict[str, Any]:
    """Return the linked form of release: its URL inside package_uri, its date and tags."""
    return {"url": f"{package_uri}#{release['id']}", "date": release["date"], "tag": release["tag"]}


def build_record(
    releases: list[dict[str, Any]],
    *,
    package_uri: str | None = None,
    versioned: bool = False,
) -> dict[str, Any]:
    """Return the record of one ocid: releases (linked when package_uri is set) + compiledRelease.

    Raises ValidationError when releases cannot be merged. Example:
    {"ocid":"ocds-tbk352-1","releases":[{"url":"https://x/p.json#1","date":…,"tag":[…]}],
    "compiledRelease":{…}}.
    """
    ordered = sorted(releases, key=lambda r: r.get("date") or "")
    record: dict[str, Any] = {
        "ocid": ordered[0]["ocid"] if ordered else "",
        "releases": (
            [linked_release(r, package_uri) for r in ordered] if package_uri else list(ordered)
        ),
        "compiledRelease": compile_release(ordered),
    }
    if versioned:
        record["versionedRelease"] = versioned_release(ordered)
    return record


def record_package(
    records: Iterable[dict[str, Any]], meta: PackageMeta, *, packages: list[str] | None = None
) -> dict[str, Any]:
    """Return a record package holding records, declaring the extensions they use; packages
    lists the release packages linked to."""
    items = list(records)
    body: dict[str, Any] = declared(meta, items).envelope()
    if packages:
        body["packages"] = packages
    body["records"] = items
    return body


def package_format(package: dict[str, Any]) -> bytes:
    """Return package as compact UTF-8 JSON bytes (non-ASCII kept, key order kept).

    Example: {"uri":"https://x/p.json","releases":[]} → b'{"uri":"https://x/p.json","releases":[]}'.
    """
    return json.dumps(package, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) == len(pairs):
        return result
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise OcdsFormatError(
                f"kunci JSON '{key}' muncul dua kali dalam satu objek",
                f"JSON key '{key}' appears twice in one object",
            )
        seen.add(key)
    raise AssertionError("unreachable: fewer keys than pairs means a duplicate")  # pragma: no cover


def _no_constants(name: str) -> Any:
    raise OcdsFormatError(f"nilai {name} tidak sah dalam JSON", f"{name} is not a valid JSON value")


def package_parse(data: bytes) -> Any:
    """Return the JSON value of data (UTF-8, optional BOM), rejecting what JSON forbids.

    Raises OcdsFormatError naming the line and column for malformed JSON, the byte offset for
    invalid UTF-8, and duplicate keys or NaN/Infinity. Example: b'{"releases":[]}' → dict.
    """
    return package_parse_plain(data)[0]


def package_parse_plain(data: bytes) -> tuple[Any, bool]:
    """Return package_parse(data) and whether its value is plain for canonical_json.

    Plain (terbuka.canonical.json_loads_plain): canonical_json(…, plain=True) of the value or
    its parts is exact. Raises OcdsFormatError as package_parse does, and OcdsValidationError
    naming the JSON pointer of each value out of bounds (terbuka.bounds: NUL, lone surrogate,
    number beyond ±(2^53-1)), found by a walk only when parsing saw one may be there.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise OcdsFormatError(
            f"berkas bukan UTF-8 yang sah (bita ke-{exc.start})",
            f"file is not valid UTF-8 (byte {exc.start})",
            where=f"byte {exc.start}",
        ) from exc
    try:
        value, plain, bounded = json_loads_checked(
            text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constants
        )
    except json.JSONDecodeError as exc:
        raise OcdsFormatError(
            f"JSON rusak di baris {exc.lineno} kolom {exc.colno}: {exc.msg}",
            f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}",
            where=f"line {exc.lineno} column {exc.colno}",
        ) from exc
    except RecursionError as exc:
        raise OcdsFormatError("JSON terlalu dalam bersarang", "JSON is nested too deeply") from exc
    if not bounded:
        raise_for_issues(bounds_issues(value))
    return value, plain


def _write_stream(
    fp: IO[bytes], envelope: dict[str, Any], key: str, items: Iterable[dict[str, Any]]
) -> int:
    head = package_format(envelope)
    fp.write(head[:-1] + (b',"' if envelope else b'{"') + key.encode() + b'":[')
    count = 0
    for item in items:
        if count:
            fp.write(b",")
        fp.write(package_format(item))
        count += 1
    fp.write(b"]}")
    return count


def write_release_package(
    fp: IO[bytes], releases: Iterable[dict[str, Any]], meta: PackageMeta
) -> int:
    """Stream a release package of releases to binary file fp with flat memory; return the count.

    A stream is read once: meta.extensions must already name the extensions releases use
    (extensions_used). The bytes then equal package_format(release_package(releases, meta)).
    """
    return _write_stream(fp, meta.envelope(), "releases", releases)


def write_record_package(
    fp: IO[bytes],
    records: Iterable[dict[str, Any]],
    meta: PackageMeta,
    *,
    packages: list[str] | None = None,
) -> int:
    """Stream a record package of records to binary file fp with flat memory; return the count.

    As for write_release_package, meta.extensions must name the extensions records use.
    """
    envelope = meta.envelope()
    if packages:
        envelope["packages"] = packages
    return _write_stream(fp, envelope, "records", records)


def group_by_ocid(releases: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """Yield lists of consecutive releases sharing an ocid (feed it releases sorted by ocid)."""
    batch: list[dict[str, Any]] = []
    for release in releases:
        if batch and release.get("ocid") != batch[0].get("ocid"):
            yield batch
            batch = []
        batch.append(release)
    if batch:
        yield batch
