"""Services of the satisfaction surveys: revise a question, hand out visit tokens, answer, and
moderate comments.

The 4-point question (Sangat Puas, Puas, Cukup Puas, Tidak Puas) with an optional comment is
answered once per closed case (by its reporter, with the follow secret) or once per visit token
(handed out or printed as a QR code by an officer of the agency at a counter). Each answer keeps
a frozen copy of the question's text; editing a question adds a version. An answer is appended
to the transparency log with its agency, rating and date only (never the case nor the token),
and not at all for a *rahasia* case; a comment is published only once moderated.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from terbuka_web.accounts.models import Agency, User
from terbuka_web.accounts.selectors import Action, user_can
from terbuka_web.accounts.services import PermissionDenied, audit_record
from terbuka_web.participation.models import (
    RATINGS,
    Case,
    SurveyAnswer,
    SurveyQuestion,
    VisitToken,
)
from terbuka_web.participation.selectors import secret_hash
from terbuka_web.participation.services import (
    TRACKING_ALPHABET,
    TRACKING_LENGTH,
    WorkflowError,
    _locked,
    _secret_require,
    _text,
)
from terbuka_web.participation.survey_selectors import question_shown
from terbuka_web.transparency.services import entry_append

LOG_KIND = "participation.survey"
MAX_COMMENT = 1000
MAX_TOKENS = 100  # per request: a day's counter, printed on a few sheets
TOKEN_PREFIX = "SRV-"


def question_current(key: str) -> SurveyQuestion:
    """Return the newest version of question key ("case" or "visit"), first adding version 1
    (survey_selectors.DEFAULT_QUESTIONS, logged) when there is none.

    Raises WorkflowError for another key.
    """
    question = question_shown(key)
    if question.pk is not None:
        return question
    try:
        return question_revise(key=key, text=question.text, text_en=question.text_en)
    except IntegrityError:  # another request added version 1 meanwhile
        return SurveyQuestion.objects.get(key=key, version=1)


@transaction.atomic
def question_revise(
    *, key: str, text: str, text_en: str, now: dt.datetime | None = None
) -> SurveyQuestion:
    """Add a new version of question key with text (Indonesian) and text_en; earlier answers
    keep theirs. Raises WorkflowError for an unknown key or a text of < 10 or > 300 chars."""
    now = now or timezone.now()
    if key not in SurveyQuestion.Key.values:
        raise WorkflowError(
            f"kunci pertanyaan {key!r} tidak dikenal (case, visit)",
            f"unknown question key {key!r} (case, visit)",
            where="key",
        )
    text, text_en = (
        _text(text, "text", low=10, high=300),
        _text(text_en, "text_en", low=10, high=300),
    )
    latest = SurveyQuestion.objects.select_for_update().filter(key=key).order_by("-version").first()
    question = SurveyQuestion.objects.create(
        key=key, version=(latest.version + 1) if latest else 1, text=text, text_en=text_en,
        created_at=now,
    )  # fmt: skip
    entry_append(
        kind=LOG_KIND, ref=f"survei/pertanyaan/{key}",
        payload={"event": "question", "key": key, "version": question.version,
                 "text": text, "text_en": text_en},
    )  # fmt: skip
    return question


def visit_tokens_create(
    *, actor: User, agency: Agency, service: str, count: int = 1, now: dt.datetime | None = None
) -> list[str]:
    """Create count visit tokens for a public service of agency; return their codes (shown
    once, kept hashed), e.g. ["SRV-7KQ2M9XH4C"]. Only the agency's own officials may
    (role and agency: REPORT_ANSWER). Raises PermissionDenied or WorkflowError."""
    if not user_can(actor, Action.REPORT_ANSWER, agency):
        raise PermissionDenied(
            f"{actor.username} tidak berwenang membuat token kunjungan untuk {agency.name}",
            f"{actor.username} may not create visit tokens for {agency.name}",
        )
    service = _text(service, "service", low=3, high=200)
    if not 1 <= count <= MAX_TOKENS:
        raise WorkflowError(
            f"jumlah token harus 1–{MAX_TOKENS}", f"the count must be 1–{MAX_TOKENS}", where="count"
        )
    now = now or timezone.now()
    codes = [token_code() for _ in range(count)]
    with transaction.atomic():
        VisitToken.objects.bulk_create(
            VisitToken(agency=agency, service=service, token_hash=secret_hash(code),
                       created_at=now, created_by=actor)
            for code in codes
        )  # fmt: skip
        audit_record(
            actor=actor, action="participation:visit_token:create", target=service, agency=agency
        )
    return codes


def token_code() -> str:
    """Return a new visit token code, e.g. "SRV-7KQ2M9XH4C" (the tracking ID's alphabet)."""
    return TOKEN_PREFIX + "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def _rating(rating: int, comment: str) -> tuple[int, str]:
    if rating not in RATINGS:
        raise WorkflowError(
            "pilih salah satu dari empat tingkat kepuasan",
            "choose one of the four satisfaction levels",
            where="rating",
        )
    comment = comment.strip()
    if len(comment) > MAX_COMMENT:
        raise WorkflowError(
            f"komentar paling banyak {MAX_COMMENT} karakter",
            f"the comment has at most {MAX_COMMENT} characters",
            where="comment",
        )
    return rating, comment


def _already() -> WorkflowError:
    return WorkflowError(
        "survei ini sudah dijawab; satu jawaban saja",
        "this survey was answered already; one answer only",
        where="rating",
    )


def _answer_create(*, logged: bool, **fields: Any) -> SurveyAnswer:
    """Create the answer (in a savepoint: a concurrent duplicate is WorkflowError) and log it
    when logged; a comment not logged (a rahasia case's) is never published."""
    question = fields["question"]
    state = SurveyAnswer.Comment.PENDING if logged else SurveyAnswer.Comment.HIDDEN
    fields["comment_state"] = state if fields["comment"] else SurveyAnswer.Comment.NONE
    try:
        with transaction.atomic():
            answer = SurveyAnswer.objects.create(
                question_text=question.text, question_text_en=question.text_en, **fields
            )
    except IntegrityError as exc:
        raise _already() from exc
    if logged:
        entry_append(kind=LOG_KIND, ref=f"survei/{answer.agency.code}", payload=_payload(answer))
    return answer


def _payload(answer: SurveyAnswer) -> dict[str, Any]:
    """Return the log entry of an answer: agency, rating, question version and local date.

    Example: {"event": "answer", "agency": "3522-dinkes", "rating": 3, "question": "visit",
    "version": 1, "date": "2026-12-23"}.
    """
    return {
        "event": "answer", "agency": answer.agency.code, "rating": answer.rating,
        "question": answer.question.key, "version": answer.question.version,
        "date": timezone.localdate(answer.answered_at).isoformat(),
    }  # fmt: skip


@transaction.atomic
def survey_answer_case(
    *, case: Case, secret: str, rating: int, comment: str = "", now: dt.datetime | None = None
) -> SurveyAnswer:
    """Record the reporter's satisfaction with a closed case's follow-up, once.

    Raises WorkflowError for a wrong secret, a case not closed, a bad rating or comment, or
    a case answered already (also when two answers race: the case row is locked).
    """
    rating, comment = _rating(rating, comment)
    case = _locked(case, Case.State.CLOSED)
    _secret_require(case, secret)
    if SurveyAnswer.objects.filter(case=case).exists():
        raise _already()
    assert case.agency is not None  # closed: it was answered, so forwarded to an agency
    return _answer_create(
        logged=not case.rahasia, case=case, agency=case.agency, question=question_current("case"),
        region_id=case.region_id or case.agency.government_id, rating=rating, comment=comment,
        answered_at=now or timezone.now(),
    )  # fmt: skip


@transaction.atomic
def survey_answer_visit(
    *, code: str, rating: int, comment: str = "", now: dt.datetime | None = None
) -> SurveyAnswer:
    """Record a visitor's satisfaction with the service of a visit token, once per token.

    Raises WorkflowError for an unknown code, a bad rating or comment, or a token used already.
    """
    rating, comment = _rating(rating, comment)
    digest = secret_hash(code.strip().upper()[:20])
    token = (
        VisitToken.objects.select_for_update()
        .select_related("agency")
        .filter(token_hash=digest)
        .first()
    )
    if token is None:
        raise WorkflowError(
            "kode kunjungan tidak dikenal", "the visit code is not known", where="code"
        )
    if SurveyAnswer.objects.filter(visit=token).exists():
        raise _already()
    return _answer_create(
        logged=True, visit=token, agency=token.agency, question=question_current("visit"),
        region_id=token.agency.government_id, service=token.service, rating=rating,
        comment=comment, answered_at=now or timezone.now(),
    )  # fmt: skip


@transaction.atomic
def comment_moderate(*, actor: User, answer: SurveyAnswer, publish: bool) -> SurveyAnswer:
    """Publish a pending comment (logged with its hash) or hide it. Only report verifiers
    (REPORT_VERIFY) moderate. Raises PermissionDenied, or WorkflowError when not pending."""
    if not user_can(actor, Action.REPORT_VERIFY):
        raise PermissionDenied(
            f"{actor.username} tidak berwenang memoderasi komentar survei",
            f"{actor.username} may not moderate survey comments",
        )
    answer = SurveyAnswer.objects.select_for_update().select_related("agency").get(pk=answer.pk)
    if answer.comment_state != SurveyAnswer.Comment.PENDING:
        raise WorkflowError(
            "komentar ini sudah dimoderasi", "this comment was moderated already", where="comment"
        )
    answer.comment_state = (
        SurveyAnswer.Comment.PUBLISHED if publish else SurveyAnswer.Comment.HIDDEN
    )
    answer.save(update_fields=["comment_state"])
    audit_record(actor=actor, action=f"participation:survey_comment:{answer.comment_state}",
                 target=f"survey-answer-{answer.pk}", agency=answer.agency)  # fmt: skip
    if publish:
        payload = {
            "event": "comment_published", "agency": answer.agency.code,
            "comment_sha256": hashlib.sha256(answer.comment.encode()).hexdigest(),
        }  # fmt: skip
        entry_append(kind=LOG_KIND, ref=f"survei/{answer.agency.code}", payload=payload)
    return answer
