"""Create realistic published and draft contracting processes for the web tests.

Rows are written directly (no publishing service): each published stage becomes one OCDS 1.1.5
release shaped like Bojonegoro's Open Data Kontrak, and the process's derived search fields and
compiled release are filled the way publishing fills them.
"""

from __future__ import annotations

import hashlib
import io
import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.test import Client

from terbuka.canonical import canonical_json
from terbuka.ocds.codes import METHODS, STAGES
from terbuka.ocds.merge import compile_release
from terbuka.ocds.stage_examples import EXAMPLE_STAGE_DATA
from terbuka.ocds.summary import summarize
from terbuka.tlog.note import generate_key
from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.common.demo.pdf import pdf_render
from terbuka_web.contracting import services
from terbuka_web.contracting.models import Document, Process, Release, StageDraft
from terbuka_web.regions.models import Region

PREFIX = "ocds-tbk352"
BASE_DATE = datetime(2024, 1, 15, 2, 0, tzinfo=UTC)
_serial = itertools.count(1)


def region_bojonegoro() -> Region:
    """Return the Kabupaten Bojonegoro region row, creating it and Jawa Timur when missing."""
    jatim, _ = Region.objects.get_or_create(
        code="35", defaults={"name": "Jawa Timur", "level": Region.Level.PROVINCE}
    )
    bojonegoro, _ = Region.objects.get_or_create(
        code="35.22",
        defaults={"name": "Kabupaten Bojonegoro", "level": Region.Level.REGENCY, "parent": jatim},
    )
    return bojonegoro


def agency_create(
    code: str = "dinas-pu-bina-marga", name: str = "Dinas Pekerjaan Umum Bina Marga"
) -> Agency:
    """Create an agency (perangkat daerah) of Kabupaten Bojonegoro."""
    return Agency.objects.create(
        code=code, name=name, kind=Agency.Kind.DINAS, government=region_bojonegoro()
    )


def _party(pid: str, name: str, roles: list[str]) -> dict[str, Any]:
    return {"id": pid, "name": name, "roles": roles}


def supplier_npwp(name: str) -> str:
    """Return the 16-digit business NPWP (0 + 15 digits) the factories give supplier name."""
    return "0" + str(int(hashlib.sha256(name.encode()).hexdigest(), 16))[:15]


def release_build(
    *,
    ocid: str,
    stage: str,
    date: datetime,
    agency: Agency,
    title: str,
    description: str,
    method: str,
    value: int,
    supplier: str,
) -> dict[str, Any]:
    """Return one OCDS release publishing stage of a process, as Open Data Kontrak does."""
    buyer_id = f"ID-PEMDA-{agency.code}"
    money = {"amount": value, "currency": "IDR"}
    release: dict[str, Any] = {
        "ocid": ocid,
        "id": f"{ocid}-{stage}-{date:%Y%m%dT%H%M%S}",
        "date": date.isoformat().replace("+00:00", "Z"),
        "tag": [stage],
        "initiationType": "tender",
        "language": "id",
        "buyer": {"id": buyer_id, "name": agency.name},
        "parties": [_party(buyer_id, agency.name, ["buyer", "procuringEntity"])],
    }
    ocds_method, details = METHODS[method]
    if stage == "planning":
        release["planning"] = {
            "rationale": f"Rencana Kerja {agency.name} tahun {date.year}",
            "budget": {"id": f"DPA-{date.year}", "description": "DPA", "amount": money},
        }
        release["tender"] = {"id": f"{ocid}-tender", "title": title, "description": description}
    elif stage == "tender":
        release["tender"] = {
            "id": f"{ocid}-tender",
            "title": title,
            "description": description,
            "status": "active",
            "value": money,
            "procurementMethod": ocds_method,
            "procurementMethodDetails": details,
            "procuringEntity": {"id": buyer_id, "name": agency.name},
        }
    else:
        npwp = supplier_npwp(supplier)
        supplier_id = f"ID-DJP-{npwp}"
        party = _party(supplier_id, supplier, ["supplier", "payee"])
        party["identifier"] = {"scheme": "ID-DJP", "id": npwp, "legalName": supplier}
        release["parties"].append(party)
        org = {"id": supplier_id, "name": supplier}
        if stage == "award":
            release["awards"] = [
                {"id": f"{ocid}-award-1", "status": "active", "value": money, "suppliers": [org]}
            ]
        elif stage == "contract":
            release["contracts"] = [
                {
                    "id": f"{ocid}-contract-1",
                    "awardID": f"{ocid}-award-1",
                    "status": "active",
                    "value": money,
                    "dateSigned": release["date"],
                }
            ]
        else:
            payment = {"id": f"{ocid}-pay-1", "date": release["date"], "value": money}
            payment["payee"] = org
            payment["payer"] = {"id": buyer_id, "name": agency.name}
            release["contracts"] = [
                {"id": f"{ocid}-contract-1", "implementation": {"transactions": [payment]}}
            ]
    return release


def process_create(
    *,
    agency: Agency,
    title: str = "Pembangunan Jalan Desa Kalitidu",
    description: str = "Pengaspalan jalan poros desa sepanjang 2 km",
    stages: tuple[str, ...] = ("planning", "tender"),
    method: str = "tender",
    value: int = 1_250_000_000,
    fiscal_year: int = 2024,
    supplier: str = "CV Maju Jaya Bojonegoro",
    start: datetime | None = None,
) -> Process:
    """Create a published process with one release per stage in stages (in that order)."""
    serial = next(_serial)
    ocid = f"{PREFIX}-3522-{fiscal_year}-{serial:06d}"
    start = start or BASE_DATE + timedelta(days=serial)
    process = Process.objects.create(
        ocid=ocid,
        agency=agency,
        buyer_name=agency.name,
        title=title,
        description=description,
        fiscal_year=fiscal_year,
        method=method,
    )
    releases = []
    for i, stage in enumerate(stages):
        data = release_build(
            ocid=ocid,
            stage=stage,
            date=start + timedelta(days=10 * i),
            agency=agency,
            title=title,
            description=description,
            method=method,
            value=value,
            supplier=supplier,
        )
        releases.append(release_add(process, data, stage))
    published = [s for s in STAGES if s in stages]
    process.stages_published = published
    process.stage_reached = published[-1] if published else ""
    process.value_idr = value
    process.compiled_release = compile_release([r.data for r in releases]) if releases else {}
    process.search_text = summarize(process.compiled_release).search_text
    process.first_published_at = releases[0].published_at if releases else None
    process.last_published_at = releases[-1].published_at if releases else None
    process.save()
    return process


def release_add(process: Process, data: dict[str, Any], stage: str) -> Release:
    """Store data as a published release of process (published_at is now)."""
    return Release.objects.create(
        process=process,
        ocid=process.ocid,
        release_id=data["id"],
        date=datetime.fromisoformat(data["date"].replace("Z", "+00:00")),
        tags=data["tag"],
        stage=stage,
        data=data,
        sha256=hashlib.sha256(canonical_json(data)).hexdigest(),
    )


def draft_create(*, agency: Agency, title: str = "Rehabilitasi Gedung Rahasia Draf") -> Process:
    """Create a process that has only an unpublished stage draft (never public)."""
    process = Process.objects.create(
        ocid=f"{PREFIX}-3522-2024-{next(_serial):06d}",
        agency=agency,
        buyer_name=agency.name,
        title=title,
        fiscal_year=2024,
        method="tender",
        search_text=title.lower(),
        value_idr=999_000_000,
    )
    StageDraft.objects.create(process=process, stage="planning", data={"title": title})
    return process


def document_create(
    process: Process, *, stage: str, release: Release | None, title: str = "Kerangka Acuan Kerja"
) -> Document:
    """Attach a small PDF to process's stage; release None keeps it a draft document."""
    content = b"%PDF-1.4\n% Terbuka test document " + title.encode() + b"\n%%EOF\n"
    doc = Document(
        process=process,
        stage=stage,
        document_type="tenderNotice",
        title=title,
        filename="kak.pdf",
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        release=release,
    )
    doc.file.save("kak.pdf", ContentFile(content), save=False)
    doc.save()
    return doc


def release_later(process: Process, stage: str, *, days: int, supplier: str) -> dict[str, Any]:
    """Return the data of a new release of process's stage, dated days after its first one."""
    assert process.agency is not None
    first = process.releases.order_by("date", "id").first()
    return release_build(
        ocid=process.ocid,
        stage=stage,
        date=(first.date if first else BASE_DATE) + timedelta(days=days),
        agency=process.agency,
        title=process.title,
        description=process.description,
        method=process.method or "tender",
        value=process.value_idr or 1,
        supplier=supplier,
    )


def site_pages_create(settings: Any) -> tuple[Process, Client]:
    """Give settings a log key; create a process with a published document and its agency's
    operator. Return the process and a client signed in as that operator (the pages the
    security-header tests visit)."""
    from django.test import Client

    skey, _vkey = generate_key("test.terbuka.example/log")
    settings.TERBUKA = {
        **settings.TERBUKA,
        "LOG_ORIGIN": "test.terbuka.example/log",
        "LOG_KEY": skey,
    }
    agency = agency_create()
    process = process_create(agency=agency, stages=("planning", "tender"))
    document_create(process, stage="tender", release=process.releases.get(stage="tender"))
    staff = Client()
    staff.force_login(User.objects.create_user("operator1", role=Role.OPERATOR, agency=agency))
    return process, staff


def process_publish_all(*, operator: User, ppk: User, title: str) -> Process:
    """Create a process of operator's agency through the services, upload a tender notice PDF
    and have ppk publish the five example stages (terbuka.ocds.stage_examples); return it."""
    assert operator.agency is not None
    process = services.process_create(
        user=operator, agency=operator.agency, title=title, fiscal_year=2026
    )
    services.document_upload(
        user=operator,
        process=process,
        stage="tender",
        document_type="tenderNotice",
        title="Pengumuman tender",
        stream=io.BytesIO(pdf_render(title="Pengumuman", lines=["Tender jalan"])),
        filename="pengumuman.pdf",
    )
    for stage, data in EXAMPLE_STAGE_DATA.items():
        StageDraft.objects.create(process=process, stage=stage, data=data)
        services.stage_publish(user=ppk, process=process, stage=stage)
    return process
