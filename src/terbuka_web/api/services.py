"""Services of the api app: building the bulk CSV and XLSX files of every published release."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from terbuka.ocds.flatten import FlatFiles, flatten_package
from terbuka_web.api.selectors import (
    bulk_files_of,
    bulk_fingerprint,
    bulk_root,
    release_package_stream,
)


def bulk_files_build(*, uri: str | None = None) -> FlatFiles | None:
    """Build the CSV zip and XLSX of every published release, unless this data has them.

    The release package (uri: its URL, default TERBUKA_BASE_URL's bulk releases.json) is
    streamed to disk, flattened with flattentool into a hidden directory, then renamed to
    MEDIA_ROOT/bulk/<fingerprint>/ in one step, so a reader never sees a half-written build;
    older builds are then removed (a download already open keeps its file). Returns the
    files, or None while nothing is published. Raises OcdsFormatError if flattening fails.
    """
    fingerprint = bulk_fingerprint()
    if fingerprint is None:
        return None
    root = bulk_root()
    final = root / fingerprint
    files = bulk_files_of(final)
    if not files.exist():
        root.mkdir(parents=True, exist_ok=True)
        _build_into(final, uri or _default_uri())
    os.utime(final)  # the newest build is the one bulk_flat_files serves
    for old in root.iterdir():
        if old != final and not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)
    return files


def _default_uri() -> str:
    base = str(settings.TERBUKA["BASE_URL"]).rstrip("/")
    return base + reverse("api:ocds_bulk_releases")


def _build_into(final: Path, uri: str) -> None:
    work = Path(tempfile.mkdtemp(dir=final.parent, prefix=".build-"))
    try:
        with (work / "releases.json").open("wb") as fp:
            for chunk in release_package_stream(uri):
                fp.write(chunk)
        flatten_package(work / "releases.json", work, stem="releases")
        (work / "releases.json").unlink()
        work.rename(final)
    except OSError:
        files = bulk_files_of(final)
        if not files.exist():  # not a lost race: a failure
            raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
