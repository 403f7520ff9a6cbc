"""Fixtures of the participation tests: a small region tree, agencies, officers, a report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.participation.models import Case, Coordinator, Level
from terbuka_web.participation.reports import ReportInput
from terbuka_web.participation.services import categories_seed, report_submit
from terbuka_web.regions.models import Region

JAKARTA = ZoneInfo("Asia/Jakarta")
VILLAGE, OTHER_VILLAGE = "35.22.01.2001", "35.22.02.2001"


def at(year: int, month: int, day: int, hour: int = 9) -> dt.datetime:
    """Return a frozen moment, hour o'clock in Asia/Jakarta."""
    return dt.datetime(year, month, day, hour, tzinfo=JAKARTA)


@dataclass
class World:
    desa: Agency
    dinas: Agency
    other: Agency
    verifier: User
    desa_operator: User
    desa_pa: User
    dinas_operator: User
    other_operator: User
    auditor: User
    coordinators: dict[str, User]


def _user(name: str, role: str, agency: Agency | None = None) -> User:
    return User.objects.create_user(
        username=name, password=None, role=role, agency=agency, email=f"{name}@pemda.example"
    )


@pytest.fixture
def world(db: None) -> World:
    """Create Jawa Timur › Bojonegoro › two kecamatan › a desa each, agencies and officers."""
    return world_create()


def world_create() -> World:
    """Create the regions, agencies, officers and coordinators of World (also in a child)."""
    categories_seed()  # a transactional test's flush removed the migration's rows
    prov = Region.objects.create(code="35", name="Jawa Timur", level="province")
    kab = Region.objects.create(code="35.22", name="Bojonegoro", level="regency", parent=prov)
    for district, village, name in (
        ("35.22.01", VILLAGE, "Ngasem"),
        ("35.22.02", OTHER_VILLAGE, "Kedungadem"),
    ):
        kec = Region.objects.create(code=district, name=f"Kec {name}", level="district", parent=kab)
        Region.objects.create(code=village, name=f"Desa {name}", level="village", parent=kec)
    desa = Agency.objects.create(
        code="desa-ngasem", name="Pemerintah Desa Ngasem", kind="desa",
        government=Region.objects.get(code=VILLAGE),
    )  # fmt: skip
    dinas = Agency.objects.create(code="3522-pu", name="Dinas PU", kind="dinas", government=kab)
    other = Agency.objects.create(
        code="3522-dinkes", name="Dinas Kesehatan", kind="dinas", government=kab
    )
    coordinators = {}
    for level, region in (
        (Level.KECAMATAN, "35.22.01"), (Level.KABUPATEN, "35.22"), (Level.PROVINSI, "35"),
        (Level.NASIONAL, None),
    ):  # fmt: skip
        user = _user(
            f"koordinator.{level}", Role.AUDITOR if level != Level.KECAMATAN else Role.OPERATOR
        )
        Coordinator.objects.create(user=user, level=level, region_id=region)
        coordinators[level] = user
    return World(
        desa=desa, dinas=dinas, other=other,
        verifier=_user("admin.lapor", Role.ADMIN),
        desa_operator=_user("operator.desa", Role.OPERATOR, desa),
        desa_pa=_user("pa.desa", Role.PA, desa),
        dinas_operator=_user("operator.pu", Role.OPERATOR, dinas),
        other_operator=_user("operator.dinkes", Role.OPERATOR, other),
        auditor=_user("auditor", Role.AUDITOR),
        coordinators=coordinators,
    )  # fmt: skip


def report(**changes: object) -> ReportInput:
    """Return a valid report about a place in Desa Ngasem, with changes."""
    fields: dict[str, object] = {
        "kind": "complaint", "category": "jalan-jembatan", "subject": "place",
        "title": "Jalan desa berlubang", "region": VILLAGE,
        "text": "Jalan di depan balai desa berlubang besar sejak dua bulan, membahayakan.",
        "reporter_name": "Siti Rahmawati Unik", "contact_preference": "email",
        "contact": "siti.unik@example.org",
    }  # fmt: skip
    fields.update(changes)
    return ReportInput(**fields)  # type: ignore[arg-type]


def file(when: dt.datetime, ip: str = "203.0.113.7", **changes: object) -> tuple[Case, str]:
    """File report(**changes) at when from ip."""
    return report_submit(report=report(**changes), client_ip=ip, now=when)
