"""/kelola/ for an auditor with thousands of processes: 50 a page, searchable, filtered by stage
reached, status, agency and year, in a constant number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.contracting.models import Document, Process
from terbuka_web.contracting.selectors import PROCESS_STATUSES
from terbuka_web.contracting.views import STATUS_LABELS

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(agencies: dict[str, Agency], users: dict[str, User]) -> None:
    """Create 120 processes: 70 of "own" (2026, unpublished), 50 of "other" (2025, awarded)."""
    own = agencies["own"]
    rows = [
        Process(ocid=f"x-own-{n:03d}", agency=own, title=f"Jalan desa {n}", fiscal_year=2026)
        for n in range(70)
    ]
    published = {
        "stage_reached": "award",
        "stages_published": ["planning", "tender", "award"],
        "first_published_at": "2025-03-01T00:00:00Z",
    }
    rows += [
        Process(
            ocid=f"x-oth-{n:03d}",
            agency=agencies["other"],
            title=f"Puskesmas {n}",
            fiscal_year=2025,
            **published,
        )
        for n in range(50)
    ]
    Process.objects.bulk_create(rows)


def page(user: User, **query: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get("/kelola/", query)
    assert response.status_code == 200
    return response.content.decode()


def test_every_status_filter_has_a_label() -> None:
    assert STATUS_LABELS.keys() == PROCESS_STATUSES.keys()


def test_auditor_pages_through_all_processes(users: dict, many: None) -> None:
    first = page(users["auditor"])
    assert ">120 paket pekerjaan<" in first and "Halaman 1 dari 3" in first
    assert first.count('<th scope="row">') == 50
    last = page(users["auditor"], page="3")
    assert last.count('<th scope="row">') == 20 and 'rel="prev"' in last


def test_filters_narrow_the_list(users: dict, many: None, agencies: dict) -> None:
    auditor = users["auditor"]
    assert ">1 paket pekerjaan<" in page(auditor, q="jalan desa 42")
    assert ">50 paket pekerjaan<" in page(auditor, stage="award")
    assert ">70 paket pekerjaan<" in page(auditor, stage="none")
    assert ">70 paket pekerjaan<" in page(auditor, status="unpublished")
    assert ">50 paket pekerjaan<" in page(auditor, status="published", year="2025")
    assert ">70 paket pekerjaan<" in page(auditor, agency="dinas-pupr")
    assert ">0 paket pekerjaan<" in page(auditor, status="bogus")
    assert ">120 paket pekerjaan<" in page(auditor, year="dua ribu")  # not a year: ignored


def test_new_documents_status(users: dict, many: None) -> None:
    process = Process.objects.get(ocid="x-own-007")
    Document.objects.create(
        process=process,
        stage="planning",
        document_type="procurementPlan",
        title="DPA",
        file="documents/x.pdf",
        filename="x.pdf",
        sha256="0" * 64,
        size=1,
    )
    found = page(users["auditor"], status="new_documents")
    assert ">1 paket pekerjaan<" in found and "Jalan desa 7<" in found


def test_operators_see_only_their_agency_without_an_agency_filter(users: dict, many: None) -> None:
    own = page(users[Role.OPERATOR])
    assert ">70 paket pekerjaan<" in own and 'id="f-agency"' not in own
    assert ">0 paket pekerjaan<" in page(users[Role.OPERATOR], q="puskesmas")


def test_a_page_costs_the_same_queries_whatever_its_size(users: dict, many: None) -> None:
    client = Client()
    client.force_login(users["auditor"])
    with CaptureQueriesContext(connection) as small:
        client.get("/kelola/", {"q": "jalan desa 42"})
    with CaptureQueriesContext(connection) as full:
        client.get("/kelola/")
    assert len(full) == len(small) < 15
