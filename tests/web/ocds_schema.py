"""Validate packages against the OCDS 1.1.5 package schemas shipped in src/terbuka/ocds/schema."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import ocdsmerge
from referencing import Registry, Resource

SCHEMA = Path(__file__).resolve().parents[2] / "src" / "terbuka" / "ocds" / "schema"
REMOTE = "https://standard.open-contracting.org/schema/1__1__5/"


@lru_cache(maxsize=2)
def _validator(kind: str) -> jsonschema.Draft4Validator:
    def load(name: str) -> dict[str, Any]:
        return json.loads((SCHEMA / name).read_text("utf-8"))

    registry: Registry = Registry()
    for name in ("release-schema.json", "versioned-release-validation-schema.json"):
        resource = Resource.from_contents(load(name), default_specification=_draft4())
        registry = registry.with_resource(REMOTE + name, resource)
    schema = load(f"{kind}-package-schema.json")
    return jsonschema.Draft4Validator(
        schema, registry=registry, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )


def _draft4() -> Any:
    from referencing.jsonschema import DRAFT4

    return DRAFT4


def package_validate(package: dict[str, Any], kind: str) -> None:
    """Fail with every schema error when package is not a valid OCDS 1.1.5 kind package."""
    errors = [f"{list(e.path)}: {e.message}" for e in _validator(kind).iter_errors(package)]
    assert not errors, errors[:10]


@lru_cache(maxsize=1)
def merger_local() -> ocdsmerge.Merger:
    """Return an ocdsmerge Merger on the local 1.1.5 release schema (no network)."""
    schema = json.loads((SCHEMA / "dereferenced-release-schema.json").read_text("utf-8"))
    return ocdsmerge.Merger(schema=schema)
