"""Services of the participation app: file a report, and move its case through the workflow.

received → verified / rejected → forwarded (disposisi) → in_progress → answered → closed, and
answered/closed → reopened on the reporter's dispute. Deadlines count working days
(common.calendar.work_calendar): verify and forward within FORWARD_DAYS of receipt, follow
up within ANSWER_DAYS of the disposition, closed automatically CLOSE_DAYS after the
follow-up (participation.deadlines applies them). Every step of a case that is not
*rahasia* is appended to the transparency log in the same transaction, without the
reporter's identity: a hidden or deleted complaint shows up as a gap in its timeline.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from terbuka.errors import TerbukaError
from terbuka_web.accounts.models import Agency, User
from terbuka_web.accounts.selectors import Action, user_can
from terbuka_web.accounts.services import PermissionDenied, audit_record
from terbuka_web.common.calendar import work_calendar
from terbuka_web.notifications.services import case_event_notify
from terbuka_web.participation.models import LEVELS, Case, CaseEvent, Category, Level
from terbuka_web.participation.reports import ReportInput, report_check
from terbuka_web.participation.selectors import case_coordinated_by, secret_hash, secret_matches
from terbuka_web.transparency.services import entry_append

FORWARD_DAYS, ANSWER_DAYS, CLOSE_DAYS = 3, 5, 10
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read out on the phone
TRACKING_LENGTH = 10  # 31^10 ≈ 2^49
SECRET_BYTES = 16  # the follow secret: 128 random bits, kept as their SHA-256 (no slow hash)
LOG_KIND = "participation.case"


# The categories every instance starts with (migration 0001 creates them too); codes are the
# Open311 service codes.
DEFAULT_CATEGORIES = (
    ("pengadaan", "Pengadaan barang/jasa", "Public procurement"),
    ("jalan-jembatan", "Jalan dan jembatan", "Roads and bridges"),
    ("kesehatan", "Kesehatan", "Health"),
    ("pendidikan", "Pendidikan", "Education"),
    ("air-bersih", "Air bersih dan sanitasi", "Water and sanitation"),
    ("adminduk", "Administrasi kependudukan", "Civil registration"),
    ("bansos", "Bantuan sosial", "Social assistance"),
    ("lainnya", "Lainnya", "Other"),
)


def categories_seed() -> None:
    """Create the default categories that are missing (idempotent)."""
    for code, name, name_en in DEFAULT_CATEGORIES:
        Category.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en})


class WorkflowError(TerbukaError):
    """Report a step the case's state does not allow (e.g. answering a closed case)."""

    code = "workflow"


def _tracking_id() -> str:
    """Return a new tracking ID, e.g. "LPR-7KQ2M9XH4C"."""
    return "LPR-" + "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def report_submit(
    *,
    report: ReportInput,
    client_ip: str,
    now: dt.datetime | None = None,
    category: Category | None = None,
) -> tuple[Case, str]:
    """File a citizen's report; return its case and the follow secret (shown once, kept hashed).

    Raises ValidationError (bilingual, naming the field) for bad input, a refused attachment
    or a rate limit reached (reports.report_check); nothing is written then. category: the
    report's category row when the caller read it already. Inside a caller's transaction the
    writes join it (no savepoint: a failure rolls the caller's back too).
    """
    now = now or timezone.now()
    checked = report_check(report=report, client_ip=client_ip, now=now, category=category)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    with transaction.atomic(savepoint=False):
        case = Case.objects.create(
            tracking_id=_tracking_id(),
            secret_hash=secret_hash(secret),
            received_at=now,
            due_kind=Case.Due.FORWARD,
            due_on=work_calendar().add(timezone.localdate(now), FORWARD_DAYS),
            **checked.fields,
        )
        for attachment in checked.attachments:
            case.attachments.create(**attachment)
        _step(case, now=now, state=Case.State.RECEIVED)
    return case, secret


def _step(
    case: Case,
    *,
    now: dt.datetime,
    state: str = "",
    kind: str = CaseEvent.Kind.STATE,
    actor: User | None = None,
    note: str = "",
    by_reporter: bool = False,
) -> CaseEvent:
    """Record one step of case's timeline; log it unless the case is rahasia; queue its
    notices to the reporter and officers (notifications.services.case_event_notify)."""
    event = CaseEvent.objects.create(
        case=case, at=now, kind=kind, state=state, level=case.level, agency=case.agency,
        actor=actor, by_reporter=by_reporter, note=note,
    )  # fmt: skip
    if actor is not None:
        audit_record(actor=actor, action=f"participation:case:{state or kind}", target=str(case))
    if not case.rahasia and kind != CaseEvent.Kind.REMINDER:
        entry_append(kind=LOG_KIND, ref=f"lapor/{case.tracking_id}", payload=_log_payload(event))
    case_event_notify(event=event)
    return event


def _log_payload(event: CaseEvent) -> dict[str, Any]:
    """Return the log entry of event: what happened to which case, never who reported it.

    Example: {"tracking_id": "LPR-7KQ2M9XH4C", "event": "state", "state": "forwarded",
    "level": "desa", "agency": "3522-dinkes", "at": "2026-12-23T02:00:00+00:00", ...}.
    """
    case = event.case
    payload: dict[str, Any] = {
        "tracking_id": case.tracking_id,
        "event": event.kind,
        "state": event.state,
        "level": event.level,
        "agency": case.agency.code if case.agency else None,
        "at": event.at.astimezone(dt.UTC).isoformat(),
        "report_kind": case.kind,
        "category": case.category.code,
        "region": case.region_id,
    }
    if event.state == Case.State.RECEIVED:
        payload["text_sha256"] = hashlib.sha256(case.text.encode()).hexdigest()
    if event.note:
        payload["note_sha256"] = hashlib.sha256(event.note.encode()).hexdigest()
    return payload


def _locked(case: Case, *states: str) -> Case:
    """Return case locked for update; raise WorkflowError unless it is in one of states."""
    rows = Case.objects.select_for_update(of=("self",)).select_related("agency", "category")
    case = rows.get(pk=case.pk)
    if case.state not in states:
        raise WorkflowError(
            f"laporan berstatus {case.get_state_display()}; langkah ini tidak berlaku",
            f"the report is {case.state}; this step does not apply",
            where="state",
        )
    return case


def _verifier_require(actor: User, case: Case) -> None:
    if not (user_can(actor, Action.REPORT_VERIFY) or case_coordinated_by(user=actor, case=case)):
        raise PermissionDenied(
            f"{actor.username} tidak berwenang memverifikasi atau mendisposisikan laporan",
            f"{actor.username} may not verify or forward reports",
        )


def _answerer_require(actor: User, case: Case) -> None:
    if not (
        user_can(actor, Action.REPORT_ANSWER, case.agency)
        or case_coordinated_by(user=actor, case=case)
    ):
        raise PermissionDenied(
            f"{actor.username} tidak berwenang menindaklanjuti laporan ini",
            f"{actor.username} may not follow up this report",
        )


def _text(value: str, field: str, *, low: int = 5, high: int = 4000) -> str:
    value = value.strip()
    if not low <= len(value) <= high:
        raise WorkflowError(
            f"isian harus {low}–{high} karakter", f"must be {low}–{high} characters", where=field
        )
    return value


@transaction.atomic
def case_verify(*, actor: User, case: Case, now: dt.datetime | None = None) -> Case:
    """Mark a received report as verified. Raises PermissionDenied or WorkflowError."""
    now = now or timezone.now()
    case = _locked(case, Case.State.RECEIVED)
    _verifier_require(actor, case)
    case.state = Case.State.VERIFIED
    case.save(update_fields=["state"])
    _step(case, now=now, state=case.state, actor=actor)
    return case


@transaction.atomic
def case_reject(*, actor: User, case: Case, reason: str, now: dt.datetime | None = None) -> Case:
    """Reject a received or verified report with a reason (shown to the reporter and public).

    Raises PermissionDenied, or WorkflowError for another state or a reason of < 5 characters.
    """
    now = now or timezone.now()
    case = _locked(case, Case.State.RECEIVED, Case.State.VERIFIED)
    _verifier_require(actor, case)
    case.state, case.reject_reason = Case.State.REJECTED, _text(reason, "reason")
    case.due_kind, case.due_on, case.closed_at = "", None, now
    case.save()
    _step(case, now=now, state=case.state, actor=actor, note=case.reject_reason)
    return case


def agency_level(agency: Agency) -> str:
    """Return the level an agency answers at: desa, kecamatan, else its government's."""
    if agency.kind == Agency.Kind.DESA:
        return Level.DESA
    if agency.kind == Agency.Kind.KECAMATAN:
        return Level.KECAMATAN
    return Level.PROVINSI if agency.government.level == "province" else Level.KABUPATEN


@transaction.atomic
def case_forward(
    *, actor: User, case: Case, agency: Agency, now: dt.datetime | None = None
) -> Case:
    """Forward (disposisi) a case to agency, verifying it first when still received.

    A case already forwarded may be forwarded again (to the right agency); the deadline
    to follow up restarts. The first disposition is on time when on or before its
    deadline. Raises PermissionDenied or WorkflowError (rejected, answered or closed).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    states = (Case.State.RECEIVED, Case.State.VERIFIED, Case.State.FORWARDED)
    case = _locked(case, *states, Case.State.IN_PROGRESS, Case.State.REOPENED)
    _verifier_require(actor, case)
    if case.state == Case.State.RECEIVED:
        case.state = Case.State.VERIFIED
        _step(case, now=now, state=case.state, actor=actor)
    if case.forwarded_at is None:
        case.forwarded_at = now
        case.forwarded_on_time = case.due_on is None or today <= case.due_on
    case.agency, case.state = agency, Case.State.FORWARDED
    case.region = case.region or agency.government
    case.level = max(case.level, agency_level(agency), key=LEVELS.index)
    case.due_kind, case.due_on = Case.Due.ANSWER, work_calendar().add(today, ANSWER_DAYS)
    case.save()
    _step(case, now=now, state=case.state, actor=actor)
    return case


@transaction.atomic
def case_start(*, actor: User, case: Case, now: dt.datetime | None = None) -> Case:
    """Mark a forwarded or reopened case as in progress at its agency."""
    now = now or timezone.now()
    case = _locked(case, Case.State.FORWARDED, Case.State.REOPENED)
    _answerer_require(actor, case)
    case.state = Case.State.IN_PROGRESS
    case.save(update_fields=["state"])
    _step(case, now=now, state=case.state, actor=actor)
    return case


@transaction.atomic
def case_answer(*, actor: User, case: Case, answer: str, now: dt.datetime | None = None) -> Case:
    """Give the agency's follow-up (published with the case); auto-close is then due.

    The first follow-up sets the figures of the public statistics: on time or not, and
    the working days since the disposition. Raises PermissionDenied or WorkflowError.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    states = (Case.State.FORWARDED, Case.State.IN_PROGRESS, Case.State.REOPENED)
    case = _locked(case, *states)
    _answerer_require(actor, case)
    case.answer = _text(answer, "answer", low=10)
    if case.answered_at is None and case.forwarded_at is not None:
        case.answered_at = now
        case.answered_on_time = case.due_on is None or today <= case.due_on
        start = timezone.localdate(case.forwarded_at)
        case.followup_days = work_calendar().between(start, today)
    case.state = Case.State.ANSWERED
    case.due_kind, case.due_on = Case.Due.CLOSE, work_calendar().add(today, CLOSE_DAYS)
    case.save()
    _step(case, now=now, state=case.state, actor=actor, note=case.answer)
    return case


@transaction.atomic
def case_close(*, case: Case, secret: str | None, now: dt.datetime | None = None) -> Case:
    """Close an answered case: by its reporter (secret), or by the system (secret None).

    Raises WorkflowError for a wrong secret or a case not answered.
    """
    now = now or timezone.now()
    case = _locked(case, Case.State.ANSWERED)
    if secret is not None:
        _secret_require(case, secret)
    case.state, case.closed_at = Case.State.CLOSED, now
    case.due_kind, case.due_on = "", None
    case.save()
    note = "" if secret is not None else "otomatis / automatic"
    _step(case, now=now, state=case.state, by_reporter=secret is not None, note=note)
    return case


def _secret_require(case: Case, secret: str) -> None:
    if not secret_matches(case, secret):
        raise WorkflowError(
            "kode rahasia tidak cocok", "the follow secret does not match", where="secret"
        )


@transaction.atomic
def case_reopen(*, case: Case, secret: str, reason: str, now: dt.datetime | None = None) -> Case:
    """Reopen an answered or closed case on its reporter's dispute; the agency must answer
    again within ANSWER_DAYS. Raises WorkflowError (wrong secret, state, short reason)."""
    now = now or timezone.now()
    case = _locked(case, Case.State.ANSWERED, Case.State.CLOSED)
    _secret_require(case, secret)
    reason = _text(reason, "reason", low=10)
    case.state, case.closed_at = Case.State.REOPENED, None
    case.due_kind = Case.Due.ANSWER
    case.due_on = work_calendar().add(timezone.localdate(now), ANSWER_DAYS)
    case.save()
    _step(case, now=now, state=case.state, by_reporter=True, note=reason)
    return case
