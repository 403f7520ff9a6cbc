"""Selectors of the accounts app: who may do what (the role × action × agency matrix), and the
admin's lists of accounts and agencies."""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Count, Q, QuerySet

from terbuka_web.accounts.models import Agency, Role, User


class Action(StrEnum):
    """Name every write (and the draft read) that the matrix governs."""

    PROCESS_CREATE = "process_create"
    PROCESS_DELETE = "process_delete"
    STAGE_EDIT = "stage_edit"
    DOCUMENT_UPLOAD = "document_upload"
    STAGE_PUBLISH = "stage_publish"
    DRAFT_VIEW = "draft_view"
    OCDS_IMPORT = "ocds_import"
    USER_MANAGE = "user_manage"
    AGENCY_MANAGE = "agency_manage"
    GOVERNANCE_MANAGE = "governance_manage"
    REPORT_VERIFY = "report_verify"  # citizens' reports: verify, reject, forward (disposisi)
    REPORT_ANSWER = "report_answer"  # citizens' reports forwarded to the agency: follow up
    BUDGET_IMPORT = "budget_import"
    BUDGET_VILLAGE_EDIT = "budget_village_edit"
    REGISTRY_IMPORT = "registry_import"
    REGISTRY_IDENTITY_VIEW = "registry_identity_view"
    PROGRAMME_MANAGE = "programme_manage"
    FEDERATION_MANAGE = "federation_manage"
    WALLET_ENROL = "wallet_enrol"  # bind a citizen's wallet key at the desk (wallets app)
    MERCHANT_APPROVE = "merchant_approve"  # approve merchants for purpose-bound money


# Actions a role may take on its own agency's processes.
OWN_AGENCY_ACTIONS: dict[str, frozenset[Action]] = {
    Role.OPERATOR: frozenset(
        {
            Action.BUDGET_VILLAGE_EDIT,  # only an operator of a village's own Pemerintah Desa
            Action.PROCESS_CREATE,
            Action.PROCESS_DELETE,
            Action.STAGE_EDIT,
            Action.DOCUMENT_UPLOAD,
            Action.DRAFT_VIEW,
            Action.REPORT_ANSWER,
        }
    ),
    Role.PPTK: frozenset(
        {
            Action.PROCESS_CREATE,
            Action.PROCESS_DELETE,
            Action.STAGE_EDIT,
            Action.DOCUMENT_UPLOAD,
            Action.DRAFT_VIEW,
            Action.REPORT_ANSWER,
        }
    ),
    Role.PPK: frozenset({Action.STAGE_PUBLISH, Action.DRAFT_VIEW, Action.REPORT_ANSWER}),
    Role.PA: frozenset({Action.STAGE_PUBLISH, Action.DRAFT_VIEW, Action.REPORT_ANSWER}),
}
# Registry and programme actions of an agency's officials (benefits app): on registrants of the
# agency's government region only (benefits.selectors.identity_visible checks the region).
REGISTRY_ACTIONS: dict[str, frozenset[Action]] = {
    Role.OPERATOR: frozenset(
        {Action.REGISTRY_IMPORT, Action.REGISTRY_IDENTITY_VIEW, Action.WALLET_ENROL}
    ),
    Role.PPK: frozenset(
        {
            Action.REGISTRY_IDENTITY_VIEW,
            Action.PROGRAMME_MANAGE,
            Action.WALLET_ENROL,
            Action.MERCHANT_APPROVE,
        }
    ),
    Role.PA: frozenset(
        {
            Action.REGISTRY_IDENTITY_VIEW,
            Action.PROGRAMME_MANAGE,
            Action.WALLET_ENROL,
            Action.MERCHANT_APPROVE,
        }
    ),
}
# Every action a role may take on its own agency: the two tables above, folded once.
AGENCY_ACTIONS: dict[str, frozenset[Action]] = {
    role: OWN_AGENCY_ACTIONS.get(role, frozenset()) | REGISTRY_ACTIONS.get(role, frozenset())
    for role in (*OWN_AGENCY_ACTIONS, *REGISTRY_ACTIONS)
}
# Actions a role may take whatever the agency (system-wide roles).
GLOBAL_ACTIONS: dict[str, frozenset[Action]] = {
    Role.ADMIN: frozenset(
        {
            Action.OCDS_IMPORT,
            Action.USER_MANAGE,
            Action.AGENCY_MANAGE,
            Action.DRAFT_VIEW,
            Action.GOVERNANCE_MANAGE,
            Action.REPORT_VERIFY,
            Action.BUDGET_IMPORT,
            Action.REGISTRY_IMPORT,
            Action.PROGRAMME_MANAGE,
            Action.FEDERATION_MANAGE,
        }
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
    if action not in AGENCY_ACTIONS.get(user.role, frozenset()):
        return False
    return agency is not None and user.agency_id is not None and user.agency_id == agency.pk


def user_list(
    *, q: str = "", role: str = "", agency: str = "", active: bool | None = None
) -> QuerySet[User]:
    """Return the accounts matching q (username, name or e-mail), role, agency code and
    active state, ordered by username."""
    users = User.objects.select_related("agency").order_by("username")
    if q:
        users = users.filter(
            Q(username__icontains=q) | Q(first_name__icontains=q) | Q(email__icontains=q)
        )
    if role:
        users = users.filter(role=role)
    if agency:
        users = users.filter(agency__code=agency)
    if active is not None:
        users = users.filter(is_active=active)
    return users


def agency_list(*, q: str = "") -> QuerySet[Agency]:
    """Return the agencies matching q (name or code) with their number of accounts, by name."""
    agencies = Agency.objects.select_related("government").annotate(accounts=Count("users"))
    if q:
        agencies = agencies.filter(Q(name__icontains=q) | Q(code__icontains=q))
    return agencies.order_by("name")
