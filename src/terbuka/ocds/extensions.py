"""Apply the OCDS extensions Terbuka uses to the bundled 1.1.5 schemas.

Budget Breakdown (planning.budget.budgetBreakdown: id, description, amount, uri, period,
sourceParty) and Budget and Spend (each breakdown's `classifications` and `measures`
objects, free keys), so a planning release can name its APBD line by its Permendagri 90/2019
classification. Applied the way OCDS extensions are: a JSON Merge Patch (RFC 7386) of the
release schema; the dereferenced schema gets the same fields inline.
Example breakdown: {"id": "1.03.10.2.01.0001/5.2.04.01.01.0001", "description": "Jalan",
"amount": {"amount": 1500000000, "currency": "IDR"}, "classifications": {"urusan": "1",
"subKegiatan": "1.03.10.2.01.0001", "akun": "5.2.04.01.01.0001"}, "measures": {"dpa": 1500000000}}.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any, Final

EXTENSIONS: Final = (
    "https://raw.githubusercontent.com/open-contracting-extensions/"
    "ocds_budget_breakdown_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/"
    "ocds_budget_and_spend_extension/master/extension.json",
)


def extensions_used(releases: Iterable[dict[str, Any]]) -> tuple[str, ...]:
    """Return the extension URLs releases use, for a package's "extensions" (OCDS 1.1.5).

    A release whose planning.budget has a budgetBreakdown uses both budget extensions;
    a record counts by its compiledRelease and its embedded releases. Example:
    [{"planning": {"budget": {"budgetBreakdown": [...]}}}] → EXTENSIONS.
    """
    for release in releases:
        for item in (release, release.get("compiledRelease"), *_embedded(release)):
            planning = item.get("planning") if isinstance(item, dict) else None
            budget = planning.get("budget") if isinstance(planning, dict) else None
            if isinstance(budget, dict) and "budgetBreakdown" in budget:
                return EXTENSIONS
    return ()


def _embedded(record: dict[str, Any]) -> list[Any]:
    releases = record.get("releases") if "compiledRelease" in record else None
    return releases if isinstance(releases, list) else []


def _breakdown(
    value: dict[str, Any], period: dict[str, Any], party: dict[str, Any]
) -> dict[str, Any]:
    text = {"type": ["string", "null"]}
    return {
        "title": "Budget breakdown",
        "type": "object",
        "properties": {
            "id": {"title": "Identifier", "type": ["string", "integer"]},
            "description": {"title": "Description", **text},
            "amount": value,
            "uri": {"title": "Linked budget information", "format": "uri", **text},
            "period": period,
            "sourceParty": party,
            "classifications": {"title": "Classifications", "type": ["object", "null"]},
            "measures": {"title": "Measures", "type": ["object", "null"]},
        },
        "minProperties": 1,
    }


def release_schema_extend(schema: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of the 1.1.5 release schema ($ref form) with the budget extensions."""
    out = copy.deepcopy(schema)
    definitions = out["definitions"]
    definitions["BudgetBreakdown"] = _breakdown(
        {"$ref": "#/definitions/Value"},
        {"$ref": "#/definitions/Period"},
        {"$ref": "#/definitions/OrganizationReference"},
    )
    definitions["Budget"]["properties"]["budgetBreakdown"] = {
        "title": "Budget breakdown",
        "type": "array",
        "items": {"$ref": "#/definitions/BudgetBreakdown"},
        "minItems": 1,
    }
    return out


def dereferenced_schema_extend(schema: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of the dereferenced release schema with the budget extensions inline."""
    out = copy.deepcopy(schema)
    planning = out["properties"]["planning"]["properties"]
    budget = planning["budget"]["properties"]
    tender = out["properties"]["tender"]["properties"]
    budget["budgetBreakdown"] = {
        "title": "Budget breakdown",
        "type": "array",
        "items": _breakdown(
            copy.deepcopy(budget["amount"]),
            copy.deepcopy(tender["tenderPeriod"]),
            copy.deepcopy(out["properties"]["buyer"]),
        ),
        "minItems": 1,
    }
    return out
