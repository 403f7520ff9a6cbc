"""Selectors of the satisfaction surveys: periods, public results per agency, published comments.

Public results count every answer of a visit token and of a case that is not *rahasia* (a
count per agency could reveal one), per agency and period (a month, a quarter, a year, in
Asia/Jakarta), as counts and percentages that add up to exactly 100.0 (largest remainder at
one decimal), like Bojonegoro's published results. Comments appear only once moderated, with
their agency, month and rating, never a case, a token or anyone's identity.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from terbuka.errors import ValidationError
from terbuka_web.participation.models import RATINGS, Rating, SurveyAnswer, SurveyQuestion

PERIOD = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|(0[1-9]|1[0-2])))?$")
TENTHS = 1000  # 100.0 % in tenths of a percent
ONE_DECIMAL = Decimal("0.1")
SATISFIED = (Rating.SANGAT_PUAS, Rating.PUAS)


# The questions every instance starts with (version 1 of each key).
DEFAULT_QUESTIONS = {
    "case": ("Seberapa puas Anda dengan tindak lanjut laporan Anda?",
             "How satisfied are you with the follow-up of your report?"),
    "visit": ("Seberapa puas Anda dengan layanan yang Anda terima?",
              "How satisfied are you with the service you received?"),
}  # fmt: skip


def question_shown(key: str) -> SurveyQuestion:
    """Return the newest version of question key ("case" or "visit"), or, before the first
    answer stored one, an unsaved version 1 with DEFAULT_QUESTIONS' text (a page shows it
    without writing; survey_services.question_current stores it with the first answer)."""
    question = SurveyQuestion.objects.filter(key=key).order_by("-version").first()
    if question is not None:
        return question
    text, text_en = DEFAULT_QUESTIONS.get(key, ("", ""))
    return SurveyQuestion(key=key, version=1, text=text, text_en=text_en)


@dataclass(frozen=True)
class Period:
    """Name a month ("2026-12"), a quarter ("2026-Q4") or a year ("2026"): [start, end)."""

    code: str
    start: dt.date
    end: dt.date


def period_parse(code: str | None, *, today: dt.date | None = None) -> Period:
    """Return the period of code (YYYY, YYYY-Qn or YYYY-MM); empty: this year.

    Raises ValidationError (bilingual, where "period") for anything else.
    """
    code = (code or "").strip() or str((today or timezone.localdate()).year)
    match = PERIOD.match(code[:10])
    if match is None or not 2000 <= int(match[1]) <= 2100:
        raise ValidationError(
            f"periode {code[:20]!r} tidak dikenal: tulis 2026, 2026-Q4 atau 2026-12",
            f"unknown period {code[:20]!r}: write 2026, 2026-Q4 or 2026-12",
            where="period",
        )
    year = int(match[1])
    if match[2]:
        first, months = (int(match[2]) - 1) * 3 + 1, 3
    elif match[3]:
        first, months = int(match[3]), 1
    else:
        first, months = 1, 12
    after = first + months
    end = dt.date(year + (after - 1) // 12, (after - 1) % 12 + 1, 1)
    return Period(code, dt.date(year, first, 1), end)


def shares(counts: list[int]) -> list[Decimal]:
    """Return counts as percentages with one decimal that add up to exactly 100.0 (largest
    remainder; ties to the earlier count), or all zero when there is none.

    Example: shares([1, 1, 1, 0]) == [Decimal("33.4"), Decimal("33.3"), Decimal("33.3"),
    Decimal("0.0")].
    """
    total = sum(counts)
    if total == 0:
        return [Decimal("0.0")] * len(counts)
    floors = [c * TENTHS // total for c in counts]
    order = sorted(range(len(counts)), key=lambda i: (-(counts[i] * TENTHS % total), i))
    for i in order[: TENTHS - sum(floors)]:
        floors[i] += 1
    return [(Decimal(f) / 10).quantize(ONE_DECIMAL) for f in floors]


@dataclass
class Satisfaction:
    """Hold the answers of one agency (or all) in a period: counts best first, percentages."""

    key: str
    label: str
    counts: list[int] = field(default_factory=lambda: [0] * len(RATINGS))

    @property
    def answers(self) -> int:
        """Return how many answered."""
        return sum(self.counts)

    @property
    def percents(self) -> list[Decimal]:
        """Return the shares of Sangat Puas, Puas, Cukup Puas, Tidak Puas (sum 100.0)."""
        return shares(self.counts)

    @property
    def satisfied(self) -> Decimal | None:
        """Return the share of Sangat Puas and Puas together, None without answers."""
        if not self.answers:
            return None
        return shares([self.counts[0] + self.counts[1], self.counts[2] + self.counts[3]])[0]


def answers_public(region_code: str | None = None) -> QuerySet[SurveyAnswer]:
    """Return the answers that count in public: not a rahasia case's; in region_code or below."""
    answers = SurveyAnswer.objects.filter(Q(case__isnull=True) | Q(case__rahasia=False))
    if region_code:
        answers = answers.filter(
            Q(region_id=region_code) | Q(region__code__startswith=f"{region_code}.")
        )
    return answers


def _window(answers: QuerySet[SurveyAnswer], period: Period) -> QuerySet[SurveyAnswer]:
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(period.start, dt.time(), zone)
    end = dt.datetime.combine(period.end, dt.time(), zone)
    return answers.filter(answered_at__gte=start, answered_at__lt=end)


def satisfaction_results(
    *, period: Period | None = None, region_code: str | None = None
) -> tuple[Satisfaction, list[Satisfaction]]:
    """Return the public results in total and per agency (by name) for period (None: ever)."""
    answers = answers_public(region_code)
    if period is not None:
        answers = _window(answers, period)
    rows = answers.values_list("agency__code", "agency__name", "rating").annotate(n=Count("pk"))
    total = Satisfaction("", "")
    agencies: dict[str, Satisfaction] = {}
    for code, name, rating, n in rows.order_by():
        slot = RATINGS.index(rating)
        agencies.setdefault(code, Satisfaction(code, name)).counts[slot] += n
        total.counts[slot] += n
    return total, sorted(agencies.values(), key=lambda s: (s.label, s.key))


def satisfaction_by(field_name: str) -> dict[str, Satisfaction]:
    """Return every public answer counted per agency code ("agency__code") or region code
    ("region_id"), for the per-agency statistics."""
    counted: dict[str, Satisfaction] = defaultdict(lambda: Satisfaction("", ""))
    rows = answers_public().values_list(field_name, "rating").annotate(n=Count("pk")).order_by()
    for key, rating, n in rows:
        counted[str(key)].counts[RATINGS.index(rating)] += n
    return dict(counted)


def comments_published(*, period: Period, region_code: str | None = None) -> QuerySet[SurveyAnswer]:
    """Return the moderated, published comments of period, newest first (agency, rating,
    month to show; never the case, token or identity)."""
    answers = _window(answers_public(region_code), period)
    published = answers.filter(comment_state=SurveyAnswer.Comment.PUBLISHED)
    return published.select_related("agency")


def comments_pending() -> QuerySet[SurveyAnswer]:
    """Return the comments waiting for moderation, oldest first."""
    pending = SurveyAnswer.objects.filter(comment_state=SurveyAnswer.Comment.PENDING)
    return pending.select_related("agency").order_by("answered_at", "id")


def answer_of_case(case_id: int) -> SurveyAnswer | None:
    """Return the survey answer of a case, or None."""
    return SurveyAnswer.objects.filter(case_id=case_id).first()
