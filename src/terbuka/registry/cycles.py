"""Name registrants per programme, shape the public log entries of a cycle, recompute its totals.

A disbursement cycle appends one entry per credit and one total per village (no identity):

    {"amount":300000,"cycle":1,"kind":"benefit.credit","programme":"blt-desil",
     "pseudonym":"5d0c…(32 hex)","village_code":"35.22.01.2001"}
    {"credited":2100000,"cycle":1,"kind":"benefit.village_total","programme":"blt-desil",
     "village_code":"35.22.01.2001"}

The pseudonym is HMAC-SHA-256 under a key derived from the registry key over the programme id
and the registrant's NIK hash, truncated to 128 bits: stable within a programme (one person,
one pseudonym, across cycles), unlinkable across programmes, never the NIK hash itself.
cycle_totals recomputes the per-village totals from the log's entries alone, so anyone holding
the public log can compare them with what the portal publishes (`terbuka verify --programme`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from terbuka.bounds import MAX_SAFE_INTEGER as _SAFE
from terbuka.canonical import canonical_json, canonical_string
from terbuka.errors import FormatError, VerificationError
from terbuka.registry.identity import keyed_hash

CREDIT = "benefit.credit"
VILLAGE_TOTAL = "benefit.village_total"
CLAWBACK = "benefit.clawback"
PSEUDONYM_HEX = 32


def pseudonym(key: bytes, programme: str, nik_hash: str) -> str:
    """Return registrant's pseudonym (32 hex) in programme; e.g. ("k", "blt", "ab…") → "5d0c…"."""
    return keyed_hash(key, "pseudonym", f"{programme}:{nik_hash}")[:PSEUDONYM_HEX]


def credit_payload(
    *, programme: str, cycle: int, pseudonym: str, amount: int, village_code: str
) -> dict[str, Any]:
    """Return the payload of one benefit.credit entry (kind added by the log)."""
    return {
        "programme": programme, "cycle": cycle, "pseudonym": pseudonym, "amount": amount,
        "village_code": village_code,
    }  # fmt: skip


def credit_entry(
    *, programme: str, cycle: int, pseudonym: str, amount: int, village_code: str
) -> bytes:
    """Return the log entry bytes of one credit: canonical_json of {"kind": CREDIT, **payload}.

    Built by string for a cycle's million entries (a property test compares the two): the
    member names are fixed and sorted, the strings escaped by canonical_string; numbers that
    are not plain integers within 2^53 take canonical_json itself.
    """
    if type(amount) is not int or type(cycle) is not int or max(abs(amount), abs(cycle)) > _SAFE:
        return canonical_json({"kind": CREDIT, **credit_payload(
            programme=programme, cycle=cycle, pseudonym=pseudonym, amount=amount,
            village_code=village_code)})  # fmt: skip
    return (
        f'{{"amount":{amount},"cycle":{cycle},"kind":"{CREDIT}","programme":'
        f'{canonical_string(programme)},"pseudonym":{canonical_string(pseudonym)},'
        f'"village_code":{canonical_string(village_code)}}}'
    ).encode()


def village_total_payload(
    *, programme: str, cycle: int, village_code: str, credited: int
) -> dict[str, Any]:
    """Return the payload of one benefit.village_total entry (kind added by the log)."""
    return {"programme": programme, "cycle": cycle, "village_code": village_code,
            "credited": credited}  # fmt: skip


@dataclass
class CycleTotals:
    """Hold a cycle's totals read from the log: recomputed from credits, and as published."""

    credited: dict[str, int] = field(default_factory=dict)
    credits: int = 0
    logged_totals: dict[str, int] = field(default_factory=dict)


def _entry(data: bytes) -> dict[str, Any] | None:
    """Return data as a JSON object, or None for anything else (other kinds of entry)."""
    try:
        value = json.loads(data)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def cycle_totals(entries: Iterable[bytes], programme: str, cycle: int) -> CycleTotals:
    """Return programme's cycle totals per village recomputed from log entries alone.

    Raises VerificationError when a pseudonym is credited twice in the cycle (paid twice) or
    a village's total is logged twice.
    """
    totals, seen = CycleTotals(), set()
    for data in entries:
        entry = _entry(data)
        if entry is None or entry.get("programme") != programme or entry.get("cycle") != cycle:
            continue
        village = str(entry.get("village_code"))
        if entry.get("kind") == CREDIT:
            if entry.get("pseudonym") in seen:
                raise VerificationError(
                    f"pseudonim {entry.get('pseudonym')} dikreditkan dua kali di siklus {cycle}",
                    f"pseudonym {entry.get('pseudonym')} is credited twice in cycle {cycle}",
                    where=village,
                )
            seen.add(entry.get("pseudonym"))
            totals.credited[village] = totals.credited.get(village, 0) + int(entry["amount"])
            totals.credits += 1
        elif entry.get("kind") == VILLAGE_TOTAL:
            if village in totals.logged_totals:
                raise VerificationError(
                    f"total desa {village} dicatat dua kali",
                    f"village {village} totalled twice",
                    where=village,
                )
            totals.logged_totals[village] = int(entry["credited"])
    return totals


def published_parse(data: bytes) -> dict[str, int]:
    """Return {village_code: credited} of the portal's answer to GET /api/benefits/programmes/
    {id}/cycles/{n}/villages ([{"village_code": "35.22.01.2001", "credited": 2100000, …}]).

    Raises FormatError when it is not such a JSON list.
    """
    try:
        rows = json.loads(data)
        if not isinstance(rows, list):
            raise TypeError("not a list")
        return {str(r["village_code"]): int(r["credited"]) for r in rows}
    except (ValueError, TypeError, KeyError) as exc:
        raise FormatError(
            f"total yang diterbitkan bukan daftar JSON desa: {exc}",
            f"the published totals are not a JSON list of villages: {exc}",
            where="--published",
        ) from exc


def totals_differences(expected: dict[str, int], shown: dict[str, int]) -> list[str]:
    """Return "village: expected X, shown Y" for every village whose figures differ.

    Villages shown with 0 and absent from expected agree (a village of refusals only).
    """
    return [
        f"{code}: {expected.get(code, 0)} ≠ {shown.get(code, 0)}"
        for code in sorted(set(expected) | set(shown))
        if expected.get(code, 0) != shown.get(code, 0)
    ]
