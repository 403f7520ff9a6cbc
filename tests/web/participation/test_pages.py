"""The /lapor/ pages: file with a photo (metadata stripped), follow with the secret, officers'
steps, statistics; and the privacy scan: no anonim identity and no rahasia case in any public
page or log entry, nor in the view of an official with no need to know."""

from __future__ import annotations

import datetime as dt
import re
import struct
import zlib

import pytest
from django.test import Client

from terbuka_web.participation.models import Case
from terbuka_web.participation.services import case_answer, case_forward
from terbuka_web.transparency.models import LogEntry
from tests.web.participation.conftest import VILLAGE, World, at, file

pytestmark = pytest.mark.django_db
NAME, CONTACT = "Siti Rahmawati Unik", "siti.unik@example.org"


def jpeg_with_exif() -> bytes:
    exif = b"Exif\x00\x00GPS-LAT-7.15-SECRET-PHONE"
    app1 = b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif
    dqt = b"\xff\xdb\x00\x04\x00\x01"
    sos = b"\xff\xda\x00\x03\x01" + b"\x12\xff\x00\x34"
    return b"\xff\xd8" + app1 + dqt + sos + b"\xff\xd9" + b"TRAILER"


def test_file_follow_answer_and_statistics(client: Client, world: World) -> None:
    page = client.get("/lapor/baru/")
    assert page.status_code == 200 and "Buat laporan" in page.content.decode()
    photo = jpeg_with_exif()
    from django.core.files.uploadedfile import SimpleUploadedFile

    done = client.post(
        "/lapor/baru/",
        {
            "kind": "complaint", "category": "jalan-jembatan", "subject": "place",
            "region": VILLAGE, "title": "Jembatan retak", "contact_preference": "none",
            "text": "Jembatan penghubung dusun retak di tiang tengahnya, mohon diperiksa.",
            "files": [SimpleUploadedFile("IMG_0001.jpg", photo, "image/jpeg")],
        },
    )  # fmt: skip
    body = done.content.decode()
    assert done.status_code == 200, body
    tracking = re.search(r'id="tracking-id">([A-Z0-9-]+)<', body).group(1)  # type: ignore[union-attr]
    secret = re.search(r'id="follow-secret">([^<]+)<', body).group(1)  # type: ignore[union-attr]
    case = Case.objects.get(tracking_id=tracking)
    stored = bytes(case.attachments.get().data)
    assert b"GPS" not in stored and b"TRAILER" not in stored and stored.endswith(b"\xff\xd9")
    assert client.get(f"/lapor/kasus/{tracking}/").status_code == 404  # not yet verified
    client.force_login(world.verifier)
    assert (
        client.post(f"/lapor/kelola/{tracking}/forward/", {"agency": world.dinas.pk}).status_code
        == 302
    )
    client.force_login(world.dinas_operator)
    officer = client.get(f"/lapor/kelola/{tracking}/")
    assert "Jembatan retak" in officer.content.decode()
    answer = {"answer": "Tim sudah memeriksa dan memasang penyangga."}
    assert client.post(f"/lapor/kelola/{tracking}/answer/", answer).status_code == 302
    client.logout()
    public = client.get(f"/lapor/kasus/{tracking}/").content.decode()
    assert "memasang penyangga" in public
    follow = client.post("/lapor/lacak/", {"tracking_id": tracking, "secret": secret})
    assert "Ditindaklanjuti" in follow.content.decode()
    wrong = client.post("/lapor/lacak/", {"tracking_id": tracking, "secret": "x" + secret})
    assert wrong.status_code == 400
    closed = client.post(
        "/lapor/lacak/", {"tracking_id": tracking, "secret": secret, "action": "close"}
    )
    assert closed.status_code == 200
    case.refresh_from_db()
    assert case.state == "closed"
    stats = client.get("/lapor/statistik/").content.decode()
    assert "Dinas PU" in stats and "<svg" in stats


def png(text_chunk: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"tEXt", text_chunk)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def test_bad_input_is_refused_in_both_languages(client: Client, world: World) -> None:
    bad = client.post(
        "/lapor/baru/",
        {"kind": "complaint", "category": "jalan-jembatan", "subject": "place", "region": VILLAGE,
         "title": "NIK saya", "contact_preference": "none",
         "text": "NIK saya 3522011234567890 tolong diperbaiki datanya segera."},
    )  # fmt: skip
    assert bad.status_code == 400 and "16-digit" in bad.content.decode()
    assert Case.objects.count() == 0


def test_rate_limit_per_contact(world: World) -> None:
    from terbuka.errors import ValidationError

    for n in range(5):
        file(at(2026, 12, 1, 9), ip=f"198.51.100.{n}")
    with pytest.raises(ValidationError, match="5 reports within an hour"):
        file(at(2026, 12, 1, 9), ip="198.51.100.99")
    file(at(2026, 12, 1, 11), ip="198.51.100.99")  # an hour later it goes through


def test_privacy_scan(client: Client, world: World) -> None:
    anonim, _ = file(at(2026, 12, 1), anonim=True, title="Pungutan liar di kantor desa")
    rahasia, _ = file(at(2026, 12, 1), rahasia=True, title="Zeta rahasia sekali")
    for case in (anonim, rahasia):
        case = case_forward(actor=world.verifier, case=case, agency=world.desa, now=at(2026, 12, 2))
        case_answer(
            actor=world.desa_pa, case=case, answer="Sedang kami telusuri.", now=at(2026, 12, 3)
        )
    urls = ("/lapor/", f"/lapor/kasus/{anonim.tracking_id}/", "/lapor/statistik/")
    urls += ("/api/lapor/cases", f"/api/lapor/cases/{anonim.tracking_id}", "/api/lapor/statistics")
    for fmt in ("json", "xml"):  # Open311 GeoReport v2
        urls += (f"/open311/v2/requests.{fmt}?start_date=2026-11-01", f"/open311/v2/services.{fmt}")
        urls += (f"/open311/v2/requests/{anonim.tracking_id}.{fmt}",)
        for case in (anonim, rahasia):
            urls += (f"/open311/v2/requests.{fmt}?service_request_id={case.tracking_id}",)
    public = "".join(client.get(url).content.decode() for url in urls)
    assert "Pungutan liar" in public
    assert NAME not in public and CONTACT not in public
    assert "Zeta" not in public and rahasia.tracking_id not in public
    assert client.get(f"/lapor/kasus/{rahasia.tracking_id}/").status_code == 404
    assert client.get(f"/api/lapor/cases/{rahasia.tracking_id}").status_code == 404
    assert client.get(f"/open311/v2/requests/{rahasia.tracking_id}.xml").status_code == 404
    assert public.count(anonim.tracking_id) >= 6  # the scan did reach the anonim case
    log = b"".join(bytes(e.data) for e in LogEntry.objects.all())
    assert NAME.encode() not in log and CONTACT.encode() not in log
    assert rahasia.tracking_id.encode() not in log and anonim.tracking_id.encode() in log

    def officer(user: object, case: Case) -> tuple[int, str]:
        client.force_login(user)  # type: ignore[arg-type]
        page = client.get(f"/lapor/kelola/{case.tracking_id}/")
        listing = client.get("/lapor/kelola/").content.decode()
        return page.status_code, page.content.decode() + listing

    status, seen = officer(world.desa_operator, anonim)
    assert status == 200 and "Pungutan liar" in seen and NAME not in seen and CONTACT not in seen
    assert officer(world.desa_operator, rahasia)[0] == 404  # field staff: no need to know
    assert "Zeta" not in officer(world.desa_operator, rahasia)[1]
    assert officer(world.desa_pa, rahasia)[0] == 200  # the agency head answers it
    for user in (world.other_operator, world.dinas_operator):
        for case in (anonim, rahasia):
            status, seen = officer(user, case)
            assert status == 404 and "Zeta" not in seen and "Pungutan" not in seen
    assert officer(world.auditor, rahasia)[0] == 404
    assert officer(world.coordinators["kecamatan"], rahasia)[0] == 404  # not escalated to it
    assert officer(world.coordinators["kecamatan"], anonim)[0] == 200


def test_attachments_pdf_kept_polyglot_and_fakes_refused(world: World) -> None:
    from terbuka.errors import ValidationError
    from terbuka_web.common.demo.pdf import pdf_render

    pdf = pdf_render(title="Foto kerusakan", lines=["Lampiran warga"])
    case, _ = file(at(2026, 12, 1), attachments=[("bukti.pdf", pdf)])
    stored = case.attachments.get()
    assert stored.content_type == "application/pdf" and bytes(stored.data) == pdf
    refused = [
        ("bukti.pdf", b"%PDF-1.7\n<html><script>alert(1)</script>"),  # polyglot
        ("foto.pdf", b"MZ\x90\x00 an executable renamed"),
        ("foto.jpg", b"\xff\xd8\xff\xe1\x00\xffbroken"),  # a JPEG that is not one
        ("besar.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024)),
    ]
    for name, data in refused:
        with pytest.raises(ValidationError) as error:
            file(at(2026, 12, 1, 10), ip="192.0.2.50", contact_preference="none", contact="",
                 attachments=[(name, data)])  # fmt: skip
        assert error.value.where == "file" and error.value.message_id != error.value.message_en
    with pytest.raises(ValidationError, match="at most 3 files"):
        file(at(2026, 12, 1, 10), attachments=[("a.pdf", pdf)] * 4)
    assert Case.objects.count() == 1  # nothing half-written


def test_rate_limit_per_client_address(world: World) -> None:
    from terbuka.errors import ValidationError

    for n in range(20):
        file(at(2026, 12, 1, 9), contact=f"warga{n}@example.org")
    with pytest.raises(ValidationError, match="this network address"):
        file(at(2026, 12, 1, 9), contact="lain@example.org")


def test_a_process_page_links_to_a_report_about_it(client: Client, world: World) -> None:
    from tests.web.factories import process_create

    process = process_create(agency=world.dinas)
    page = client.get(f"/proses/{process.ocid}/").content.decode()
    assert f"/lapor/baru/?ocid={process.ocid}" in page
    form = client.get(f"/lapor/baru/?ocid={process.ocid}").content.decode()
    assert f'value="{process.ocid}"' in form
    case, _ = file(at(2026, 12, 1), subject="process", ocid=process.ocid, region="")
    assert case.ocid == process.ocid and case.region_id == "35.22" and case.level == "kabupaten"


def test_rate_limit_counts_the_last_hour_exactly(world: World) -> None:
    """Both limits are read in one statement: the fifth report of a contact within the hour
    before refuses the next one until a full hour has passed since the first."""
    from terbuka.errors import ValidationError

    first = at(2026, 12, 1, 9)
    for n in range(5):
        file(first + dt.timedelta(minutes=n), ip=f"198.51.100.{n}")
    with pytest.raises(ValidationError, match="5 reports within an hour"):
        file(first + dt.timedelta(minutes=59, seconds=59, microseconds=500_000), ip="192.0.2.1")
    file(first + dt.timedelta(hours=1), ip="192.0.2.1")  # the first left the hour
    with pytest.raises(ValidationError, match="5 reports within an hour"):
        file(first + dt.timedelta(hours=1, seconds=1), ip="192.0.2.2")
    for n in range(20):  # an address of many contacts: its own limit, the same statement
        file(first + dt.timedelta(hours=3), ip="192.0.2.9", contact=f"w{n}@example.org")
    with pytest.raises(ValidationError, match="this network address"):
        file(first + dt.timedelta(hours=3), ip="192.0.2.9", contact="lain@example.org")


def test_category_row_is_reused_by_a_worker_then_read_again(world: World) -> None:
    """A worker reuses a category row for CATEGORY_TTL (a report then reads no category), sees
    a save in its own process at once, and keeps no unknown code."""
    from terbuka.errors import ValidationError
    from terbuka_web.participation import reports
    from terbuka_web.participation.models import Category

    first = reports.category_get("jalan-jembatan")
    first.name = "changed by its caller only"
    Category.objects.filter(code="jalan-jembatan").update(name="Jalan")  # no signal: elsewhere
    assert reports.category_get("jalan-jembatan").name == "Jalan dan jembatan"
    reports._categories["jalan-jembatan"] = (float("-inf"), first)  # its TTL has passed
    assert reports.category_get("jalan-jembatan").name == "Jalan"
    renamed = Category.objects.get(code="jalan-jembatan")
    renamed.name = "Jalan desa"
    renamed.save()
    assert reports.category_get("jalan-jembatan").name == "Jalan desa"  # this process: at once
    with pytest.raises(ValidationError, match="unknown category"):
        reports.category_get("irigasi")
    Category.objects.create(code="irigasi", name="Irigasi", name_en="Irrigation")
    assert reports.category_get("irigasi").name == "Irigasi"
    case, _secret = file(at(2026, 12, 1), category="irigasi")
    assert case.category.code == "irigasi"
