"""HTTP views under /kelola/: role × action × agency matrix, bad input, CSRF, big uploads."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from terbuka.ocds.stage_examples import EXAMPLE_STAGE_DATA
from terbuka_web.accounts.models import Role
from terbuka_web.contracting.models import Document, Process, Release, StageDraft

from .conftest import pdf_bytes
from .test_services import ACTIONS, ALLOWED, ROLES, actor, state

PLANNING_POST = {**EXAMPLE_STAGE_DATA["planning"], "amount": "1000"}


def client_for(user: Any, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    if user.is_authenticated:
        client.force_login(user)
    return client


def request(action: str, client: Client, process: Process) -> Any:
    base = f"/kelola/proses/{process.pk}/planning/"
    if action == "create":
        return client.post("/kelola/proses/baru/", {"title": "Paket baru", "fiscal_year": 2026})
    if action == "edit":
        return client.post(base, PLANNING_POST)
    if action == "upload":
        pdf = SimpleUploadedFile("dpa.pdf", pdf_bytes(), content_type="application/pdf")
        return client.post(
            base + "dokumen/", {"document_type": "procurementPlan", "title": "DPA", "file": pdf}
        )
    return client.post(base + "terbitkan/")


@pytest.mark.parametrize("where", ["own", "other"])
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_http_permission_matrix(
    users: dict, process: Process, role: str, action: str, where: str
) -> None:
    user = actor(users, role, where)
    before = state()
    response = request(action, client_for(user), process)
    # create acts on the user's own agency, so "other" agency users may create there.
    allowed = role in ALLOWED[action] and (where == "own" or action == "create")
    if allowed:
        assert response.status_code == 302, response.content[:500]
        assert response["Location"].startswith("/kelola/proses/")
        assert state() != before
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        if role == "anonymous":
            assert response["Location"].startswith("/akun/masuk/")
        assert state() == before


def test_created_process_belongs_to_the_users_agency(users: dict, agencies: dict) -> None:
    client = client_for(users["operator_other"])
    response = client.post(
        "/kelola/proses/baru/",
        {"title": "Paket", "fiscal_year": 2026, "agency": agencies["own"].pk},
    )
    assert response.status_code == 302
    assert Process.objects.get(title="Paket").agency == agencies["other"]


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        ({"amount": "-5"}, "amount", "tidak boleh negatif"),
        ({"amount": str(10**15 + 1)}, "amount", "melebihi"),
        ({"amount": "satu juta"}, "amount", "Rupiah bulat"),
        ({"budget_line": "abc"}, "budget_line", "angka bertitik"),
        ({"project": ""}, "project", "Wajib diisi"),
    ],
)
def test_bad_planning_input_is_shown_on_its_field(
    users: dict, process: Process, change: dict, field: str, text: str
) -> None:
    before = state()
    client = client_for(users[Role.OPERATOR])
    response = client.post(f"/kelola/proses/{process.pk}/planning/", {**PLANNING_POST, **change})
    assert response.status_code == 400
    page = response.content.decode()
    assert text in page
    assert f'id="id_{field}_error"' in page
    tag = re.search(rf'<(input|select|textarea)[^>]*id="id_{field}"[^>]*>', page)
    assert tag is not None
    assert re.search(rf'aria-describedby="[^"]*id_{field}_error"', tag.group(0))
    assert 'aria-invalid="true"' in tag.group(0)
    assert f'href="#id_{field}"' in page
    assert state() == before


def test_tender_end_before_start_and_missing_items(users: dict, process: Process) -> None:
    client = client_for(users[Role.PPTK])
    post = {
        "method": "tender",
        "period_start": "2026-03-16",
        "period_end": "2026-03-02",
        "hps": "1000",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "50",
    }
    before = state()
    response = client.post(f"/kelola/proses/{process.pk}/tender/", post)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai" in page
    assert 'id="id_period_end_error"' in page
    assert "Wajib diisi" in page or "at least" in page or "sedikitnya" in page
    assert state() == before


def test_award_with_bad_or_personal_npwp_is_refused(users: dict, process: Process) -> None:
    client = client_for(users[Role.OPERATOR])
    post = {
        "value": "1000",
        "date": "2026-03-20",
        "status": "active",
        "suppliers-TOTAL_FORMS": "2",
        "suppliers-INITIAL_FORMS": "0",
        "suppliers-MIN_NUM_FORMS": "1",
        "suppliers-MAX_NUM_FORMS": "50",
        "suppliers-0-name": "CV Maju",
        "suppliers-0-npwp": "123",
        "suppliers-1-name": "Perorangan",
        "suppliers-1-npwp": "3522011201900001",
    }
    before = state()
    response = client.post(f"/kelola/proses/{process.pk}/award/", post)
    page = response.content.decode()
    assert response.status_code == 400
    assert "NPWP tidak valid" in page
    assert 'id="id_suppliers-0-npwp_error"' in page
    assert "NIK" in page
    assert state() == before


def test_valid_award_form_saves_the_documented_shape(users: dict, process: Process) -> None:
    client = client_for(users[Role.OPERATOR])
    post = {
        "value": "1398000000",
        "date": "2026-03-20",
        "status": "active",
        "suppliers-TOTAL_FORMS": "3",
        "suppliers-INITIAL_FORMS": "0",
        "suppliers-MIN_NUM_FORMS": "1",
        "suppliers-MAX_NUM_FORMS": "50",
        "suppliers-0-name": "CV Maju Jaya",
        "suppliers-0-npwp": "01.234.567.8-901.000",
    }
    response = client.post(f"/kelola/proses/{process.pk}/award/", post)
    assert response.status_code == 302, response.content.decode()[:2000]
    data = StageDraft.objects.get(process=process, stage="award").data
    assert data == {
        "value": 1_398_000_000,
        "date": "2026-03-20",
        "status": "active",
        "suppliers": [{"name": "CV Maju Jaya", "npwp": "0012345678901000"}],
    }


def test_stage_forms_render_prefilled_from_drafts(users: dict, process: Process) -> None:
    client = client_for(users[Role.OPERATOR])
    for stage in EXAMPLE_STAGE_DATA:
        response = client.get(f"/kelola/proses/{process.pk}/{stage}/")
        assert response.status_code == 200
        page = response.content.decode()
        assert "<label" in page
    page = client.get(f"/kelola/proses/{process.pk}/tender/").content.decode()
    assert 'value="Lapis penetrasi macadam"' in page


def upload_post(client: Client, process: Process, name: str, content: bytes) -> Any:
    return client.post(
        f"/kelola/proses/{process.pk}/planning/dokumen/",
        {
            "document_type": "procurementPlan",
            "title": "DPA",
            "file": SimpleUploadedFile(name, content, content_type="application/pdf"),
        },
    )


def test_renamed_non_pdf_upload_is_refused(users: dict, process: Process) -> None:
    before = state()
    response = upload_post(client_for(users[Role.OPERATOR]), process, "dpa.pdf", b"GIF89a....")
    assert response.status_code == 400
    assert "bukan PDF" in response.content.decode()
    assert state() == before


def test_path_in_upload_name_never_leaves_the_media_dir(users: dict, process: Process) -> None:
    client = client_for(users[Role.OPERATOR])
    before = state()
    response = upload_post(client, process, "../../etc/passwd", pdf_bytes())
    assert response.status_code == 400
    assert state() == before
    response = upload_post(client, process, "../dpa.pdf", pdf_bytes())
    assert response.status_code == 302  # the browser path is dropped: "dpa.pdf"
    document = Document.objects.get()
    assert document.filename == "dpa.pdf"
    stored = (Path(settings.MEDIA_ROOT) / document.file.name).resolve()
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())


def test_non_ascii_file_name_is_accepted_shown_and_sent_back(users: dict, process: Process) -> None:
    client = client_for(users[Role.OPERATOR])
    response = upload_post(client, process, "Laporan u\u0308ni\u0308 (Mei).pdf", pdf_bytes())
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.filename == "Laporan ünï (Mei).pdf"  # NFC, as people typed it
    assert document.file.name.endswith(f"{document.sha256}.pdf")  # stored under its hash
    page = client.get(f"/kelola/proses/{process.pk}/").content.decode()
    assert "Laporan ünï (Mei).pdf" in page
    download = client.get(document.get_absolute_url())
    assert download["Content-Disposition"] == (
        "attachment; filename*=utf-8''Laporan%20%C3%BCn%C3%AF%20%28Mei%29.pdf"
    )


def test_csrf_is_enforced_on_every_form(users: dict, process: Process) -> None:
    for role, action in [("operator", "create"), ("operator", "edit"), ("ppk", "publish")]:
        before = state()
        response = request(action, client_for(users[role], csrf=True), process)
        assert response.status_code == 403
        assert state() == before
    before = state()
    response = request("upload", client_for(users["operator"], csrf=True), process)
    assert response.status_code == 403
    assert state() == before


def test_csrf_token_from_the_form_is_accepted(users: dict, process: Process) -> None:
    client = client_for(users[Role.OPERATOR], csrf=True)
    page = client.get("/kelola/proses/baru/")
    token = page.context["csrf_token"]
    response = client.post(
        "/kelola/proses/baru/",
        {"title": "Paket CSRF", "fiscal_year": 2026, "csrfmiddlewaretoken": str(token)},
    )
    assert response.status_code == 302
    assert Process.objects.filter(title="Paket CSRF").exists()


def test_publish_confirmation_then_publish(users: dict, process: Process) -> None:
    client = client_for(users[Role.PA])
    url = f"/kelola/proses/{process.pk}/planning/terbitkan/"
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Ya, terbitkan" in confirm.content.decode()
    assert Release.objects.count() == 0
    response = client.post(url)
    assert response.status_code == 302
    assert Release.objects.get().tags == ["planning"]
    failed = client.post(f"/kelola/proses/{process.pk}/award/terbitkan/")
    assert failed.status_code == 400
    assert (
        "terbitkan dulu tahap sebelumnya: Pemilihan Penyedia / "
        "publish the earlier stages first: Tender" in failed.content.decode()
    )
    assert Release.objects.count() == 1


def test_auditor_reads_all_drafts_but_writes_nothing(
    users: dict, process: Process, agencies: dict
) -> None:
    other = Process.objects.create(
        ocid="ocds-tbk352-x", agency=agencies["other"], title="Puskesmas", fiscal_year=2026
    )
    client = client_for(users["auditor"])
    dashboard = client.get("/kelola/").content.decode()
    assert process.title in dashboard and other.title in dashboard
    detail = client.get(f"/kelola/proses/{process.pk}/")
    page = detail.content.decode()
    assert detail.status_code == 200
    assert "5.02.02.2.01.0001" in page  # the draft
    assert "/terbitkan/" not in page and "/dokumen/" not in page
    assert client.get(f"/kelola/proses/{process.pk}/planning/").status_code == 403


def test_agency_users_see_only_their_agency(users: dict, process: Process) -> None:
    client = client_for(users["operator_other"])
    assert process.title not in client.get("/kelola/").content.decode()
    assert client.get(f"/kelola/proses/{process.pk}/").status_code == 403
    own = client_for(users[Role.PPK])
    assert process.title in own.get("/kelola/").content.decode()


def test_unknown_stage_is_404(users: dict, process: Process) -> None:
    client = client_for(users[Role.OPERATOR])
    assert client.get(f"/kelola/proses/{process.pk}/payment/").status_code == 404


def test_labels_are_translated_to_english(users: dict, process: Process) -> None:
    client = client_for(users[Role.OPERATOR])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/kelola/proses/{process.pk}/planning/").content.decode()
    assert "DPA budget line code" in page and "(required)" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = client.get(f"/kelola/proses/{process.pk}/planning/").content.decode()
    assert "Kode rekening DPA" in page and "(wajib)" in page


def test_optional_rows_are_not_marked_required(users: dict, process: Process) -> None:
    StageDraft.objects.filter(process=process, stage="implementation").delete()
    page = client_for(users[Role.OPERATOR]).get(f"/kelola/proses/{process.pk}/implementation/")
    html = page.content.decode()
    row = html[html.index('id="id_milestones-0-title"') - 400 :]
    assert "(wajib)" not in row.split("</label>")[0]
    assert 'id="id_milestones-0-title" required' not in html
    assert html.count("(wajib)") == 1  # physical progress only


def test_a_missing_item_row_is_explained_in_plain_words(users: dict, process: Process) -> None:
    post = {
        "method": "tender",
        "period_start": "2026-03-01",
        "period_end": "2026-03-20",
        "hps": "1000000",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
    }
    response = client_for(users[Role.OPERATOR]).post(f"/kelola/proses/{process.pk}/tender/", post)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Isi paling sedikit satu baris. / Fill in at least one row." in page
    assert "Harap ajukan" not in page and "formulir" not in page
