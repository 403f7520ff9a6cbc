"""Register what each proposal type checks before it is proposed and applies once decided.

An app that owns a proposal type registers it once, at import (its AppConfig.ready):

    effect_register("scope_change", check=scope_payload_check, apply=scope_decision_apply)

check(payload) returns the cleaned payload or raises a TerbukaError (nothing is proposed);
apply(decision) runs inside the decision's transaction (a failure rolls the decision back).
A type nobody registered takes any JSON object and has no effect beyond its decision.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from terbuka.governance.errors import GovernanceError

if TYPE_CHECKING:
    from terbuka_web.governance.models import Decision

PayloadCheck = Callable[[dict[str, Any]], dict[str, Any]]
DecisionApply = Callable[["Decision"], None]


def _payload_any(payload: dict[str, Any]) -> dict[str, Any]:
    return payload


def _apply_nothing(decision: Decision) -> None:
    """Apply nothing: the decision itself is the effect (e.g. a charter amendment)."""


@dataclass(frozen=True)
class Effect:
    """Hold one proposal type's payload check and decision effect."""

    check: PayloadCheck = _payload_any
    apply: DecisionApply = _apply_nothing


_EFFECTS: dict[str, Effect] = {}


def effect_register(
    proposal_type: str, *, check: PayloadCheck | None = None, apply: DecisionApply | None = None
) -> None:
    """Register check and apply for proposal_type, replacing an earlier registration."""
    _EFFECTS[proposal_type] = Effect(check or _payload_any, apply or _apply_nothing)


def effect_for(proposal_type: str) -> Effect:
    """Return the registered Effect of proposal_type, or the default one."""
    return _EFFECTS.get(proposal_type, Effect())


def payload_check(proposal_type: str, payload: Any) -> dict[str, Any]:
    """Return payload cleaned by its type's check; raise GovernanceError unless an object."""
    if not isinstance(payload, dict):
        raise GovernanceError(
            "muatan usulan harus objek JSON",
            "the proposal payload must be a JSON object",
            where="payload",
        )
    return effect_for(proposal_type).check(payload)
