"""JSON API of the scope app: the publication scope in force, at /api/governance/scope."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from terbuka_web.api.errors import ERRORS
from terbuka_web.scope.models import ScopeVersion
from terbuka_web.scope.selectors import scope_in_force, scope_next

router = Router(tags=["governance"])


class VersionOut(Schema):
    decision_id: int
    proposal_hash: str
    phase: str
    effective_from: datetime
    policy_hash: str
    policy: dict[str, Any]


class ScopeOut(Schema):
    in_force: VersionOut | None
    next: VersionOut | None
    decision_id: int | None
    policy: dict[str, Any] | None


def version_out(version: ScopeVersion | None) -> dict[str, Any] | None:
    """Return the API view of version (None stays None)."""
    if version is None:
        return None
    return {
        "decision_id": version.decision_id,
        "proposal_hash": version.decision.proposal.hash,
        "phase": version.phase,
        "effective_from": version.effective_from,
        "policy_hash": version.hash,
        "policy": version.policy,
    }


@router.get("/scope", response={200: ScopeOut, **ERRORS})
def scope(request: HttpRequest) -> dict[str, Any]:
    """Cakupan publikasi yang berlaku / the publication scope in force, with its decision id.

    policy and decision_id are those of the version in force (null before the first
    decision); next is the decided version that comes into force later, if any. Example:
    {"decision_id": 3, "policy": {"format": "terbuka/scope/v1", "phase": "pilot", ...},
    "in_force": {...}, "next": null}.
    """
    current = version_out(scope_in_force())
    return {
        "in_force": current,
        "next": version_out(scope_next()),
        "decision_id": current["decision_id"] if current else None,
        "policy": current["policy"] if current else None,
    }
