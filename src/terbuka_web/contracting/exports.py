"""Export every published release as OCDS open data: release package, record package, CSV, XLSX.

Releases stream from the database in (ocid, date) order, so memory stays flat however many
releases there are. Records link to their releases inside the release package.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings

from terbuka.ocds.flatten import flatten_package
from terbuka.ocds.package import (
    PackageMeta,
    build_record,
    group_by_ocid,
    write_record_package,
    write_release_package,
)
from terbuka_web.contracting.models import Release
from terbuka_web.contracting.selectors import releases_extensions

RELEASES_FILE = "releases.json"
RECORDS_FILE = "records.json"

Tick = Callable[[int], None]


@dataclass(frozen=True)
class ExportResult:
    """Name the files written and count the releases and records in them."""

    release_package: Path
    record_package: Path
    csv_zip: Path | None
    xlsx: Path | None
    releases: int
    records: int


def package_meta(name: str, published_date: str | None = None) -> PackageMeta:
    """Return the metadata of package file name from settings.TERBUKA (publisher, CC BY 4.0)
    and the extensions the published releases use."""
    conf = settings.TERBUKA
    publisher = {"name": conf["PUBLISHER_NAME"]}
    if conf.get("PUBLISHER_URI"):
        publisher["uri"] = conf["PUBLISHER_URI"]
    return PackageMeta(
        uri=f"{conf['BASE_URL'].rstrip('/')}/ocds/{name}",
        published_date=published_date or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        publisher=publisher,
        publication_policy=conf.get("PUBLICATION_POLICY", ""),
        license=conf.get("LICENSE") or PackageMeta.license,
        extensions=releases_extensions(),
    )


def releases_stream(tick: Tick | None = None) -> Iterator[dict[str, Any]]:
    """Yield every release's data in (ocid, date, id) order, reading the database in chunks."""
    rows = Release.objects.order_by("ocid", "date", "id").values_list("data", flat=True)
    for data in rows.iterator(chunk_size=2000):
        if tick:
            tick(1)
        yield data


def ocds_export(
    *, out_dir: Path, flat: bool = True, tick: Tick | None = None, published_date: str | None = None
) -> ExportResult:
    """Write releases.json, records.json and (when flat) releases-csv.zip and releases.xlsx.

    tick, when given, is called once per release read (twice per release in all: release
    package, then record package). Raises OcdsFormatError if flattening fails.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    release_meta = package_meta(RELEASES_FILE, published_date)
    record_meta = package_meta(RECORDS_FILE, release_meta.published_date)
    release_path, record_path = out_dir / RELEASES_FILE, out_dir / RECORDS_FILE
    with open(release_path, "wb") as fp:
        count = write_release_package(fp, releases_stream(tick), release_meta)
    records = (
        build_record(group, package_uri=release_meta.uri)
        for group in group_by_ocid(releases_stream(tick))
    )
    with open(record_path, "wb") as fp:
        record_count = write_record_package(fp, records, record_meta, packages=[release_meta.uri])
    files = flatten_package(release_path, out_dir) if flat else None
    return ExportResult(
        release_package=release_path,
        record_package=record_path,
        csv_zip=files.csv_zip if files else None,
        xlsx=files.xlsx if files else None,
        releases=count,
        records=record_count,
    )
