"""Declare what a rule may read about a registrant, and build the CEL activation for one.

Names (CEL type): region (string, the Kemendagri village code "35.22.01.2001"), desil (int,
income decile 1–10), household (int, household size), disabilitas, lansia, meninggal
(bool), today (string, ISO date "2027-01-31"), disaster_zones (list of string region codes)
and p (map: the rule set's parameters). Nothing else (no NIK, name or address) is declared,
so a rule cannot read identity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from celpy import celtypes
from celpy.adapter import json_to_cel

DECLARED: dict[str, str] = {
    "region": "string",
    "desil": "int",
    "household": "int",
    "disabilitas": "bool",
    "lansia": "bool",
    "meninggal": "bool",
    "today": "string",
    "disaster_zones": "list(string)",
    "p": "map(string, dyn)",
}


@dataclass(frozen=True, slots=True)
class Registrant:
    """Hold the attributes a rule may read of one registrant; row names it in errors."""

    row: str
    region: str
    desil: int
    household: int
    disabilitas: bool = False
    lansia: bool = False
    meninggal: bool = False
    duplicate: bool = False


@dataclass(frozen=True, slots=True)
class Context:
    """Hold what is the same for every registrant of one evaluation: date, zones, parameters."""

    today: dt.date
    disaster_zones: Sequence[str] = ()
    parameters: Mapping[str, Any] | None = None

    def shared(self) -> dict[str, Any]:
        """Return the CEL values of today, disaster_zones and p."""
        return {
            "today": celtypes.StringType(self.today.isoformat()),
            "disaster_zones": json_to_cel(list(self.disaster_zones)),
            "p": json_to_cel(dict(self.parameters or {})),
        }


def activation(registrant: Registrant, shared: Mapping[str, Any]) -> dict[str, Any]:
    """Return the CEL activation of registrant with the shared values of a Context."""
    return {
        "region": celtypes.StringType(registrant.region),
        "desil": celtypes.IntType(registrant.desil),
        "household": celtypes.IntType(registrant.household),
        "disabilitas": celtypes.BoolType(registrant.disabilitas),
        "lansia": celtypes.BoolType(registrant.lansia),
        "meninggal": celtypes.BoolType(registrant.meninggal),
        **shared,
    }
