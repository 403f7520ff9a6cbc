"""Hash a proposal canonically: hex SHA-256 of its RFC 8785 JSON.

The hash is what every vote signs, what the log's decision entry names and what
`GET /api/governance/decisions` reports as proposal_hash.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from terbuka.canonical import canonical_json
from terbuka.governance.errors import GovernanceError

HASH_HEX = re.compile(r"[0-9a-f]{64}")


def proposal_hash(proposal: dict[str, Any]) -> str:
    """Return the lowercase hex SHA-256 of proposal's RFC 8785 canonical JSON.

    Raises FormatError when proposal holds something JSON cannot carry.
    Example: {"b": 1, "a": "x"} hashes the bytes {"a":"x","b":1}.
    """
    return hashlib.sha256(canonical_json(proposal)).hexdigest()


def hash_check(text: str, where: str = "proposal") -> str:
    """Return text when it is 64 lowercase hex digits, else raise GovernanceError."""
    if not HASH_HEX.fullmatch(text):
        raise GovernanceError(
            f"hash usulan harus 64 digit heksadesimal huruf kecil, bukan {text[:80]!r}",
            f"a proposal hash must be 64 lowercase hex digits, not {text[:80]!r}",
            where=where,
        )
    return text
