"""Selectors of the api app: OCDS packages of published releases and records, cursor paging.

Every package carries the publisher, the CC BY 4.0 licence and the publication policy from
settings.TERBUKA, and validates against the OCDS 1.1.5 package schemas. Only published
releases exist as Release rows, so drafts can never leak into a package.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import ocdsmerge
from django.conf import settings
from django.db.models import Max, Q, QuerySet

from terbuka.errors import ValidationError
from terbuka_web.contracting.models import Process, Release

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "terbuka" / "ocds" / "schema"
OCDS_VERSION = "1.1"


@lru_cache(maxsize=1)
def _merger() -> ocdsmerge.Merger:
    schema = json.loads((SCHEMA_DIR / "dereferenced-release-schema.json").read_text("utf-8"))
    return ocdsmerge.Merger(schema=schema)


def release_compile(releases: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the compiled release of releases (one ocid) by ocdsmerge's rules (OCDS §Merging)."""
    return dict(_merger().create_compiled_release(releases))


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def package_meta(uri: str, published: datetime | None) -> dict[str, Any]:
    """Return the package metadata every OCDS package carries (OCDS §Packaging data).

    Example: {"uri": "https://…/api/ocds/releases", "version": "1.1", "publishedDate":
    "2024-01-15T02:00:00Z", "publisher": {"name": "Pemerintah Kabupaten Bojonegoro", …},
    "license": "https://creativecommons.org/licenses/by/4.0/", "publicationPolicy": "…"}.
    """
    conf = settings.TERBUKA
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "publishedDate": _iso(published or datetime.now(UTC)),
        "publisher": {"name": conf["PUBLISHER_NAME"], "uri": conf["PUBLISHER_URI"]},
        "license": conf["LICENSE"],
        "publicationPolicy": conf["PUBLICATION_POLICY"],
    }


def releases_public() -> QuerySet[Release]:
    """Return every published release in harvesting order (published_at, id)."""
    return Release.objects.order_by("published_at", "id")


def last_published_at() -> datetime | None:
    """Return when the latest release was published (a package's publishedDate), or None."""
    return Release.objects.aggregate(m=Max("published_at"))["m"]


@dataclass(frozen=True)
class Cursor:
    """Point just after one release in (published_at, id) order: "<µs since epoch>.<id>"."""

    published_at: datetime
    pk: int

    def format(self) -> str:
        """Return the cursor as URL-safe text, e.g. "1705284000123456.42"."""
        micros = int(self.published_at.timestamp()) * 1_000_000 + self.published_at.microsecond
        return f"{micros}.{self.pk}"

    @classmethod
    def parse(cls, text: str) -> Cursor:
        """Parse text made by format; raise ValidationError (field "after") when malformed."""
        micros, _, pk = text.partition(".")
        if not (micros.isdigit() and pk.isdigit()) or len(micros) > 18 or len(pk) > 18:
            raise ValidationError(
                f"kursor 'after' tidak sah: {text[:40]!r}; gunakan tautan 'next' apa adanya",
                f"invalid 'after' cursor: {text[:40]!r}; use the 'next' link as given",
                where="after",
            )
        seconds, rest = divmod(int(micros), 1_000_000)
        moment = datetime.fromtimestamp(seconds, UTC).replace(microsecond=rest)
        return cls(moment, int(pk))


def release_page(
    *, since: datetime | None, after: Cursor | None, limit: int
) -> tuple[list[Release], Cursor | None]:
    """Return up to limit releases published at or after since and strictly after the cursor.

    The second value is the cursor of the last release returned (None when none were), so a
    harvester that follows it sees each release exactly once, including ones published later.
    """
    qs = releases_public()
    if since is not None:
        qs = qs.filter(published_at__gte=since)
    if after is not None:
        qs = qs.filter(
            Q(published_at__gt=after.published_at)
            | Q(published_at=after.published_at, id__gt=after.pk)
        )
    rows = list(qs[:limit])
    cursor = Cursor(rows[-1].published_at, rows[-1].pk) if rows else after
    return rows, cursor


def release_package(uri: str, releases: list[Release]) -> dict[str, Any]:
    """Return a release package of releases (OCDS release-package-schema.json)."""
    published = max((r.published_at for r in releases), default=last_published_at())
    return {**package_meta(uri, published), "releases": [r.data for r in releases]}


def record_build(process: Process, releases: list[Release]) -> dict[str, Any]:
    """Return process's OCDS record: its releases embedded and their compiled release."""
    data = [r.data for r in releases]
    return {"ocid": process.ocid, "releases": data, "compiledRelease": release_compile(data)}


def processes_published() -> QuerySet[Process]:
    """Return the processes with at least one published release, oldest first (stable paging)."""
    return Process.objects.filter(first_published_at__isnull=False).order_by("id")


def record_package(uri: str, processes: Iterable[Process], package_uri: str) -> dict[str, Any]:
    """Return a record package holding the record of each process (record-package-schema.json).

    package_uri names the release package the releases come from (the "packages" field).
    """
    by_ocid: dict[int, list[Release]] = {}
    procs = list(processes)
    for rel in Release.objects.filter(process__in=procs).order_by("date", "published_at", "id"):
        by_ocid.setdefault(rel.process_id, []).append(rel)
    records = [record_build(p, by_ocid[p.pk]) for p in procs if p.pk in by_ocid]
    published = max(
        (r.published_at for rels in by_ocid.values() for r in rels),
        default=last_published_at(),
    )
    return {**package_meta(uri, published), "packages": [package_uri], "records": records}


def release_package_stream(uri: str, chunk: int = 500) -> Iterator[bytes]:
    """Yield a release package of every published release as JSON bytes, in flat memory.

    Rows are read with a server-side cursor (QuerySet.iterator) and written one at a time.
    """
    meta = package_meta(uri, last_published_at())
    head = json.dumps(meta, ensure_ascii=False)[:-1] + ', "releases": ['
    yield head.encode()
    first = True
    for data in releases_public().values_list("data", flat=True).iterator(chunk_size=chunk):
        yield (b"" if first else b",\n") + json.dumps(data, ensure_ascii=False).encode()
        first = False
    yield b"]}\n"
