"""Derive a process's search and listing fields from its compiled OCDS release.

These fill contracting.Process: title, description, fiscal year, Indonesian method, the
stages reached and published, the headline value in rupiah, the buyer and the search text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from terbuka.bounds import MAX_SAFE_INTEGER
from terbuka.ocds.codes import METHOD_BY_DETAILS, NPWP_SCHEME, STAGES
from terbuka.ocds.relations import parse_datetime
from terbuka.words import npwp_digits, with_root_forms

SEARCH_TEXT_LIMIT = 4000


@dataclass(frozen=True)
class ProcessSummary:
    """Hold the fields of a process derived from its compiled release."""

    title: str
    description: str
    fiscal_year: int | None
    method: str
    stage_reached: str
    stages_published: list[str] = field(default_factory=list)
    value_idr: int | None = None
    buyer_name: str = ""
    search_text: str = ""

    def as_dict(self) -> dict[str, Any]:
        """Return the summary as keyword arguments for the Process model (a shallow copy)."""
        return {**vars(self), "stages_published": list(self.stages_published)}


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def stages_present(compiled: dict[str, Any]) -> list[str]:
    """Return the stages (in order) the compiled release holds data for."""
    contracts = _list(compiled.get("contracts"))
    present = {
        "planning": bool(_obj(compiled.get("planning"))),
        "tender": bool(_obj(compiled.get("tender"))),
        "award": bool(_list(compiled.get("awards"))),
        "contract": bool(contracts),
        "implementation": any(_obj(c.get("implementation")) for c in contracts),
    }
    return [s for s in STAGES if present[s]]


def _idr(values: list[Any]) -> int | None:
    amounts: list[float] = [
        v["amount"]
        for v in map(_obj, values)
        if v.get("currency") == "IDR" and isinstance(v.get("amount"), int | float)
    ]
    if not amounts:
        return None
    total = int(sum(amounts))
    # Many amounts each within bounds can add up beyond what a column holds: then no headline.
    return total if -MAX_SAFE_INTEGER <= total <= MAX_SAFE_INTEGER else None


def value_idr(compiled: dict[str, Any]) -> int | None:
    """Return the headline value in IDR: contracts, else awards, else tender, else budget."""
    tender = _obj(compiled.get("tender"))
    budget = _obj(_obj(compiled.get("planning")).get("budget"))
    for values in (
        [c.get("value") for c in _list(compiled.get("contracts"))],
        [a.get("value") for a in _list(compiled.get("awards"))],
        [tender.get("value")],
        [budget.get("amount")],
    ):
        found = _idr(values)
        if found is not None:
            return found
    return None


def fiscal_year(compiled: dict[str, Any]) -> int | None:
    """Return the fiscal year: budget period start, tender period start, else release date."""
    budget = _obj(_obj(compiled.get("planning")).get("budget"))
    tender = _obj(compiled.get("tender"))
    for candidate in (
        _obj(budget.get("period")).get("startDate"),
        _obj(tender.get("tenderPeriod")).get("startDate"),
        compiled.get("date"),
    ):
        parsed = parse_datetime(candidate) if isinstance(candidate, str) else None
        if parsed:
            return parsed.year
    return None


def buyer_name(compiled: dict[str, Any]) -> str:
    """Return the buyer's name from `buyer`, else the party with the buyer role."""
    name = _str(_obj(compiled.get("buyer")).get("name"))
    if name:
        return name
    for party in _list(compiled.get("parties")):
        if "buyer" in (party.get("roles") or []):
            return _str(party.get("name"))
    return ""


def _title(compiled: dict[str, Any]) -> str:
    tender = _obj(compiled.get("tender"))
    budget = _obj(_obj(compiled.get("planning")).get("budget"))
    for obj in (tender, *_list(compiled.get("contracts")), *_list(compiled.get("awards"))):
        if _str(obj.get("title")):
            return _str(obj.get("title"))
    return (
        _str(budget.get("project")) or _str(budget.get("description")) or compiled.get("ocid", "")
    )


def _npwps(compiled: dict[str, Any]) -> list[str]:
    """Return the 16-digit NPWP of each party identified by one (scheme ID-DJP), once each."""
    found = []
    for party in _list(compiled.get("parties")):
        for ident in [
            _obj(party.get("identifier")),
            *map(_obj, _list(party.get("additionalIdentifiers"))),
        ]:
            digits = (
                npwp_digits(_str(ident.get("id"))) if ident.get("scheme") == NPWP_SCHEME else None
            )
            if digits:
                found.append(digits)
    return found


def summarize(compiled: dict[str, Any]) -> ProcessSummary:
    """Return the ProcessSummary of a compiled release.

    Example: {"ocid":"ocds-tbk352-1","tender":{"title":"Jalan","procurementMethodDetails":
    "Tender","value":{"amount":5,"currency":"IDR"}}} → title "Jalan", method "tender",
    stage_reached "tender", value_idr 5.
    """
    tender = _obj(compiled.get("tender"))
    planning = _obj(compiled.get("planning"))
    stages = stages_present(compiled)
    title = _title(compiled)[:300]
    description = _str(tender.get("description")) or _str(planning.get("rationale"))
    buyer = buyer_name(compiled)[:300]
    words = [compiled.get("ocid", ""), title, description, buyer]
    words += [_str(p.get("name")) for p in _list(compiled.get("parties"))]
    words += [_str(i.get("description")) for i in _list(tender.get("items"))]
    words += _npwps(compiled)
    return ProcessSummary(
        title=title,
        description=description,
        fiscal_year=fiscal_year(compiled),
        method=METHOD_BY_DETAILS.get(_str(tender.get("procurementMethodDetails")), ""),
        stage_reached=stages[-1] if stages else "",
        stages_published=stages,
        value_idr=value_idr(compiled),
        buyer_name=buyer,
        search_text=with_root_forms(" ".join(w for w in dict.fromkeys(words) if w).lower())[
            :SEARCH_TEXT_LIMIT
        ],
    )
