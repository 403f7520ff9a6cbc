"""Selectors of the accounts app: who may do what (the role × action × agency matrix)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from terbuka_web.accounts.models import Role

if TYPE_CHECKING:
    from terbuka_web.accounts.models import Agency, User


class Action(StrEnum):
    """Name every write (and the draft read) that the matrix governs."""

    PROCESS_CREATE = "process_create"
    STAGE_EDIT = "stage_edit"
    DOCUMENT_UPLOAD = "document_upload"
    STAGE_PUBLISH = "stage_publish"
    DRAFT_VIEW = "draft_view"
    OCDS_IMPORT = "ocds_import"
    USER_MANAGE = "user_manage"
    AGENCY_MANAGE = "agency_manage"


# Actions a role may take on its own agency's processes.
OWN_AGENCY_ACTIONS: dict[str, frozenset[Action]] = {
    Role.OPERATOR: frozenset(
        {Action.PROCESS_CREATE, Action.STAGE_EDIT, Action.DOCUMENT_UPLOAD, Action.DRAFT_VIEW}
    ),
    Role.PPTK: frozenset(
        {Action.PROCESS_CREATE, Action.STAGE_EDIT, Action.DOCUMENT_UPLOAD, Action.DRAFT_VIEW}
    ),
    Role.PPK: frozenset({Action.STAGE_PUBLISH, Action.DRAFT_VIEW}),
    Role.PA: frozenset({Action.STAGE_PUBLISH, Action.DRAFT_VIEW}),
}
# Actions a role may take whatever the agency (system-wide roles).
GLOBAL_ACTIONS: dict[str, frozenset[Action]] = {
    Role.ADMIN: frozenset(
        {Action.OCDS_IMPORT, Action.USER_MANAGE, Action.AGENCY_MANAGE, Action.DRAFT_VIEW}
    ),
    Role.AUDITOR: frozenset({Action.DRAFT_VIEW}),
}


def user_can(user: User | None, action: Action, agency: Agency | None = None) -> bool:
    """Report whether user may take action, on agency's processes where one is given.

    Anonymous and inactive users may do nothing. Agency-bound roles act only on their own
    agency; admin and auditor act system-wide within their (narrow) sets.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if action in GLOBAL_ACTIONS.get(user.role, frozenset()):
        return True
    if action not in OWN_AGENCY_ACTIONS.get(user.role, frozenset()):
        return False
    return agency is not None and user.agency_id is not None and user.agency_id == agency.pk
