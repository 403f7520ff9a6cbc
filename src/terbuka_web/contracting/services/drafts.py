"""Save the draft of a stage after checking its data.

Part of contracting.services (see its docstring).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db import transaction
from django.utils import timezone

from terbuka_web.accounts.models import User
from terbuka_web.accounts.selectors import Action
from terbuka_web.accounts.services import audit_record, permission_require
from terbuka_web.contracting.models import Process, StageDraft
from terbuka_web.contracting.services.checks import (
    UnconfirmedWarnings,
    _native_require,
    _stage_check,
    stage_data_check,
    stage_warnings,
)
from terbuka_web.scope.services import process_scope_refresh


@transaction.atomic
def stage_draft_save(
    *,
    user: User,
    process: Process,
    stage: str,
    data: dict[str, Any],
    confirmed: Collection[str] = (),
) -> StageDraft:
    """Save data as the draft of process's stage, after checking it builds a valid release.

    confirmed holds the keys of the implausible values the user confirmed (Concern.key, e.g.
    "zero_value:amount"); each is recorded with the draft: key, messages, user, time.
    Raises PermissionDenied, ValidationError for invalid or impossible data, or
    UnconfirmedWarnings listing the implausible values not confirmed (nothing written).
    """
    permission_require(user=user, action=Action.STAGE_EDIT, agency=process.agency)
    _native_require(process)
    _stage_check(stage)
    stage_data_check(process=process, stage=stage, data=data)
    warnings = stage_warnings(process=process, stage=stage, data=data)
    missing = [w for w in warnings if w.key not in confirmed]
    if missing:
        raise UnconfirmedWarnings(missing)
    now = timezone.now().isoformat(timespec="seconds")
    confirmations = [
        {
            "key": w.key,
            "message_id": w.message_id,
            "message_en": w.message_en,
            "user": user.username,
            "at": now,
        }
        for w in warnings
    ]
    draft, _created = StageDraft.objects.update_or_create(
        process=process,
        stage=stage,
        defaults={"data": data, "updated_by": user, "confirmations": confirmations},
    )
    audit_record(
        actor=user,
        action="contracting:stage:save",
        target=f"{process.ocid}/{stage}",
        agency=process.agency,
        data={"confirmed": [w.key for w in warnings]} if warnings else None,
    )
    published = Process.objects.filter(pk=process.pk, first_published_at__isnull=False)
    if published.exists():  # an unpublished process has no scope rows to rewrite
        process_scope_refresh(process_ids=[process.pk])  # a stage's event may now be known
    return draft
