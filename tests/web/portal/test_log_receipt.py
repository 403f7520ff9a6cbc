"""The process page shows its record's log index and links the C2SP tlog-proof receipt."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from terbuka.ocds.stage_examples import EXAMPLE_STAGE_DATA
from terbuka.tlog.note import generate_key
from terbuka.tlog.policy import Policy
from terbuka.tlog.proof import Receipt, check_receipt
from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.common.demo.pdf import pdf_render
from terbuka_web.contracting import services
from terbuka_web.contracting.models import Process, StageDraft
from terbuka_web.transparency.models import LogEntry
from terbuka_web.transparency.selectors import entry_id_at
from terbuka_web.transparency.services import log_sequence
from tests.web.factories import region_bojonegoro

pytestmark = pytest.mark.django_db
ORIGIN = "portal.terbuka.example/log"
INDEX = re.compile(r'<code id="log-index">(\d+)</code>')


@pytest.fixture
def vkey(settings: Settings) -> str:
    """Configure a fresh log key for ORIGIN; return its vkey."""
    skey, vkey = generate_key(ORIGIN)
    settings.TERBUKA = {**settings.TERBUKA, "LOG_ORIGIN": ORIGIN, "LOG_KEY": skey}
    return vkey


@pytest.fixture
def staff(db: None) -> tuple[User, User]:
    """Return an operator and a PPK of one agency."""
    agency = Agency.objects.create(
        code="dinas-pupr", name="Dinas PU", kind="dinas", government=region_bojonegoro()
    )
    operator = User.objects.create_user("op1", role=Role.OPERATOR, agency=agency)
    return operator, User.objects.create_user("ppk1", role=Role.PPK, agency=agency)


def process_new(operator: User) -> Process:
    return services.process_create(
        user=operator, agency=operator.agency, title="Rehabilitasi Jalan Ngasem", fiscal_year=2026
    )


def test_process_page_names_the_latest_release_entry_and_its_receipt_checks(
    client: Client, vkey: str, staff: tuple[User, User]
) -> None:
    operator, ppk = staff
    process = process_new(operator)
    for stage in ("planning", "tender"):
        StageDraft.objects.create(process=process, stage=stage, data=EXAMPLE_STAGE_DATA[stage])
    services.document_upload(
        user=operator,
        process=process,
        stage="tender",
        document_type="tenderNotice",
        title="Pengumuman",
        stream=io.BytesIO(pdf_render(title="Pengumuman", lines=["Tender"])),
        filename="pengumuman.pdf",
    )
    services.stage_publish(user=ppk, process=process, stage="planning")
    services.stage_publish(user=ppk, process=process, stage="tender")
    url = f"/proses/{process.ocid}/"

    pending = client.get(url).content.decode()
    assert INDEX.search(pending) is None and "/log/receipt/" not in pending
    assert "menunggu dicatat" in pending
    assert pending.count('href="/log/"') == 3  # the log explained: header, process page, footer

    log_sequence()
    html = client.get(url).content.decode()
    match = INDEX.search(html)
    assert match is not None
    index = int(match.group(1))
    entry = LogEntry.objects.get(pk=entry_id_at(index))
    assert entry.kind == "ocds.release"  # not the later document.sha256 entry of the same ocid
    assert json.loads(bytes(entry.data))["release"]["tag"] == ["tender"]
    assert LogEntry.objects.filter(ref=process.ocid, pk__gt=entry.pk).exists()
    assert f'href="/log/receipt/{index}"' in html
    assert html.count('href="/log/"') == 3  # header, process page, footer

    response = client.get(f"/log/receipt/{index}")
    assert response.status_code == 200
    receipt = Receipt.parse(response.content)
    assert 'href="/log/saksi/kebijakan.txt"' in html
    policy = Policy.parse(client.get("/log/saksi/kebijakan.txt").content)
    assert policy.log_verifiers[0].vkey == vkey
    checkpoint = check_receipt(receipt, bytes(entry.data), policy, origin=ORIGIN)
    assert checkpoint.size == LogEntry.objects.count()


def test_process_page_in_english_names_the_log(
    client: Client, vkey: str, staff: tuple[User, User]
) -> None:
    operator, ppk = staff
    process = process_new(operator)
    StageDraft.objects.create(
        process=process, stage="planning", data=EXAMPLE_STAGE_DATA["planning"]
    )
    services.stage_publish(user=ppk, process=process, stage="planning")
    log_sequence()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(f"/proses/{process.ocid}/").content.decode()
    assert "Transparency log" in html and "Inclusion receipt (tlog-proof)" in html
    assert "Check it offline:" in html
