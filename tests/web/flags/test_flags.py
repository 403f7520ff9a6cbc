"""Stored red flags: recomputed in the publication or import transaction, served by /api/flags."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from terbuka.errors import ValidationError
from terbuka.ocds.stage_examples import EXAMPLE_STAGE_DATA
from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.contracting import services
from terbuka_web.contracting.imports import package_import
from terbuka_web.contracting.models import Process, StageDraft
from terbuka_web.flags.models import ProcessFlag
from terbuka_web.regions.models import Region
from tests.web.contracting.test_namespaces import package

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency(db: None) -> Agency:
    bojonegoro = Region.objects.create(code="35.22", name="Bojonegoro", level="regency")
    return Agency.objects.create(
        code="dinas-pupr", name="Dinas PU Bina Marga", kind="dinas", government=bojonegoro
    )


@pytest.fixture
def ppk(agency: Agency) -> User:
    return User.objects.create_user("ppk-flags", role=Role.PPK, agency=agency)


@pytest.fixture
def operator(agency: Agency) -> User:
    return User.objects.create_user("op-flags", role=Role.OPERATOR, agency=agency)


@pytest.fixture
def process(agency: Agency, operator: User) -> Process:
    created = services.process_create(
        user=operator, agency=agency, title="Rehabilitasi Jalan Ngasem", fiscal_year=2026
    )
    for stage in ("planning", "tender"):
        StageDraft.objects.create(process=created, stage=stage, data=EXAMPLE_STAGE_DATA[stage])
    return created


def flags_of(process: Process) -> dict[str, float | None]:
    return dict(ProcessFlag.objects.filter(process=process).values_list("code", "value"))


def test_publication_stores_and_replaces_the_process_flags(
    process: Process, ppk: User, operator: User
) -> None:
    services.stage_publish(user=ppk, process=process, stage="planning")
    assert flags_of(process) == {}
    services.stage_publish(user=ppk, process=process, stage="tender")
    assert flags_of(process) == {"R003": 1.0}  # 2 to 16 March: 14 days, below 15
    longer = {**EXAMPLE_STAGE_DATA["tender"], "period_end": "2026-03-20"}
    longer["amendment_rationale"] = "Masa penawaran diperpanjang"
    services.stage_draft_save(user=operator, process=process, stage="tender", data=longer)
    services.stage_publish(user=ppk, process=process, stage="tender")
    assert flags_of(process) == {}  # 18 days now: the flag goes with the publication


def test_a_refused_publication_leaves_the_flags_as_they_were(process: Process, ppk: User) -> None:
    services.stage_publish(user=ppk, process=process, stage="planning")
    services.stage_publish(user=ppk, process=process, stage="tender")
    before = list(ProcessFlag.objects.values_list("process_id", "code", "value", "computed_at"))
    with pytest.raises(ValidationError):  # nothing changed since the last publication
        services.stage_publish(user=ppk, process=process, stage="tender")
    after = list(ProcessFlag.objects.values_list("process_id", "code", "value", "computed_at"))
    assert after == before == [(process.pk, "R003", 1.0, before[0][3])]


def imported_release(release_id: str, tenderers: int, date: str) -> dict[str, Any]:
    return {
        "ocid": "ocds-lpse01-2026-1",
        "id": release_id,
        "date": date,
        "tag": ["tender"],
        "initiationType": "tender",
        "buyer": {"id": "ID-PEMDA-1", "name": "Dinas PU Bina Marga"},
        "parties": [{"id": "ID-PEMDA-1", "name": "Dinas PU Bina Marga", "roles": ["buyer"]}],
        "tender": {
            "id": "t1",
            "title": "Jembatan Kali Kethek",
            "procurementMethod": "open",
            "procurementMethodDetails": "Tender",
            "numberOfTenderers": tenderers,
        },
    }


def test_import_stores_and_replaces_the_process_flags(agency: Agency) -> None:
    admin = User.objects.create_user("admin-flags", role=Role.ADMIN)
    single = imported_release("r1", 1, "2026-01-05T00:00:00Z")
    package_import(data=package(single), actor=admin, source_name="a.json")
    process = Process.objects.get(ocid="ocds-lpse01-2026-1")
    assert flags_of(process) == {"R018": 1.0}
    three = imported_release("r2", 3, "2026-01-07T00:00:00Z")
    package_import(data=package(three), actor=admin, source_name="b.json")
    assert flags_of(process) == {}


def test_api_lists_the_flagged_processes_of_an_agency(
    client: Client, process: Process, ppk: User
) -> None:
    services.stage_publish(user=ppk, process=process, stage="planning")
    services.stage_publish(user=ppk, process=process, stage="tender")
    rows = client.get("/api/flags", {"code": "R003", "agency": "dinas-pupr"}).json()
    assert rows == [
        {
            "ocid": process.ocid,
            "title": "Rehabilitasi Jalan Ngasem",
            "agency": {"code": "dinas-pupr", "name": "Dinas PU Bina Marga"},
            "fiscal_year": 2026,
            "method": "tender",
            "code": "R003",
            "value": 1.0,
            "url": f"http://testserver/proses/{process.ocid}/",
        }
    ]
    assert client.get("/api/flags", {"code": "R003"}).json()[0]["ocid"] == process.ocid
    assert client.get("/api/flags", {"code": "R003", "agency": "dinkes"}).json() == []
    assert client.get("/api/flags", {"code": "R018"}).json() == []


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({}, 422, "code"),
        ({"code": "R024"}, 422, "code"),  # compares processes: not stored per process
        ({"code": "R018", "limit": "0"}, 422, "limit"),
        ({"code": "R018", "supplier": "x"}, 400, "supplier"),
    ],
)
def test_api_refuses_bad_parameters_in_the_error_shape(
    client: Client, params: dict[str, str], status: int, field: str
) -> None:
    response = client.get("/api/flags", params)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["field"] == field and error["message"] and error["message_en"]
