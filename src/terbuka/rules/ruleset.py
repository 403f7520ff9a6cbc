"""Parse, canonicalise and hash a programme's rule set (eligibility, entitlement, parameters).

Wire form (its RFC 8785 bytes are what the hash covers):
    {"eligibility": "desil <= p.max_desil && !meninggal",
     "entitlement": "p.base + (household > 4 ? p.extra : 0)",
     "parameters": {"base": 300000, "extra": 100000, "max_desil": 4}}
rule_hash is the lowercase SHA-256 hex of those bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from terbuka.canonical import canonical_json
from terbuka.errors import FormatError
from terbuka.rules.compile import rule_compile
from terbuka.rules.errors import RuleError

PARAMETER_NAME_MAX = 40
FIELDS = ("eligibility", "entitlement", "parameters")


@dataclass(frozen=True)
class RuleSet:
    """Hold one rule set as adopted: both expressions and their parameters."""

    eligibility: str
    entitlement: str
    parameters: Mapping[str, Any] = field(default_factory=dict)

    def as_data(self) -> dict[str, Any]:
        """Return the wire form (a plain dict) of the rule set."""
        return {
            "eligibility": self.eligibility,
            "entitlement": self.entitlement,
            "parameters": dict(self.parameters),
        }

    def canonical(self) -> bytes:
        """Return the RFC 8785 bytes of the wire form."""
        return canonical_json(self.as_data())

    def hash(self) -> str:
        """Return the SHA-256 hex of the canonical bytes (the rule hash)."""
        return hashlib.sha256(self.canonical()).hexdigest()


def _parameter_check(name: object, value: object) -> None:
    """Raise RuleError unless name is an identifier and value an int, str, bool or list of those."""
    where = f"parameters.{name}"
    if not isinstance(name, str) or not name.isidentifier() or len(name) > PARAMETER_NAME_MAX:
        raise RuleError(
            f"nama parameter {name!r} tidak sah (huruf, angka, garis bawah)",
            f"parameter name {name!r} is not valid (letters, digits, underscore)",
            where=where,
        )
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, int | str) for item in items):
        raise RuleError(
            f"parameter {name} harus bilangan bulat, teks, benar/salah atau daftarnya",
            f"parameter {name} must be an integer, text, boolean or a list of those",
            where=where,
        )


def ruleset_parse(data: object) -> RuleSet:
    """Return the RuleSet of data (the wire form), both expressions compiled once to check them.

    Raises RuleError naming the field (e.g. where "entitlement:1:5" for a syntax error, or
    "parameters.base") when a field is missing, of the wrong type, or does not compile.
    """
    if not isinstance(data, dict) or set(data) - set(FIELDS):
        raise RuleError(
            "aturan harus objek dengan eligibility, entitlement dan parameters",
            "rules must be an object with eligibility, entitlement and parameters",
            where="rules",
        )
    texts = {}
    for name in ("eligibility", "entitlement"):
        text = data.get(name)
        if not isinstance(text, str):
            raise RuleError(
                f"ekspresi {name} harus teks", f"the {name} expression must be text", where=name
            )
        rule_compile(text, name=name)
        texts[name] = text.strip()
    parameters = data.get("parameters", {})
    if not isinstance(parameters, dict):
        raise RuleError(
            "parameters harus objek", "parameters must be an object", where="parameters"
        )
    for key, value in parameters.items():
        _parameter_check(key, value)
    try:
        canonical_json(parameters)  # integers beyond 2^53 and the like are refused here
    except FormatError as exc:
        raise RuleError(exc.message_id, exc.message_en, where="parameters") from exc
    return RuleSet(texts["eligibility"], texts["entitlement"], dict(parameters))
