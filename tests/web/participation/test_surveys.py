"""Satisfaction surveys: one answer per closed case or visit token (also when two race), the
frozen question text survives an edit, exact percentages per agency and period, moderated
comments, and no identity, case or rahasia answer in any public output."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import Client

from terbuka.errors import ValidationError
from terbuka_web.accounts.services import PermissionDenied
from terbuka_web.participation.models import (
    Case,
    Rating,
    SurveyAnswer,
    SurveyQuestion,
    VisitToken,
)
from terbuka_web.participation.selectors import stats_public, stats_region
from terbuka_web.participation.services import (
    WorkflowError,
    case_answer,
    case_close,
    case_forward,
)
from terbuka_web.participation.survey_selectors import (
    period_parse,
    satisfaction_results,
    shares,
)
from terbuka_web.participation.survey_services import (
    comment_moderate,
    question_current,
    question_revise,
    survey_answer_case,
    survey_answer_visit,
    visit_tokens_create,
)
from terbuka_web.transparency.models import LogEntry
from tests.web.contracting.test_duplicates import CONCURRENT, race
from tests.web.participation.conftest import World, at, file

COMMENT = "Petugas ramah, tetapi antrean lama sekali."


def closed(world: World, day: int = 7, **changes: object) -> tuple[Case, str]:
    """File a report on 1 Dec 2026, forward, answer and close it on day (December 2026)."""
    case, secret = file(at(2026, 12, 1), **changes)
    case = case_forward(actor=world.verifier, case=case, agency=world.dinas, now=at(2026, 12, 2))
    case = case_answer(
        actor=world.dinas_operator, case=case, answer="Sudah ditangani petugas.",
        now=at(2026, 12, 3),
    )  # fmt: skip
    return case_close(case=case, secret=secret, now=at(2026, 12, day)), secret


def test_shares_add_up_to_exactly_100() -> None:
    assert shares([1, 1, 1, 0]) == [Decimal("33.4"), Decimal("33.3"), Decimal("33.3"), Decimal(0)]
    assert shares([2, 1, 0, 0]) == [Decimal("66.7"), Decimal("33.3"), Decimal(0), Decimal(0)]
    assert shares([1, 5, 1, 0]) == [Decimal("14.3"), Decimal("71.4"), Decimal("14.3"), Decimal(0)]
    assert shares([0, 0, 0, 0]) == [Decimal(0)] * 4
    for counts in ([7, 3, 2, 1], [1, 1, 1, 1, 1, 1], [999, 1, 1, 0], [3, 3, 3, 2]):
        assert sum(shares(counts)) == 100


def test_periods_month_quarter_year_and_bad_input() -> None:
    assert period_parse("2026-12").start == dt.date(2026, 12, 1)
    assert period_parse("2026-12").end == dt.date(2027, 1, 1)
    assert (period_parse("2026-Q2").start, period_parse("2026-Q2").end) == (
        dt.date(2026, 4, 1), dt.date(2026, 7, 1),
    )  # fmt: skip
    assert period_parse("2026").end == dt.date(2027, 1, 1)
    assert period_parse("", today=dt.date(2025, 3, 4)).code == "2025"
    for bad in ("2026-13", "2026-Q5", "26", "1999", "2026-1", "x' OR 1=1"):
        with pytest.raises(ValidationError) as caught:
            period_parse(bad)
        assert caught.value.where == "period" and "2026-Q4" in caught.value.message_en


def test_one_answer_per_case_by_its_reporter_after_closing(world: World) -> None:
    case, secret = file(at(2026, 12, 1))
    with pytest.raises(WorkflowError):  # not closed yet
        survey_answer_case(case=case, secret=secret, rating=Rating.PUAS)
    case, secret = closed(world)
    with pytest.raises(WorkflowError):
        survey_answer_case(case=case, secret="salah", rating=Rating.PUAS)
    with pytest.raises(WorkflowError) as bad:
        survey_answer_case(case=case, secret=secret, rating=7)
    assert bad.value.where == "rating"
    answer = survey_answer_case(
        case=case, secret=secret, rating=Rating.SANGAT_PUAS, now=at(2026, 12, 8)
    )
    assert answer.agency == world.dinas and answer.region_id == case.region_id
    with pytest.raises(WorkflowError) as twice:
        survey_answer_case(case=case, secret=secret, rating=Rating.TIDAK_PUAS)
    assert "one answer only" in twice.value.message_en
    assert SurveyAnswer.objects.get(case=case).rating == Rating.SANGAT_PUAS
    with pytest.raises(IntegrityError), transaction.atomic():  # the database holds it too
        SurveyAnswer.objects.create(
            case=case, agency=world.dinas, question=answer.question, rating=1,
            question_text="x", question_text_en="x", answered_at=at(2026, 12, 9),
        )  # fmt: skip


def test_visit_tokens_only_for_own_agency_and_once_each(world: World) -> None:
    with pytest.raises(PermissionDenied):
        visit_tokens_create(actor=world.other_operator, agency=world.dinas, service="Loket A")
    with pytest.raises(PermissionDenied):  # an admin verifies reports but serves no counter
        visit_tokens_create(actor=world.verifier, agency=world.dinas, service="Loket A")
    with pytest.raises(WorkflowError):
        visit_tokens_create(actor=world.dinas_operator, agency=world.dinas, service="A", count=2)
    codes = visit_tokens_create(
        actor=world.dinas_operator, agency=world.dinas, service="Loket perizinan", count=3
    )
    assert len(set(codes)) == 3 and all(c.startswith("SRV-") for c in codes)
    assert not VisitToken.objects.filter(token_hash__in=codes).exists()  # kept hashed
    answer = survey_answer_visit(code=codes[0].lower(), rating=Rating.CUKUP_PUAS, comment=COMMENT)
    assert (answer.agency, answer.service) == (world.dinas, "Loket perizinan")
    assert answer.comment_state == SurveyAnswer.Comment.PENDING
    with pytest.raises(WorkflowError):
        survey_answer_visit(code=codes[0], rating=Rating.PUAS)
    with pytest.raises(WorkflowError) as unknown:
        survey_answer_visit(code="SRV-2222222222", rating=Rating.PUAS)
    assert unknown.value.where == "code"


def test_frozen_question_text_survives_an_edit(world: World) -> None:
    codes = visit_tokens_create(
        actor=world.dinas_operator, agency=world.dinas, service="Loket", count=2
    )
    first = survey_answer_visit(code=codes[0], rating=Rating.PUAS)
    old = question_current("visit")
    assert first.question_text == old.text and old.version == 1
    new = question_revise(
        key="visit", text="Bagaimana pelayanan loket hari ini?",
        text_en="How was the counter's service today?",
    )  # fmt: skip
    assert new.version == 2 and question_current("visit") == new
    second = survey_answer_visit(code=codes[1], rating=Rating.PUAS)
    first.refresh_from_db()
    assert first.question == old and first.question_text == old.text
    assert second.question == new and second.question_text == "Bagaimana pelayanan loket hari ini?"
    with pytest.raises(WorkflowError):
        question_revise(key="lain", text="Pertanyaan lain sekali", text_en="Another question")


def test_results_per_agency_and_period_exact(world: World) -> None:
    tokens = visit_tokens_create(
        actor=world.other_operator, agency=world.other, service="Puskesmas", count=7
    )
    for code, rating, day in zip(
        tokens, (4, 3, 3, 2, 1, 4, 4), (5, 5, 6, 7, 8, 9, 20), strict=True
    ):
        survey_answer_visit(code=code, rating=rating, now=at(2026, 12, day))
    survey_answer_visit(
        code=visit_tokens_create(
            actor=world.other_operator, agency=world.other, service="Puskesmas"
        )[0],
        rating=1, now=at(2027, 1, 2),
    )  # fmt: skip
    total, agencies = satisfaction_results(period=period_parse("2026-12"))
    assert [a.key for a in agencies] == ["3522-dinkes"]
    assert total.counts == [3, 2, 1, 1] and total.answers == 7
    # 42.857, 28.571, 14.286, 14.286: the largest remainders (.857, .857, .571) round up
    assert total.percents == [Decimal("42.8"), Decimal("28.6"), Decimal("14.3"), Decimal("14.3")]
    assert total.satisfied == Decimal("71.4")
    assert satisfaction_results(period=period_parse("2027-Q1"))[0].counts == [0, 0, 0, 1]
    assert satisfaction_results(period=period_parse("2026"))[0].answers == 7
    assert satisfaction_results(period=period_parse("2026-11"))[0].answers == 0
    _, per_agency, _ = stats_public()
    assert not per_agency  # no case: the per-agency case table is empty
    region = stats_region("35.22")
    assert region.rated == 8 and region.satisfied == Decimal("62.5")


def test_a_rahasia_case_answer_counts_nowhere_and_its_comment_is_never_published(
    world: World,
) -> None:
    case, secret = closed(world, rahasia=True)
    answer = survey_answer_case(case=case, secret=secret, rating=1, comment=COMMENT)
    assert answer.comment_state == SurveyAnswer.Comment.HIDDEN
    assert satisfaction_results()[0].answers == 0
    assert not LogEntry.objects.filter(kind="participation.survey", data__contains=b'"answer"')
    with pytest.raises(WorkflowError):
        comment_moderate(actor=world.verifier, answer=answer, publish=True)


def test_moderation_and_privacy_of_public_pages_and_api(world: World, client: Client) -> None:
    case, secret = closed(world, day=7)
    survey_answer_case(case=case, secret=secret, rating=Rating.PUAS, comment=COMMENT,
                       now=at(2026, 12, 8))  # fmt: skip
    answer = SurveyAnswer.objects.get(case=case)
    url = "/lapor/kepuasan/?periode=2026-12"
    assert COMMENT not in client.get(url).content.decode()  # pending: not published
    with pytest.raises(PermissionDenied):
        comment_moderate(actor=world.dinas_operator, answer=answer, publish=True)
    comment_moderate(actor=world.verifier, answer=answer, publish=True)
    page = client.get(url).content.decode()
    assert COMMENT in page and "Dinas PU" in page and "100,0%" in page
    api = client.get("/api/lapor/satisfaction?period=2026-12").json()
    assert api["total"]["counts"]["puas"] == 1 and api["total"]["percent"]["puas"] == "100.0"
    assert api["comments"][0]["comment"] == COMMENT
    region = client.get("/lapor/wilayah/35.22/?periode=2026-12").content.decode()
    assert COMMENT in region and "Siti" not in region and "siti.unik" not in region
    for body in (  # the rating and comment are tied to no case
        page,
        json.dumps(api),
        client.get("/lapor/statistik/?periode=2026-12").content.decode(),
        *(e.data.decode() for e in LogEntry.objects.filter(kind="participation.survey")),
    ):
        assert case.tracking_id not in body and "Siti" not in body and "siti.unik" not in body
    assert client.get("/api/lapor/satisfaction?period=2026-13").status_code == 422


def test_follow_page_rates_a_closed_case_once(world: World, client: Client) -> None:
    case, secret = closed(world)
    data = {"tracking_id": case.tracking_id, "secret": secret, "action": "rate"}
    page = client.post("/lapor/lacak/", {**data, "action": ""}).content.decode()
    assert "Sangat Puas" in page and "Cukup Puas" in page and question_current("case").text in page
    missing = client.post("/lapor/lacak/", data).content.decode()
    assert 'id="id_rating_error"' in missing or "usa-error-message" in missing
    assert not SurveyAnswer.objects.exists()
    client.post("/lapor/lacak/", {**data, "rating": "3", "comment": ""})
    again = client.post("/lapor/lacak/", {**data, "rating": "1"}).content.decode()
    assert SurveyAnswer.objects.get().rating == Rating.PUAS
    assert "Penilaian Anda" in again


def test_visit_survey_page_and_officer_tokens(world: World, client: Client) -> None:
    client.force_login(world.other_operator)
    form = client.get("/lapor/kelola/survei/token/")
    assert form.status_code == 200 and "Dinas Kesehatan" in form.content.decode()
    printed = client.post("/lapor/kelola/survei/token/", {"service": "Loket KIA", "count": "2"})
    body = printed.content.decode()
    assert body.count("<svg") == 2 and "style=" not in body.split("<main", 1)[-1]
    code = body.split('class="visit-code">', 1)[1].split("<", 1)[0]
    client.logout()
    assert client.get("/lapor/kelola/survei/token/").status_code == 302  # login first
    client.force_login(world.auditor)  # no agency: no tokens
    assert client.get("/lapor/kelola/survei/token/").status_code == 403
    client.logout()
    logged = LogEntry.objects.count()
    page = client.get(f"/lapor/survei/?kode={code}").content.decode()
    assert code in page and "Seberapa puas Anda dengan layanan" in page
    # showing the question writes nothing: version 1 is stored with the first answer
    assert not SurveyQuestion.objects.exists() and LogEntry.objects.count() == logged
    done = client.post("/lapor/survei/", {"code": code, "rating": "4"})
    assert SurveyQuestion.objects.get().version == 1
    assert done.status_code == 200 and "Terima kasih" in done.content.decode()
    twice = client.post("/lapor/survei/", {"code": code, "rating": "4"})
    assert twice.status_code == 400 and "one answer only" in twice.content.decode()
    assert SurveyAnswer.objects.get().agency == world.other


@CONCURRENT
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_answers_to_one_case_or_token_keep_one() -> None:
    from tests.web.participation.conftest import world_create

    world = world_create()
    case, secret = closed(world)
    outcomes = race(6, lambda: survey_answer_case(case=case, secret=secret, rating=Rating.PUAS))
    assert outcomes["ok"] == 1, outcomes
    assert outcomes["this survey was answered already; one answer only"] == 5, outcomes
    code = visit_tokens_create(actor=world.dinas_operator, agency=world.dinas, service="Loket")[0]
    outcomes = race(6, lambda: survey_answer_visit(code=code, rating=Rating.PUAS))
    assert outcomes["ok"] == 1, outcomes
    assert SurveyAnswer.objects.count() == 2


def test_region_pages_link_to_reports_and_satisfaction(world: World, client: Client) -> None:
    case, secret = closed(world)
    survey_answer_case(case=case, secret=secret, rating=Rating.TIDAK_PUAS, now=at(2026, 12, 8))
    budget = client.get("/anggaran/35.22/").content.decode()
    assert 'href="/lapor/wilayah/35.22/"' in budget
    statistics = client.get("/lapor/statistik/?periode=2026-12").content.decode()
    assert 'href="/lapor/wilayah/35.22.01/"' in statistics  # the kecamatan row
    assert "0,0% (1)" in statistics  # the one answer: Tidak Puas
    district = client.get("/lapor/wilayah/35.22.01/?periode=2026-12").content.decode()
    assert case.title in district and "/lapor/baru/?wilayah=35.22.01" in district
    assert "Tidak Puas" in district and 'href="/anggaran/35.22.01/"' in district
    other = client.get("/lapor/wilayah/35.22.02/?periode=2026-12").content.decode()
    assert case.title not in other and "0 jawaban" in other
    form = client.get("/lapor/baru/?wilayah=35.22.01.2001").content.decode()
    assert 'value="35.22.01.2001" selected' in form
    assert client.get("/lapor/wilayah/99.99/").status_code == 404
    assert client.get("/lapor/wilayah/35.22/?periode=2026-13").status_code == 404


def test_moderation_page_for_verifiers_only(world: World, client: Client) -> None:
    code = visit_tokens_create(actor=world.dinas_operator, agency=world.dinas, service="Loket")[0]
    answer = survey_answer_visit(code=code, rating=Rating.PUAS, comment=COMMENT)
    client.force_login(world.dinas_operator)
    assert client.get("/lapor/kelola/survei/komentar/").status_code == 403
    assert client.post(f"/lapor/kelola/survei/komentar/{answer.pk}/",
                       {"action": "publish"}).status_code == 403  # fmt: skip
    client.force_login(world.verifier)
    assert COMMENT in client.get("/lapor/kelola/survei/komentar/").content.decode()
    client.post(f"/lapor/kelola/survei/komentar/{answer.pk}/", {"action": "hide"})
    answer.refresh_from_db()
    assert answer.comment_state == SurveyAnswer.Comment.HIDDEN
    assert COMMENT not in client.get("/lapor/kelola/survei/komentar/").content.decode()
    assert client.post(f"/lapor/kelola/survei/komentar/{answer.pk}/").status_code == 404


def test_question_command_shows_and_versions(world: World) -> None:
    out = io.StringIO()
    call_command("terbuka_participation", "question", "case", stdout=out)
    assert out.getvalue().startswith("case v1: Seberapa puas")
    call_command(
        "terbuka_participation", "question", "case", "--text", "Puaskah Anda dengan jawabannya?",
        "--text-en", "Are you satisfied with the answer?", stdout=out,
    )  # fmt: skip
    assert "case v2: Puaskah Anda" in out.getvalue()
    with pytest.raises(CommandError, match="10–300"):
        call_command("terbuka_participation", "question", "case", "--text", "pendek")
