"""Services of the accounts app: the audit trail and permission enforcement for writes."""

from __future__ import annotations

from typing import Any

from terbuka.errors import TerbukaError
from terbuka_web.accounts.models import Agency, AuditEvent, User
from terbuka_web.accounts.selectors import Action, user_can


class PermissionDenied(TerbukaError):
    """Report a write the user's role or agency does not allow."""

    code = "forbidden"


def permission_require(*, user: User | None, action: Action, agency: Agency | None = None) -> None:
    """Raise PermissionDenied unless user may take action on agency."""
    if not user_can(user, action, agency):
        who = getattr(user, "username", "anonim") or "anonim"
        raise PermissionDenied(
            f"{who} tidak berwenang untuk {action}" + (f" pada {agency.name}" if agency else ""),
            f"{who} is not allowed to {action}" + (f" for {agency.name}" if agency else ""),
        )


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: str = "",
    agency: Agency | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit event (source:subject:action) in the caller's transaction."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_username=getattr(actor, "username", "") or "",
        action=action,
        target=target,
        agency=agency,
        data=data or {},
    )
