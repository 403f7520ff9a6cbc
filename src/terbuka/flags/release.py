"""Read the parts of a compiled release that the indicators use, tolerating any shape.

Compiled releases come from anywhere (imported OCDS), so every accessor returns a neutral
value (None, [], {}) when a field is missing or has the wrong JSON type, as Cardinal's
pattern matching does. OCDS 1.1.5 §Release schema: `tender`, `bids.details[]` (Bid
statistics and details extension), `awards[]`, `contracts[]`, `buyer`, `parties[]`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

JsonObject = dict[str, Any]

# RFC 3339 §5.6 date-time: what chrono's parse_from_rfc3339 accepts (T, t or space).
RFC3339 = re.compile(r"\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(?:\.\d+)?(?:[Zz]|[+-]\d\d:\d\d)")
SUBMITTED_EXCLUDED = ("invited", "withdrawn")


def obj(value: Any, key: str) -> JsonObject:
    """Return value[key] when value is an object and value[key] is an object, else {}."""
    found = value.get(key) if type(value) is dict else None
    return found if type(found) is dict else {}


def array(value: Any, key: str) -> list[Any]:
    """Return value[key] when value is an object and value[key] is an array, else []."""
    found = value.get(key) if type(value) is dict else None
    return found if type(found) is list else []


def text(value: Any, key: str) -> str | None:
    """Return value[key] when value is an object and value[key] is a string, else None."""
    found = value.get(key) if type(value) is dict else None
    return found if type(found) is str else None


def number(value: Any, key: str) -> float | None:
    """Return value[key] as a float when it is a JSON number (not a boolean), else None."""
    found = value.get(key) if type(value) is dict else None
    kind = type(found)
    if kind is float:
        return found
    if kind is not int:
        return None
    try:
        return float(found)  # type: ignore[arg-type]
    except OverflowError:
        return None


def ident(value: Any) -> str | None:
    """Return value["id"] when it is a string (organization and award references)."""
    return text(value, "id")


def has_status(value: Any, status: str) -> bool:
    """Return whether value["status"] is the given code."""
    return text(value, "status") == status


def rfc3339(value: str | None) -> datetime | None:
    """Return the aware datetime of an RFC 3339 date-time string, or None when it is not one.

    Example: "2000-01-01T18:00:00Z" → 2000-01-01 18:00 UTC; "2000-01-01" → None.
    """
    if value is None or not RFC3339.fullmatch(value):
        return None
    try:
        return datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))
    except ValueError:
        return None


def tender_is_cancelled(release: JsonObject) -> bool:
    """Return whether `tender.status` is "cancelled" (Cardinal excludes such processes)."""
    return has_status(obj(release, "tender"), "cancelled")


def matches_methods(release: JsonObject, methods: frozenset[str]) -> bool:
    """Return whether `tender.procurementMethod` is in methods (any, when methods is empty)."""
    if not methods:
        return True
    return text(obj(release, "tender"), "procurementMethod") in methods


def matches_details(release: JsonObject, include: frozenset[str], exclude: frozenset[str]) -> bool:
    """Return whether `tender.procurementMethodDetails` passes an allow list or a deny list.

    A non-empty include (allow list) wins: the details must be in it, and a process without
    details does not match. Otherwise the details must not be in exclude (deny list), and a
    process without details matches.
    """
    details = text(obj(release, "tender"), "procurementMethodDetails")
    if details is None:
        return not include
    return details in include if include else details not in exclude


def bids(release: JsonObject) -> list[Any]:
    """Return `bids.details`."""
    return array(obj(release, "bids"), "details")


def submitted_bids(release: JsonObject) -> Iterator[JsonObject]:
    """Yield the submitted bids: a string status other than invited or withdrawn."""
    for bid in bids(release):
        status = text(bid, "status")
        if status is not None and status not in SUBMITTED_EXCLUDED:
            yield bid


def final_awards(release: JsonObject) -> list[JsonObject] | None:
    """Return the active awards when every award with a status is final, else None.

    Final means active, cancelled or unsuccessful; a pending, invalid or unknown status makes
    results unstable, so Cardinal skips the process. None also when `awards` or
    `bids.details` is missing (bids are needed by every caller).
    """
    awards = release.get("awards")
    if not isinstance(awards, list) or not isinstance(obj(release, "bids").get("details"), list):
        return None
    active = []
    for award in awards:
        status = text(award, "status")
        if status == "active":
            active.append(award)
        elif status is not None and status not in ("cancelled", "unsuccessful"):
            return None
    return active


def single_supplier(award: JsonObject) -> str | None:
    """Return the id of the award's supplier when it has exactly one supplier, else None."""
    suppliers = array(award, "suppliers")
    return ident(suppliers[0]) if len(suppliers) == 1 else None


def sole_supplier(release: JsonObject) -> str | None:
    """Return the supplier id of the process's only active award, all awards being final.

    None when an award is not final, there is not exactly one active award, or that award
    has not exactly one supplier (Cardinal's R024/R025/R058 exclusions).
    """
    awards = final_awards(release)
    return single_supplier(awards[0]) if awards is not None and len(awards) == 1 else None


def single_tenderer(bid: JsonObject) -> str | None:
    """Return the id of the bid's tenderer when it has exactly one tenderer, else None."""
    tenderers = array(bid, "tenderers")
    return ident(tenderers[0]) if len(tenderers) == 1 else None


def bid_price(bid: JsonObject) -> tuple[float, str] | None:
    """Return (amount, currency) of `bid.value` when both are set with the right types."""
    value = obj(bid, "value")
    amount, currency = number(value, "amount"), text(value, "currency")
    return None if amount is None or currency is None else (amount, currency)


def supplier_ids(awards: list[Any]) -> set[str]:
    """Return the ids of every supplier of the given awards."""
    return {sid for award in awards for s in array(award, "suppliers") if (sid := ident(s))}
