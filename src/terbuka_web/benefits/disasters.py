"""Declare disasters for region codes (public, logged) and read the zones in force on a day.

A declaration names region codes and a date range. While in force (starts_on ≤ day ≤
ends_on) its codes are in the disaster_zones of the dry runs, the public totals and the
scheduled or officers' cycles of that day. The benefits tick starts one cycle "bencana:N" of
each programme with on_disaster whose regions and period it meets (terbuka_web.benefits.
schedule), caught up when the tick was down; that cycle reads the declaration's own regions
as disaster_zones (cycle_zones), whenever it runs and whatever else is declared. Declaring
writes its log entry in the same transaction and makes the public totals current:
{"kind":"benefit.disaster","id":4,"title":"Banjir Bengawan Solo","regions":["35.22.05"],
"starts_on":"2026-03-02","ends_on":"2026-03-31"}.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from terbuka.errors import ValidationError
from terbuka_web.accounts.models import User
from terbuka_web.accounts.selectors import Action, user_can
from terbuka_web.accounts.services import PermissionDenied, audit_record, permission_require
from terbuka_web.benefits.models import Disaster
from terbuka_web.benefits.services import REGION
from terbuka_web.transparency.services import entry_append

MAX_DAYS = 366
DISASTER = "benefit.disaster"
DECLARED = "bencana:"  # the trigger of a declaration's cycles, "bencana:4"


def _invalid(message_id: str, message_en: str, where: str) -> ValidationError:
    return ValidationError(message_id, message_en, where=where)


def _checked(title: str, regions: list[str], starts_on: dt.date, ends_on: dt.date) -> list[str]:
    """Return regions sorted once each; raise ValidationError naming the bad field."""
    if not 3 <= len(title.strip()) <= 200:
        raise _invalid("nama bencana harus 3–200 karakter", "title: 3–200 characters", "title")
    codes = sorted({r.strip() for r in regions if r.strip()})
    if not codes or not all(REGION.fullmatch(c) for c in codes):
        raise _invalid(
            "wilayah harus kode Kemendagri, mis. 35.22.05",
            "regions: Kemendagri codes, e.g. 35.22.05",
            "regions",
        )
    if not 0 <= (ends_on - starts_on).days <= MAX_DAYS:
        raise _invalid(
            f"akhir harus pada atau sesudah awal, paling lama {MAX_DAYS} hari",
            f"the end must be on or after the start, {MAX_DAYS} days at most",
            "ends_on",
        )
    return codes


def _within(user: User, codes: list[str]) -> None:
    """Raise PermissionDenied unless user manages programmes system-wide (admin) or every code
    lies in the region of the government of user's agency (its PPK, PA)."""
    if user_can(user, Action.PROGRAMME_MANAGE):
        return
    permission_require(user=user, action=Action.PROGRAMME_MANAGE, agency=user.agency)
    assert user.agency is not None
    own = user.agency.government.code
    outside = [c for c in codes if c != own and not c.startswith(own + ".")]
    if outside:
        raise PermissionDenied(
            f"{user.username} tidak berwenang menetapkan bencana di {', '.join(outside)}",
            f"{user.username} may not declare a disaster in {', '.join(outside)}",
        )


def disaster_check(
    *, actor: User | None, title: str, regions: list[str], starts_on: dt.date, ends_on: dt.date
) -> list[str]:
    """Return the declaration's region codes, sorted once each, writing nothing (a preview).

    Raises what disaster_declare raises for it: ValidationError, PermissionDenied.
    """
    codes = _checked(title, regions, starts_on, ends_on)
    if actor is not None:
        _within(actor, codes)
    return codes


@transaction.atomic
def disaster_declare(
    *, actor: User | None, title: str, regions: list[str], starts_on: dt.date, ends_on: dt.date
) -> Disaster:
    """Declare a disaster for regions from starts_on to ends_on; log it in this transaction.

    The public totals of the rules in force that read disaster_zones are recomputed in this
    transaction when the declaration is in force today (totals_refresh_stale).
    Raises ValidationError naming the field (title, regions, ends_on); PermissionDenied unless
    actor (None: the system) manages programmes: an admin anywhere, an agency's PPK or PA
    within its government's region only.
    """
    codes = disaster_check(
        actor=actor, title=title, regions=regions, starts_on=starts_on, ends_on=ends_on
    )
    disaster = Disaster.objects.create(
        title=title.strip(), regions=codes, starts_on=starts_on, ends_on=ends_on,
        declared_by=actor, agency=getattr(actor, "agency", None),
    )  # fmt: skip
    entry = entry_append(
        kind=DISASTER, ref=f"bantuan/bencana/{disaster.pk}",
        payload={"id": disaster.pk, "title": disaster.title, "regions": codes,
                 "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat()},
    )  # fmt: skip
    disaster.entry_id = entry.pk
    disaster.save(update_fields=["entry_id"])
    from terbuka_web.benefits.totals import totals_refresh_stale  # totals reads declared_zones

    totals_refresh_stale(timezone.localdate())
    audit_record(
        actor=actor, action="benefits:disaster:declare", target=str(disaster.pk),
        agency=disaster.agency, data={"regions": codes},
    )  # fmt: skip
    return disaster


def disasters_in_force(day: dt.date) -> QuerySet[Disaster]:
    """Return the disasters declared for day (starts_on ≤ day ≤ ends_on)."""
    return Disaster.objects.filter(starts_on__lte=day, ends_on__gte=day)


def declared_zones(day: dt.date) -> list[str]:
    """Return the region codes of the disasters in force on day, sorted, once each."""
    return sorted({c for d in disasters_in_force(day) for c in d.regions})


def disaster_of(trigger: str) -> Disaster | None:
    """Return the declaration a cycle's trigger names ("bencana:4"), or None."""
    number = trigger.removeprefix(DECLARED)
    if not trigger.startswith(DECLARED) or not number.isdigit():
        return None
    return Disaster.objects.filter(pk=int(number)).first()


def cycle_zones(trigger: str, day: dt.date) -> list[str]:
    """Return the zones a cycle started by trigger reads as disaster_zones: a declaration's
    own regions for "bencana:N" (the same whenever the cycle runs), else those in force on
    day."""
    if trigger.startswith(DECLARED):
        disaster = disaster_of(trigger)
        return list(disaster.regions) if disaster is not None else []
    return declared_zones(day)


def disasters_list() -> QuerySet[Disaster]:
    """Return every declaration, newest first (public: title, regions, dates)."""
    return Disaster.objects.order_by("-starts_on", "-id")
