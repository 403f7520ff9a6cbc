"""Merge OCDS releases into compiled and versioned releases (OCDS 1.1.5 merging rules).

Uses ocdsmerge with the release schema bundled in terbuka/ocds/schema, so merging never
touches the network. Spec: https://standard.open-contracting.org/1.1/en/schema/merging/
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import ocdsmerge
from ocdsmerge.exceptions import OCDSMergeError

from terbuka.errors import ValidationError

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
RELEASE_SCHEMA = SCHEMA_DIR / "release-schema.json"


@lru_cache(maxsize=8)
def merger(schema_path: str = str(RELEASE_SCHEMA)) -> ocdsmerge.Merger:
    """Return a cached Merger built from the release schema at schema_path (default 1.1.5)."""
    return ocdsmerge.Merger(schema_path)


def _merge(kind: str, releases: list[dict[str, Any]], schema_path: str | None) -> dict[str, Any]:
    m = merger(schema_path or str(RELEASE_SCHEMA))
    try:
        if kind == "compiled":
            merged: dict[str, Any] = m.create_compiled_release(releases)
        else:
            merged = m.create_versioned_release(releases)
    except (OCDSMergeError, TypeError, AttributeError) as exc:
        raise ValidationError(
            f"rilis tidak dapat digabung: {exc}",
            f"releases cannot be merged: {exc}",
            where="/releases",
        ) from exc
    return merged


def compile_release(
    releases: list[dict[str, Any]], *, schema_path: str | None = None
) -> dict[str, Any]:
    """Return the compiled release of releases (all of one ocid), merged in date order.

    Raises ValidationError when a release lacks a string date or is not an object.
    Example: [{"ocid":"ocds-213czf-1","id":"1","date":"2024-01-01T00:00:00Z","tag":["tender"]}]
    → {"tag":["compiled"],"id":"ocds-213czf-1-2024-01-01T00:00:00Z","date":…,"ocid":…}.
    """
    return _merge("compiled", releases, schema_path)


def versioned_release(
    releases: list[dict[str, Any]], *, schema_path: str | None = None
) -> dict[str, Any]:
    """Return the versioned release of releases: every field's history with releaseID/date/tag.

    Raises ValidationError as compile_release does. Example field:
    "title": [{"releaseID":"1","releaseDate":"2024-01-01T00:00:00Z","releaseTag":["tender"],
    "value":"Jalan"}].
    """
    return _merge("versioned", releases, schema_path)
