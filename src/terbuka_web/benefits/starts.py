"""Ask for cycles and attempt them once per change: officers' requests, refusals, retries.

Every condition that asks for a cycle of a programme is a CycleStart named by its trigger
(schedule.py notes the schedule's months and declared disasters; cycle_request an officer's
request from the web or the API). The benefits tick attempts each pending start with
start_attempt. A refused start is recorded once with its reason and the fingerprint of
what the refusal depended on: the rule version in force, the programme fund's balance, the
last registry import and the disaster zones the cycle reads (a declaration's own regions for
its cycle, else those declared that day). The tick leaves it until the
fingerprint changes (new rules adopted, the fund topped up or clawed back into, a registry
import, a declaration) or an officer retries it (start_retry); so a refusal is neither
retried nor notified every minute.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from terbuka.errors import TerbukaError, ValidationError
from terbuka_web.accounts.models import User
from terbuka_web.accounts.selectors import Action
from terbuka_web.accounts.services import audit_record, permission_require
from terbuka_web.benefits.cycles import cycle_run, fund_account
from terbuka_web.benefits.disasters import cycle_zones
from terbuka_web.benefits.models import (
    Cycle,
    CycleStart,
    OfficerToken,
    Programme,
    RegistryImport,
)
from terbuka_web.common.tokens import token_digest
from terbuka_web.ledger.models import Account

OFFICER = "petugas:"


def start_fingerprint(programme: Programme, day: dt.date, trigger: str) -> str:
    """Return what trigger's cycle of programme on day depends on, e.g.
    "v3|dana 900000|impor 7|zona 1f0c…"."""
    balance = (
        Account.objects.filter(key=fund_account(programme))
        .values_list("balance", flat=True)
        .first()
    )
    source = RegistryImport.objects.order_by("-id").values_list("id", flat=True).first()
    zones = hashlib.sha256(",".join(cycle_zones(trigger, day)).encode()).hexdigest()[:16]
    return f"v{programme.current_id}|dana {balance or 0}|impor {source or 0}|zona {zones}"


def start_note(programme: Programme, trigger: str) -> None:
    """Record that trigger asks for a cycle of programme (once: a second note is a no-op)."""
    if programme.starts.filter(trigger=trigger).exists():
        return
    try:
        with transaction.atomic():
            CycleStart.objects.create(programme=programme, trigger=trigger)
    except IntegrityError:  # another tick noted it between our check and our insert
        pass


def _refuse_if_rules_missing(programme: Programme) -> None:
    if programme.current is None:
        raise ValidationError(
            "program belum punya aturan yang berlaku", "the programme has no rules in force",
            where="programme",
        )  # fmt: skip


@transaction.atomic
def cycle_request(*, actor: User, programme: Programme) -> CycleStart:
    """Ask for a new cycle of programme now, as actor; the benefits tick starts it.

    Raises PermissionDenied unless actor manages programme's agency; ValidationError when the
    programme has no rules in force or an officer's request of it is still pending (a second
    click does not pay twice).
    """
    permission_require(user=actor, action=Action.PROGRAMME_MANAGE, agency=programme.agency)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    _refuse_if_rules_missing(programme)
    waiting = programme.starts.filter(
        trigger__startswith=OFFICER, state=CycleStart.State.PENDING
    ).exists()
    if waiting:
        raise ValidationError(
            "permintaan siklus sebelumnya masih menunggu", "an earlier cycle request is pending",
            where="programme",
        )  # fmt: skip
    start = CycleStart.objects.create(
        programme=programme, trigger=OFFICER + secrets.token_hex(6), requested_by=actor
    )
    audit_record(
        actor=actor, action="benefits:cycle:request", target=f"{programme.slug}/{start.trigger}",
        agency=programme.agency,
    )  # fmt: skip
    return start


@transaction.atomic
def start_retry(*, actor: User, start: CycleStart) -> CycleStart:
    """Make a refused start pending again so that the next tick attempts it.

    Raises PermissionDenied unless actor manages the programme's agency; ValidationError
    unless the start was refused.
    """
    programme = start.programme
    permission_require(user=actor, action=Action.PROGRAMME_MANAGE, agency=programme.agency)
    start = CycleStart.objects.select_for_update().get(pk=start.pk)
    if start.state != CycleStart.State.REFUSED:
        raise ValidationError(
            "hanya siklus yang ditolak dapat dicoba lagi", "only a refused cycle can be retried",
            where="start",
        )  # fmt: skip
    start.state = CycleStart.State.PENDING
    start.save(update_fields=["state"])
    audit_record(
        actor=actor, action="benefits:cycle:retry", target=f"{programme.slug}/{start.trigger}",
        agency=programme.agency,
    )  # fmt: skip
    return start


def _started(start: CycleStart, cycle: Cycle) -> None:
    start.state, start.cycle, start.attempted_at = CycleStart.State.STARTED, cycle, timezone.now()
    start.save(update_fields=["state", "cycle", "attempted_at"])


def start_attempt(start: CycleStart, day: dt.date) -> Cycle | None:
    """Run start's cycle unless it ran or its refusal still holds; return the cycle run now.

    A running cycle of the programme (a killed run, of this trigger or another) is resumed.
    Raises the refusal (TerbukaError) after recording it with its reason and fingerprint; a
    start refused under the same fingerprint is left alone (None).
    """
    programme = start.programme
    done = programme.cycles.filter(trigger=start.trigger).first()
    if done is not None and done.status == Cycle.Status.DONE:
        _started(start, done)
        return None
    fingerprint = start_fingerprint(programme, day, start.trigger)
    if start.state == CycleStart.State.REFUSED and start.fingerprint == fingerprint:
        return None
    for _attempt in range(2):  # the first may only resume another trigger's interrupted cycle
        try:
            cycle = cycle_run(
                programme=programme, actor=start.requested_by, today=day, trigger=start.trigger
            )
        except IntegrityError:  # another tick started it between our check and our insert
            return None
        except TerbukaError as error:
            start.state, start.fingerprint = CycleStart.State.REFUSED, fingerprint
            start.reason, start.reason_en = error.message_id, error.message_en
            start.where, start.attempted_at = (error.where or "")[:200], timezone.now()
            start.attempts += 1
            start.save()
            raise
        if cycle.trigger == start.trigger:
            _started(start, cycle)
            return cycle
    return None


@transaction.atomic
def officer_token_create(*, actor: User | None, user: User) -> str:
    """Create a token for user's writes to the benefits API and return it (only its SHA-256
    is stored). Raises PermissionDenied unless actor is the system or an admin."""
    if actor is not None:
        permission_require(user=actor, action=Action.PROGRAMME_MANAGE)
    token = secrets.token_urlsafe(32)
    OfficerToken.objects.create(user=user, token_sha256=token_digest(token))
    audit_record(actor=actor, action="benefits:token:create", target=user.username)
    return token


@transaction.atomic
def officer_tokens_revoke(*, actor: User | None, user: User) -> int:
    """Revoke every token of user; return how many. Raises PermissionDenied unless actor is
    the system or an admin."""
    if actor is not None:
        permission_require(user=actor, action=Action.PROGRAMME_MANAGE)
    n = OfficerToken.objects.filter(user=user, revoked=False).update(revoked=True)
    audit_record(actor=actor, action="benefits:token:revoke", target=user.username)
    return n


def officer_by_token(token: str) -> User | None:
    """Return the active user holding the unrevoked token, or None."""
    if not token:
        return None
    found = OfficerToken.objects.filter(
        token_sha256=token_digest(token), revoked=False, user__is_active=True
    ).select_related("user")
    row = found.first()
    return row.user if row is not None else None
