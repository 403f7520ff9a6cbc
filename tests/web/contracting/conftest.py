"""Fixtures of the contracting tests: two agencies, one user per role, PDFs, a ready process."""

from __future__ import annotations

import io
from typing import Any

import pypdf
import pytest

from terbuka.ocds.stage_examples import EXAMPLE_STAGE_DATA
from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.contracting.models import Document, Process, StageDraft
from terbuka_web.regions.models import Region

AGENCY_ROLES = (Role.PA, Role.PPK, Role.PPTK, Role.OPERATOR)


def pdf_bytes(pages: int = 1) -> bytes:
    """Return a small real PDF made by pypdf."""
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(
    users: dict[str, User], process: Process, content: bytes, stage: str = "planning"
) -> Document:
    """Upload content as a PDF of process's stage, as the own agency's operator."""
    kinds = {"planning": "procurementPlan", "tender": "tenderNotice"}
    from terbuka_web.contracting import services

    return services.document_upload(
        user=users[Role.OPERATOR],
        process=process,
        stage=stage,
        document_type=kinds[stage],
        title=f"Dokumen {len(content)}",
        stream=io.BytesIO(content),
        filename="dokumen.pdf",
    )


@pytest.fixture
def agencies(db: Any) -> dict[str, Agency]:
    bojonegoro = Region.objects.create(code="35.22", name="Bojonegoro", level="regency")
    return {
        "own": Agency.objects.create(
            code="dinas-pupr", name="Dinas PU Bina Marga", kind="dinas", government=bojonegoro
        ),
        "other": Agency.objects.create(
            code="dinkes", name="Dinas Kesehatan", kind="dinas", government=bojonegoro
        ),
    }


@pytest.fixture
def users(agencies: dict[str, Agency]) -> dict[str, User]:
    """Return users keyed "admin", "auditor", and "<role>" / "<role>_other" for agency roles."""
    found = {
        "admin": User.objects.create_user("admin1", role=Role.ADMIN),
        "auditor": User.objects.create_user("auditor1", role=Role.AUDITOR),
    }
    for role in AGENCY_ROLES:
        found[role] = User.objects.create_user(f"{role}1", role=role, agency=agencies["own"])
        found[f"{role}_other"] = User.objects.create_user(
            f"{role}2", role=role, agency=agencies["other"]
        )
    return found


@pytest.fixture
def process(agencies: dict[str, Agency], users: dict[str, User]) -> Process:
    """Return a process of the "own" agency with all five stage drafts saved."""
    from terbuka_web.contracting import services

    created = services.process_create(
        user=users[Role.OPERATOR],
        agency=agencies["own"],
        title="Rehabilitasi Jalan Poros Desa Ngasem",
        fiscal_year=2026,
    )
    for stage, data in EXAMPLE_STAGE_DATA.items():
        StageDraft.objects.create(process=created, stage=stage, data=data)
    return created
