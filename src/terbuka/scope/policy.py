"""Parse, format and hash a publication scope policy (terbuka/scope/v1, canonical RFC 8785).

A policy names its phase, the rules that make a process obligatory (a process matching any
rule is *wajib*, else *sukarela*) and, per stage, the deadline in working days after the
stage's event. Every key of a rule is optional: an absent criterion matches every process.

    {"format": "terbuka/scope/v1", "phase": "pilot",
     "rules": [{"name": "Pengadaan langsung s.d. Rp200 juta",
                "categories": ["goods", "services"],
                "methods": ["pengadaan_langsung", "e_purchasing"],
                "value_max": 200000000}],
     "deadlines": {"planning": 10, "tender": 3, "award": 5, "contract": 5,
                   "implementation": 10}}
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from terbuka.canonical import canonical_json
from terbuka.scope.errors import ScopeError

FORMAT = "terbuka/scope/v1"
PHASES = ("pilot", "expansion", "all")
CATEGORIES = ("goods", "works", "services", "consultingServices")
METHODS = ("tender", "seleksi", "pengadaan_langsung", "penunjukan_langsung", "e_purchasing")
STAGES = ("planning", "tender", "award", "contract", "implementation")
RULE_KEYS = ("name", "categories", "methods", "value_min", "value_max", "agencies")
MAX_DAYS = 120
MAX_RULES = 50


@dataclass(frozen=True)
class Rule:
    """Hold one rule: the criteria a process must all meet (None: any)."""

    name: str
    categories: tuple[str, ...] | None = None
    methods: tuple[str, ...] | None = None
    value_min: int | None = None
    value_max: int | None = None
    agencies: tuple[str, ...] | None = None

    def as_data(self) -> dict[str, Any]:
        """Return the rule as JSON data, absent criteria left out."""
        data: dict[str, Any] = {"name": self.name}
        for key in RULE_KEYS[1:]:
            value = getattr(self, key)
            if value is not None:
                data[key] = list(value) if isinstance(value, tuple) else value
        return data


@dataclass(frozen=True)
class Policy:
    """Hold a parsed scope policy: phase, rules and per-stage deadlines (working days)."""

    phase: str
    rules: tuple[Rule, ...]
    deadlines: dict[str, int]

    def as_data(self) -> dict[str, Any]:
        """Return the policy as its JSON data (what policy_hash covers)."""
        return {
            "format": FORMAT,
            "phase": self.phase,
            "rules": [r.as_data() for r in self.rules],
            "deadlines": dict(self.deadlines),
        }


def _fail(where: str, message_id: str, message_en: str) -> ScopeError:
    return ScopeError(f"{where}: {message_id}", f"{where}: {message_en}", where=where)


def _object(value: Any, where: str, allowed: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(where, "harus objek JSON", "must be a JSON object")
    unknown = sorted(set(value) - set(allowed))
    if unknown:
        raise _fail(
            f"{where}/{unknown[0]}",
            f"kunci tidak dikenal (boleh: {', '.join(allowed)})",
            f"unknown key (allowed: {', '.join(allowed)})",
        )
    return value


def _choices(value: Any, where: str, allowed: tuple[str, ...] | None) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise _fail(where, "harus daftar yang tidak kosong", "must be a non-empty list")
    for n, item in enumerate(value):
        if not isinstance(item, str) or not item or (allowed and item not in allowed):
            hint = f" ({', '.join(allowed)})" if allowed else ""
            raise _fail(
                f"{where}/{n}",
                f"nilai {item!r} tidak dikenal{hint}",
                f"unknown value {item!r}{hint}",
            )
    if len(set(value)) != len(value):
        raise _fail(where, "ada nilai ganda", "holds a duplicate value")
    return tuple(value)


def _integer(value: Any, where: str, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
        raise _fail(where, f"harus bilangan bulat 0–{high}", f"must be an integer 0–{high}")
    return value


def _rule(value: Any, where: str) -> Rule:
    data = _object(value, where, RULE_KEYS)
    name = data.get("name")
    if not isinstance(name, str) or not 3 <= len(name.strip()) <= 200:
        raise _fail(
            f"{where}/name", "harus teks 3–200 karakter", "must be text of 3–200 characters"
        )
    picked = {
        key: _choices(data[key], f"{where}/{key}", allowed)
        for key, allowed in (("categories", CATEGORIES), ("methods", METHODS), ("agencies", None))
        if key in data
    }
    bounds = {
        key: _integer(data[key], f"{where}/{key}", 10**15)
        for key in ("value_min", "value_max")
        if key in data
    }
    if bounds.get("value_min", 0) > bounds.get("value_max", 10**15):
        raise _fail(f"{where}/value_min", "melebihi value_max", "exceeds value_max")
    return Rule(name.strip(), **picked, **bounds)  # type: ignore[arg-type]


def policy_parse(value: Any) -> Policy:
    """Return the Policy of JSON data value, every field checked.

    Raises ScopeError naming the JSON pointer of the first fault (e.g. "/rules/0/methods/1"):
    not an object, an unknown key, a wrong format or phase, no rules, an unknown category or
    method, a negative or non-integer value bound, value_min above value_max, or a stage
    deadline that is missing or not 0–120 working days.
    """
    data = _object(value, "", ("format", "phase", "rules", "deadlines"))
    if data.get("format") != FORMAT:
        raise _fail("/format", f"harus {FORMAT!r}", f"must be {FORMAT!r}")
    if data.get("phase") not in PHASES:
        raise _fail(
            "/phase",
            f"harus salah satu dari {', '.join(PHASES)}",
            f"must be one of {', '.join(PHASES)}",
        )
    rules = data.get("rules")
    if not isinstance(rules, list) or not 1 <= len(rules) <= MAX_RULES:
        raise _fail(
            "/rules", f"harus daftar 1–{MAX_RULES} aturan", f"must be a list of 1–{MAX_RULES} rules"
        )
    deadlines = _object(data.get("deadlines"), "/deadlines", STAGES)
    days = {}
    for stage in STAGES:
        if stage not in deadlines:
            raise _fail(
                f"/deadlines/{stage}",
                "tenggat tahap ini belum ada",
                "this stage's deadline is missing",
            )
        days[stage] = _integer(deadlines[stage], f"/deadlines/{stage}", MAX_DAYS)
    return Policy(
        phase=data["phase"],
        rules=tuple(_rule(r, f"/rules/{n}") for n, r in enumerate(rules)),
        deadlines=days,
    )


def policy_format(policy: Policy) -> bytes:
    """Return the canonical RFC 8785 bytes of policy (what its hash covers)."""
    return canonical_json(policy.as_data())


def policy_hash(policy: Policy) -> str:
    """Return the hex SHA-256 of the policy's canonical bytes."""
    return hashlib.sha256(policy_format(policy)).hexdigest()
