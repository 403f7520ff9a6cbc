"""Services of the notifications app: queue notices in the caller's transaction, and the
hooks the other apps call (one call each) when something their people must hear happens.

- notification_queue writes one outbox row: rendered in the recipient's language, the
  address sealed. It joins the caller's transaction, so the notice commits or rolls back
  with the change that causes it; `terbuka notify send` delivers it (notifications.sending).
- case_event_notify (participation, on every step of a case): the reporter hears of each
  state change when they left a contact and asked to be contacted, the message carrying the
  tracking ID and state only (*anonim* and *rahasia* included); the agency's officers hear
  of a disposition and of a reminder (PA and PPK only for a *rahasia* case, as they alone
  see it), the coordinators of the new level of an escalation, the admins of a reminder to
  verify.
- cycle_done_notify / cycle_refused_notify (benefits): the programme's officers (the
  agency's PA and PPK, who manage it) hear that a disbursement cycle completed or was refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone, translation

from terbuka.errors import TerbukaError
from terbuka_web.accounts.models import Role, User
from terbuka_web.benefits.models import Cycle, CycleItem, Programme
from terbuka_web.notifications import messages as m
from terbuka_web.notifications.models import Notification
from terbuka_web.notifications.recipients import recipient_seal
from terbuka_web.participation.models import Case, CaseEvent, Coordinator
from terbuka_web.participation.selectors import RAHASIA_AGENCY_ROLES

REPORTER = "pelapor/reporter"
Fields = Callable[[str], dict[str, Any]]


@transaction.atomic
def notification_queue(
    *, kind: str, ref: str, audience: str, channel: str, address: str, language: str,
    fields: Fields,
) -> Notification:  # fmt: skip
    """Write one notice of kind to address over channel, due now, in the caller's transaction.

    fields(language) gives the message's values (notifications.messages.notice_render).
    """
    text = m.notice_render(kind, language, fields)
    now = timezone.now()
    return Notification.objects.create(
        kind=kind, ref=ref[:200], audience=audience[:150], channel=channel,
        recipient=recipient_seal(address, channel=channel), language=text.language,
        subject=text.subject, body=text.body, next_attempt_at=now, created_at=now,
    )  # fmt: skip


def _officers_notify(users: Iterable[User], *, kind: str, ref: str, fields: Fields) -> int:
    """Queue kind to every active user of users with an e-mail address; return how many."""
    count = 0
    for user in users:
        if user.is_active and user.email:
            notification_queue(
                kind=kind, ref=ref, audience=user.username, channel=Notification.Channel.EMAIL,
                address=user.email, language="id", fields=fields,
            )  # fmt: skip
            count += 1
    return count


# -- participation ----------------------------------------------------------------------------


def _reporter_channel(case: Case) -> str | None:
    """Return the channel the reporter asked to be contacted on, None when they did not."""
    if not case.contact or case.contact_preference == Case.Contact.NONE:
        return None
    if case.contact_preference == Case.Contact.EMAIL:
        return Notification.Channel.EMAIL
    return str(settings.NOTIFY["PHONE_CHANNEL"])


def _reporter_language(case: Case, ref: str) -> str:
    """Return the language the reporter filed in: the active one when the case is new, else
    that of their first notice."""
    if case.state != Case.State.RECEIVED:
        first = Notification.objects.filter(ref=ref, audience=REPORTER).order_by("id").first()
        if first is not None:
            return first.language
    return translation.get_language() or "id"


def _agency_officers(case: Case) -> Iterable[User]:
    """Return the officers of case's agency who see it (PA and PPK only when rahasia)."""
    roles = RAHASIA_AGENCY_ROLES if case.rahasia else tuple(Role)
    return User.objects.filter(agency_id=case.agency_id, role__in=roles).order_by("id")


def _coordinators(case: Case) -> list[User]:
    """Return the complaint coordinators of case's level over its region."""
    region = case.region_id or ""
    return [
        c.user
        for c in Coordinator.objects.filter(level=case.level).select_related("user")
        if c.region_id is None or region == c.region_id or region.startswith(f"{c.region_id}.")
    ]


def case_event_notify(*, event: CaseEvent) -> int:
    """Queue the notices of one step of a case (module docstring); return how many."""
    case, ref = event.case, f"lapor/{event.case.tracking_id}"
    officer_url = m.site_url(reverse("participation:officer_case", args=[case.tracking_id]))

    def values(language: str) -> dict[str, Any]:
        return {
            "tracking_id": case.tracking_id, "state": case.get_state_display(),
            "agency": case.agency.name if case.agency else "", "due_on": case.due_on or "-",
            "due": case.get_due_kind_display(), "level": case.get_level_display(),
            "url": officer_url,
        }  # fmt: skip

    if event.kind == CaseEvent.Kind.ESCALATED:
        return _officers_notify(_coordinators(case), kind=m.OFFICER_ESCALATED, ref=ref,
                                fields=values)  # fmt: skip
    if event.kind == CaseEvent.Kind.REMINDER:
        answering = case.due_kind == Case.Due.ANSWER and case.agency_id is not None
        users = _agency_officers(case) if answering else User.objects.filter(role=Role.ADMIN)
        return _officers_notify(users, kind=m.OFFICER_REMINDER, ref=ref, fields=values)
    count = _reporter_notify(case, ref)
    if event.state == Case.State.FORWARDED:
        count += _officers_notify(_agency_officers(case), kind=m.OFFICER_FORWARDED, ref=ref,
                                  fields=values)  # fmt: skip
    return count


def _reporter_notify(case: Case, ref: str) -> int:
    """Queue the reporter's notice of case's new state: tracking ID, state, follow page."""
    channel = _reporter_channel(case)
    if channel is None:
        return 0
    follow = m.site_url(reverse("participation:follow"))
    notification_queue(
        kind=m.REPORTER_STATE, ref=ref, audience=REPORTER, channel=channel,
        address=case.contact, language=_reporter_language(case, ref),
        fields=lambda language: {
            "tracking_id": case.tracking_id, "state": case.get_state_display(), "url": follow,
        },
    )  # fmt: skip
    return 1


# -- benefits ---------------------------------------------------------------------------------


def _programme_officers(programme: Programme) -> Iterable[User]:
    """Return the officers who manage programme: its agency's PA and PPK."""
    users = User.objects.filter(agency_id=programme.agency_id, role__in=(Role.PA, Role.PPK))
    return users.order_by("id")


def cycle_done_notify(*, cycle: Cycle) -> int:
    """Queue to the programme's officers that cycle completed; return how many notices."""
    programme = cycle.programme
    totals = (
        CycleItem.objects.filter(cycle=cycle)
        .credited()
        .aggregate(credited=Sum("amount"), count=Count("id"))
    )
    url = m.site_url(reverse("benefits:programme", args=[programme.slug]))
    return _officers_notify(
        _programme_officers(programme), kind=m.CYCLE_DONE,
        ref=f"bantuan/{programme.slug}/siklus/{cycle.number}",
        fields=lambda language: {
            "cycle": cycle.number, "programme": programme.name, "url": url,
            "credited": f"{totals['credited'] or 0:,}".replace(",", "."),
            "count": f"{totals['count']:,}".replace(",", "."),
        },
    )  # fmt: skip


@transaction.atomic
def cycle_refused_notify(*, programme: Programme, error: TerbukaError) -> int:
    """Queue to the programme's officers that a new cycle was refused, and why (error)."""
    url = m.site_url(reverse("benefits:programme", args=[programme.slug]))
    return _officers_notify(
        _programme_officers(programme), kind=m.CYCLE_REFUSED, ref=f"bantuan/{programme.slug}",
        fields=lambda language: {
            "programme": programme.name, "url": url,
            "reason": error.message_id if language == "id" else error.message_en,
        },
    )  # fmt: skip
