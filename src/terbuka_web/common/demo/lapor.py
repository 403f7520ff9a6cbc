"""Seed the demo's citizens' reports: cases across agencies and villages in every state.

Three village governments (Pemerintah Desa) join the agencies; complaint coordinators are set
for a kecamatan, the kabupaten, the province and the nation. Cases are filed and moved
through the workflow at past moments, then the deadline tick runs on three past days and
today, so some close automatically and some are escalated. Some reporters are *anonim*, one
case is *rahasia*. The Open311 demo key DEMO_KEY is created. Satisfaction survey answers
follow: the reporters of closed cases rate them, and visitors answer visit tokens of a few
agencies across the last twelve months, some with comments (a few published by the admin).
Runs only when no case exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.accounts.services import agency_create, user_create
from terbuka_web.common.demo.seed import GOVERNMENT
from terbuka_web.participation import survey_selectors
from terbuka_web.participation.deadlines import deadlines_apply
from terbuka_web.participation.models import Case, Coordinator, Level
from terbuka_web.participation.open311 import DEMO_KEY, apikey_create
from terbuka_web.participation.reports import ReportInput
from terbuka_web.participation.services import (
    case_answer,
    case_close,
    case_forward,
    case_reject,
    case_reopen,
    case_start,
    case_verify,
    categories_seed,
    report_submit,
)
from terbuka_web.participation.survey_services import (
    comment_moderate,
    survey_answer_case,
    survey_answer_visit,
    visit_tokens_create,
)
from terbuka_web.regions.models import Region

TOPICS = (
    ("complaint", "jalan-jembatan", "dpupr", "Jalan poros desa berlubang",
     "Jalan poros desa rusak dan berlubang sepanjang kurang lebih 300 meter sejak musim hujan."),
    ("complaint", "kesehatan", "dinkes", "Antrean puskesmas terlalu panjang",
     "Pasien menunggu lebih dari tiga jam di puskesmas karena loket pendaftaran hanya satu."),
    ("aspiration", "pendidikan", "disdik", "Usulan perpustakaan keliling",
     "Kami mengusulkan perpustakaan keliling mampir ke sekolah dasar di desa kami sebulan sekali."),
    ("request", "air-bersih", "dpupr", "Pipa air bersih bocor",
     "Pipa distribusi air bersih bocor di dekat masjid sehingga air tidak sampai ke rumah warga."),
    ("complaint", "adminduk", "disdukcapil", "KTP-el belum dicetak",
     "Sudah tiga bulan perekaman KTP-el tetapi kartu belum dicetak, alasannya blangko kosong."),
    ("complaint", "bansos", "dinsos", "Bantuan sosial tidak tepat sasaran",
     "Beberapa penerima bantuan di dusun kami tergolong mampu, lansia miskin justru tidak dapat."),
    ("complaint", "jalan-jembatan", "desa", "Jembatan bambu hampir roboh",
     "Jembatan bambu penghubung dusun miring dan hampir roboh, dipakai anak sekolah setiap hari."),
    ("aspiration", "lainnya", "desa", "Lampu penerangan jalan desa",
     "Warga mengusulkan lampu penerangan di jalan menuju sawah karena gelap dan rawan."),
)  # fmt: skip
ANSWER = "Sudah kami tinjau di lapangan; perbaikan dijadwalkan dan dikerjakan minggu ini."


def demo_reports_create(*, now: dt.datetime | None = None) -> int | None:
    """Seed the demo's cases; return how many, or None when cases exist already."""
    if Case.objects.exists():
        return None
    now = now or timezone.now()
    villages = list(
        Region.objects.filter(level="village", code__startswith=f"{GOVERNMENT}.").order_by("code")
    )
    if not villages:
        return None
    admin = User.objects.filter(role=Role.ADMIN).first()
    prefix = GOVERNMENT.replace(".", "")
    agencies = {
        a.code.split("-", 1)[1]: a for a in Agency.objects.filter(code__startswith=f"{prefix}-")
    }
    if admin is None or not agencies:
        return None
    with transaction.atomic():
        categories_seed()
        apikey_create(name="demo", key=DEMO_KEY)  # Open311: documented in docs/demo.md
        desa = _villages_seed(villages[::97][:3])
        _coordinators_seed(villages[0])
        count, secrets = _cases_seed(now, admin, agencies, desa, villages)
    for days in (25, 12, 5, 0):  # the tick as it would have run: auto-close, escalation
        deadlines_apply(now=now - dt.timedelta(days=days))
    with transaction.atomic():
        _surveys_seed(now, admin, secrets, [*agencies.values(), *desa])
    return count


def _villages_seed(villages: list[Region]) -> list[Agency]:
    found = []
    for village in villages:
        agency = agency_create(
            actor=None, code=f"desa-{village.code.replace('.', '')}-{slugify(village.name)}",
            name=f"Pemerintah Desa {village.name}", kind=Agency.Kind.DESA, government=village,
        )  # fmt: skip
        user_create(
            actor=None, username=f"kades.{slugify(village.name)}", password=None, role=Role.PA,
            agency=agency,
        )  # fmt: skip
        found.append(agency)
    return found


def _coordinators_seed(village: Region) -> None:
    district = village.parent
    assert district is not None
    for level, region in (
        (Level.KECAMATAN, district), (Level.KABUPATEN, district.parent),
        (Level.PROVINSI, Region.objects.filter(code=GOVERNMENT.split(".")[0]).first()),
        (Level.NASIONAL, None),
    ):  # fmt: skip
        user = user_create(
            actor=None, username=f"koordinator.{level}", password=None, role=Role.AUDITOR
        )
        Coordinator.objects.create(user=user, level=level, region=region)


def _cases_seed(
    now: dt.datetime, admin: User, agencies: dict[str, Agency], desa: list[Agency],
    villages: list[Region],
) -> tuple[int, list[tuple[Case, str]]]:  # fmt: skip
    steps = list(_scripts().items())
    count, secrets = 0, []
    for n in range(32):
        kind, category, short, title, text = TOPICS[n % len(TOPICS)]
        _name, script = steps[n % len(steps)]
        agency = desa[n % len(desa)] if short == "desa" else agencies.get(short, desa[0])
        village = agency.government if short == "desa" else villages[(n * 37) % len(villages)]
        start = now - dt.timedelta(days=script[0])
        report = ReportInput(
            kind=kind, category=category, subject="place", title=title, region=village.code,
            text=f"{text} (Demo {n + 1}.)", anonim=n % 3 == 1, rahasia=n == 5,
            reporter_name=f"Warga Demo {n + 1}", contact_preference="email",
            contact=f"warga{n + 1}@contoh.example",
        )  # fmt: skip
        case, secret = report_submit(report=report, client_ip=f"10.0.{n}.1", now=start)
        script[1](case, secret, agency, admin, start)
        secrets.append((case, secret))
        count += 1
    return count, secrets


RATINGS_SPREAD = (4, 3, 3, 4, 2, 3, 1, 3, 4, 3, 2, 3)  # mostly satisfied, as published results are
COMMENTS = (
    "Petugas ramah dan cepat melayani.",
    "Antrean panjang, loket perlu ditambah pada hari Senin.",
    "Ruang tunggu bersih, tetapi informasi persyaratan kurang jelas.",
)
VISITS_PER_AGENCY = 12


def _surveys_seed(
    now: dt.datetime, admin: User, secrets: list[tuple[Case, str]], agencies: list[Agency]
) -> None:
    """Rate the closed cases, answer visit tokens of the first agencies with an official over
    the last twelve months, and publish the first comments."""
    for n, (case, secret) in enumerate(secrets):
        case.refresh_from_db(fields=["state", "closed_at"])
        if case.state == Case.State.CLOSED and case.closed_at is not None:
            survey_answer_case(
                case=case, secret=secret, rating=RATINGS_SPREAD[n % len(RATINGS_SPREAD)],
                now=case.closed_at + dt.timedelta(hours=2),
            )  # fmt: skip
    staffed = [(a, o) for a in agencies if (o := _officer(a)) is not None][:5]
    for i, (agency, officer) in enumerate(staffed):
        codes = visit_tokens_create(
            actor=officer, agency=agency, service=f"Loket pelayanan {agency.name}"[:200],
            count=VISITS_PER_AGENCY, now=now - dt.timedelta(days=365),
        )  # fmt: skip
        for n, code in enumerate(codes):
            comment = COMMENTS[(i + n) % len(COMMENTS)] if n % 4 == 0 else ""
            survey_answer_visit(
                code=code, rating=RATINGS_SPREAD[(i * 5 + n) % len(RATINGS_SPREAD)],
                comment=comment, now=now - dt.timedelta(days=30 * n + i + 1),
            )  # fmt: skip
    for n, answer in enumerate(survey_selectors.comments_pending()[:6]):
        comment_moderate(actor=admin, answer=answer, publish=n != 5)


def _officer(agency: Agency) -> User:
    return User.objects.filter(agency=agency, role__in=(Role.PA, Role.PPK)).first()  # type: ignore[return-value]


Script = Callable[[Case, str, Agency, User, dt.datetime], object]


def _scripts() -> dict[str, tuple[int, Script]]:
    """Return, per final state, (days ago filed, the steps taken after filing)."""
    day = dt.timedelta(days=1)

    def forwarded(c: Case, s: str, a: Agency, u: User, t: dt.datetime) -> Case:
        return case_forward(
            actor=u, case=case_verify(actor=u, case=c, now=t + day), agency=a, now=t + 2 * day
        )

    def answered(c: Case, s: str, a: Agency, u: User, t: dt.datetime) -> Case:
        c = case_start(actor=_officer(a), case=forwarded(c, s, a, u, t), now=t + 3 * day)
        return case_answer(actor=_officer(a), case=c, answer=ANSWER, now=t + 5 * day)

    return {
        "received": (0, lambda c, s, a, u, t: c),
        "verified": (1, lambda c, s, a, u, t: case_verify(actor=u, case=c, now=t + day / 2)),
        "rejected": (6, lambda c, s, a, u, t: case_reject(
            actor=u, case=c, reason="Di luar kewenangan pemerintah kabupaten.", now=t + day)),
        "forwarded": (3, forwarded),
        "escalated": (40, forwarded),
        "in_progress": (5, lambda c, s, a, u, t: case_start(
            actor=_officer(a), case=forwarded(c, s, a, u, t), now=t + 3 * day)),
        "answered": (7, answered),
        "closed": (12, lambda c, s, a, u, t: case_close(
            case=answered(c, s, a, u, t), secret=s, now=t + 7 * day)),
        "auto_closed": (35, answered),
        "reopened": (14, lambda c, s, a, u, t: case_reopen(
            case=answered(c, s, a, u, t), secret=s,
            reason="Perbaikan hanya sebagian, lubang lain belum ditambal.", now=t + 8 * day)),
    }  # fmt: skip
