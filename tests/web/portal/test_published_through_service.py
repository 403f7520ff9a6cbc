"""Publish through the contracting service and see the result on the portal and the API."""

from __future__ import annotations

import pytest
from django.test import Client

from terbuka.ocds.stage_examples import EXAMPLE_STAGE_DATA
from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.contracting import services
from terbuka_web.contracting.models import StageDraft
from tests.web.factories import region_bojonegoro
from tests.web.ocds_schema import package_validate

pytestmark = pytest.mark.django_db


def test_published_stages_appear_and_drafts_stay_hidden(client: Client) -> None:
    agency = Agency.objects.create(
        code="dinas-pupr", name="Dinas PU Bina Marga", kind="dinas", government=region_bojonegoro()
    )
    operator = User.objects.create_user("op1", role=Role.OPERATOR, agency=agency)
    ppk = User.objects.create_user("ppk1", role=Role.PPK, agency=agency)
    process = services.process_create(
        user=operator, agency=agency, title="Rehabilitasi Jalan Poros Desa Ngasem", fiscal_year=2026
    )
    for stage, data in EXAMPLE_STAGE_DATA.items():
        StageDraft.objects.create(process=process, stage=stage, data=data)
    assert client.get(f"/proses/{process.ocid}/").status_code == 404  # drafts only

    services.stage_publish(user=ppk, process=process, stage="planning")
    services.stage_publish(user=ppk, process=process, stage="tender")
    html = client.get(f"/proses/{process.ocid}/").content.decode()
    assert html.count('class="stage done"') == 2 and html.count('class="stage pending"') == 3
    found = client.get("/", {"q": "ngasem"}).context["page"].object_list
    assert [p["ocid"] for p in found] == [process.ocid]
    assert client.get("/", {"stage": "tender", "year": "2026"}).context["page"].paginator.count == 1

    package = client.get(f"/api/ocds/records/{process.ocid}").json()
    package_validate(package, "record")
    assert len(package["records"][0]["releases"]) == 2
    assert "award" not in package["records"][0]["compiledRelease"].get("tag", [])


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("aspal", True),  # pengaspalan: on PostgreSQL only a root form makes this a word prefix
        ("sedia", True),  # penyediaan: peny + sedia, in no word as a substring either
        ("bangun", True),  # pembangunan
        ("air sedia", True),
        ("bangunan sekolah", False),
    ],
)
def test_a_root_finds_the_words_derived_from_it(client: Client, q: str, found: bool) -> None:
    agency = Agency.objects.create(
        code="dinas-pupr", name="Dinas PU Bina Marga", kind="dinas", government=region_bojonegoro()
    )
    operator = User.objects.create_user("op1", role=Role.OPERATOR, agency=agency)
    ppk = User.objects.create_user("ppk1", role=Role.PPK, agency=agency)
    title = "Penyediaan Air Bersih, Pengaspalan dan Pembangunan Talud Desa Ngasem"
    process = services.process_create(user=operator, agency=agency, title=title, fiscal_year=2026)
    data = {**EXAMPLE_STAGE_DATA["planning"], "project": title}  # the published title
    StageDraft.objects.create(process=process, stage="planning", data=data)
    services.stage_publish(user=ppk, process=process, stage="planning")
    ocids = [p["ocid"] for p in client.get("/", {"q": q}).context["page"].object_list]
    assert ocids == ([process.ocid] if found else [])
