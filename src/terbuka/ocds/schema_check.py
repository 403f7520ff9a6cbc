"""Check releases against the bundled OCDS 1.1.5 release schema (JSON Schema draft 4)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from terbuka.errors import ValidationError

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "release-schema.json"


def _is_date_time(value: object) -> bool:
    """Report whether value is an RFC 3339 date-time with an offset (OCDS dates)."""
    if not isinstance(value, str):
        return True
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return "T" in value and parsed.tzinfo is not None


FORMATS = jsonschema.FormatChecker(formats=())
FORMATS.checks("date-time", raises=ValueError)(_is_date_time)


@cache
def _validator() -> jsonschema.Draft4Validator:
    """Return the (cached) validator of the release schema."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=FORMATS)


def release_errors(release: Mapping[str, Any]) -> list[str]:
    """Return the schema errors of release as "/json/pointer: message" strings (empty if valid)."""
    errors = sorted(_validator().iter_errors(dict(release)), key=lambda e: list(e.path))
    return ["/" + "/".join(str(p) for p in e.path) + ": " + e.message for e in errors]


def release_validate(release: Mapping[str, Any]) -> None:
    """Raise ValidationError (where = first error's JSON pointer) unless release is valid.

    OCDS 1.1.5 release-schema.json. Example: a release without "ocid" raises
    ValidationError("rilis tidak sesuai skema OCDS 1.1.5: /: 'ocid' is a required property").
    """
    errors = release_errors(release)
    if errors:
        summary = "; ".join(errors[:5])
        raise ValidationError(
            f"rilis tidak sesuai skema OCDS 1.1.5: {summary}",
            f"release does not match the OCDS 1.1.5 schema: {summary}",
            where=errors[0].split(":", 1)[0],
        )
