"""Selectors of the api app: OCDS packages of published releases and records, cursor paging.

Every package carries the publisher, the CC BY 4.0 licence and the publication policy from
settings.TERBUKA, and validates against the OCDS 1.1.5 package schemas. Only published
releases exist as Release rows, so drafts can never leak into a package.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max, Q, QuerySet

from terbuka.errors import ValidationError
from terbuka.ocds.flatten import FlatFiles
from terbuka.ocds.package import PackageMeta, build_record, package_format
from terbuka.ocds.package import record_package as record_package_build
from terbuka.ocds.package import release_package as release_package_build
from terbuka_web.contracting.models import Process, Release
from terbuka_web.contracting.selectors import releases_extensions


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def package_meta(uri: str, published: datetime | None) -> PackageMeta:
    """Return the metadata every OCDS package carries (OCDS §Packaging data).

    publishedDate is when the newest release inside was published (now when there is none);
    publisher, CC BY 4.0 licence and publication policy come from settings.TERBUKA.
    """
    conf = settings.TERBUKA
    return PackageMeta(
        uri=uri,
        published_date=_iso(published or datetime.now(UTC)),
        publisher={"name": conf["PUBLISHER_NAME"], "uri": conf["PUBLISHER_URI"]},
        publication_policy=conf["PUBLICATION_POLICY"],
        license=conf["LICENSE"],
    )


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
        if micros.isdigit() and pk.isdigit() and len(micros) <= 18 and len(pk) <= 18:
            seconds, rest = divmod(int(micros), 1_000_000)
            try:  # years 1-9999 in UTC; 18 digits of µs reach year 31,690
                moment = datetime.fromtimestamp(seconds, UTC).replace(microsecond=rest)
            except (OverflowError, ValueError, OSError):
                pass
            else:
                return cls(moment, int(pk))
        raise ValidationError(
            f"kursor 'after' tidak sah: {text[:40]!r}; gunakan tautan 'next' apa adanya",
            f"invalid 'after' cursor: {text[:40]!r}; use the 'next' link as given",
            where="after",
        )


def _write_horizon() -> datetime | None:
    """Return when the oldest other transaction writing to this database began (PostgreSQL).

    A release inserted by a transaction still open has published_at after that moment but is
    invisible until commit; paging stops short of the horizon so the cursor never moves past
    a release that will appear later. None when nothing else writes, and on SQLite (one writer).
    """
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT min(xact_start) FROM pg_stat_activity WHERE backend_xid IS NOT NULL"
            " AND pid <> pg_backend_pid() AND datname = current_database()"
        )
        row = cursor.fetchone()
    return row[0] if row else None


def release_page(
    *, since: datetime | None, after: Cursor | None, limit: int
) -> tuple[list[Release], Cursor | None]:
    """Return up to limit releases published at or after since and strictly after the cursor.

    The second value is the cursor of the last release returned (None when none were), so a
    harvester that follows it sees each release exactly once, including ones published later.
    """
    qs = releases_public()
    horizon = _write_horizon()
    if horizon is not None:
        qs = qs.filter(published_at__lt=horizon)
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
    return release_package_build([r.data for r in releases], package_meta(uri, published))


def processes_published() -> QuerySet[Process]:
    """Return the processes with at least one published release, oldest first (stable paging)."""
    return Process.objects.filter(first_published_at__isnull=False).order_by("id")


def record_package(uri: str, processes: Iterable[Process], package_uri: str) -> dict[str, Any]:
    """Return a record package holding the record of each process (record-package-schema.json).

    Each record embeds its releases in date order and their compiled release (ocdsmerge);
    package_uri names the release package they come from (the "packages" field).
    """
    by_process: dict[int, list[Release]] = {}
    procs = list(processes)
    for rel in Release.objects.filter(process__in=procs).order_by("date", "published_at", "id"):
        by_process.setdefault(rel.process_id, []).append(rel)
    records = [
        build_record([r.data for r in by_process[p.pk]]) for p in procs if p.pk in by_process
    ]
    published = max(
        (r.published_at for rels in by_process.values() for r in rels),
        default=last_published_at(),
    )
    return record_package_build(records, package_meta(uri, published), packages=[package_uri])


def release_package_stream(uri: str, chunk: int = 500) -> Iterator[bytes]:
    """Yield a release package of every published release as JSON bytes, in flat memory.

    Rows are read with a server-side cursor (QuerySet.iterator) and written one at a time;
    the bytes joined equal package_format(release_package(...)) of the same releases.
    """
    meta = replace(package_meta(uri, last_published_at()), extensions=releases_extensions())
    head = package_format(meta.envelope())
    yield head[:-1] + b',"releases":['
    first = True
    for data in releases_public().values_list("data", flat=True).iterator(chunk_size=chunk):
        yield (b"" if first else b",") + package_format(data)
        first = False
    yield b"]}"


def bulk_fingerprint() -> str | None:
    """Return a name that changes whenever a release is published, or None with no release."""
    agg = Release.objects.aggregate(n=Count("id"), last=Max("id"), at=Max("published_at"))
    if not agg["n"]:
        return None
    return hashlib.sha256(f"{agg['n']}.{agg['last']}.{agg['at']}".encode()).hexdigest()[:20]


def bulk_root() -> Path:
    """Return the directory holding one subdirectory of flat files per bulk build."""
    return Path(settings.MEDIA_ROOT) / "bulk"


def bulk_files_of(build: Path) -> FlatFiles:
    """Return the CSV zip and XLSX paths of the build directory build."""
    return FlatFiles(csv_zip=build / "releases-csv.zip", xlsx=build / "releases.xlsx")


def _mtime(path: Path) -> float:
    """Return path's modification time, or -1 when the builder has just removed it."""
    try:
        return path.stat().st_mtime
    except OSError:
        return -1.0


def bulk_flat_files() -> FlatFiles | None:
    """Return the newest complete CSV zip and XLSX build, or None before the first.

    Builds are made by the background builder (api.services.bulk_files_build, `terbuka ocds
    bulk --loop`), never by a request: flattening 100k releases takes about a minute. The
    newest build may predate the latest publication by one builder round.
    """
    root = bulk_root()
    builds = [d for d in root.iterdir() if not d.name.startswith(".")] if root.is_dir() else []
    for build in sorted(builds, key=_mtime, reverse=True):
        files = bulk_files_of(build)
        if files.exist():
            return files
    return None
