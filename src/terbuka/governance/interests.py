"""Match members' declared interests against what a proposal touches (conflicts of interest).

Interests are (kind, value): supplier_npwp, supplier_name, agency, region, family. A proposal
touches {"suppliers_npwp": [...], "suppliers_name": [...], "agencies": [...], "regions": [...]}.
NPWPs compare by their digits, names case- and space-insensitively, agency and region codes
exactly. Family ties are free text: shown in the register, never matched automatically.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from terbuka.governance.errors import GovernanceError

INTEREST_KINDS = ("supplier_npwp", "supplier_name", "agency", "region", "family")
TOUCH_KEYS = {
    "supplier_npwp": "suppliers_npwp",
    "supplier_name": "suppliers_name",
    "agency": "agencies",
    "region": "regions",
}


@dataclass(frozen=True)
class Interest:
    """Hold one declared interest: its kind and value as declared."""

    kind: str
    value: str


def _normal(kind: str, value: str) -> str:
    """Return value in the form compared for kind (NPWP digits, folded name, code)."""
    if kind == "supplier_npwp":
        return re.sub(r"\D", "", value)
    if kind == "supplier_name":
        return " ".join(value.casefold().split())
    return value.strip()


def touches_check(touches: Mapping[str, object]) -> dict[str, list[str]]:
    """Return touches with every key a list of non-empty strings; raise GovernanceError."""
    allowed = set(TOUCH_KEYS.values())
    clean: dict[str, list[str]] = {}
    for key, values in touches.items():
        if key not in allowed or not isinstance(values, list):
            raise GovernanceError(
                f"bidang yang disentuh {key!r} tidak dikenal (boleh: {', '.join(sorted(allowed))})",
                f"unknown touched field {key!r} (allowed: {', '.join(sorted(allowed))})",
                where=f"touches.{key}",
            )
        clean[key] = [str(v).strip() for v in values if str(v).strip()]
    return clean


def conflicts_find(interests: Iterable[Interest], touches: Mapping[str, list[str]]) -> list[str]:
    """Return "kind: value" for each declared interest the proposal touches (empty: no conflict).

    Example: Interest("supplier_npwp", "01.234.567.8-901.000") against
    {"suppliers_npwp": ["012345678901000"]} → ["supplier_npwp: 01.234.567.8-901.000"].
    """
    found: list[str] = []
    for interest in interests:
        key = TOUCH_KEYS.get(interest.kind)
        if key is None:
            continue
        wanted = _normal(interest.kind, interest.value)
        if wanted and any(_normal(interest.kind, v) == wanted for v in touches.get(key, [])):
            found.append(f"{interest.kind}: {interest.value}")
    return found
