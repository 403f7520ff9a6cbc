"""The story of a contract: the process page, the diff page and a release's JSON."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings

from terbuka.canonical import canonical_json
from terbuka_web.contracting.models import Process
from terbuka_web.transparency.models import LogEntry
from terbuka_web.transparency.selectors import entry_id_at
from tests.web.factories import agency_create, process_create
from tests.web.portal.stories import road_published

pytestmark = pytest.mark.django_db


@pytest.fixture
def road(settings: Settings) -> Process:
    return road_published(settings)


def ids(process: Process) -> list[str]:
    return list(process.releases.order_by("id").values_list("release_id", flat=True))


def section(html: str, ident: str) -> str:
    start = html.index(f'<h2 id="{ident}">')
    return html[start : html.index("</section>", start)]


def test_process_page_tells_the_lifecycle_in_order(client: Client, road: Process) -> None:
    html = client.get(f"/proses/{road.ocid}/").content.decode()
    order = ["rencana", "pemilihan", "pemenang", "kontrak", "pelaksanaan", "riwayat"]
    assert [html.index(f'id="{i}"') for i in order] == sorted(
        html.index(f'id="{i}"') for i in order
    )
    assert "Rp 3.000.000.000" in section(html, "rencana")  # pagu
    tender = section(html, "pemilihan")
    assert "2 Maret 2025 – 23 Maret 2025" in tender  # the amended period
    assert "Lapis aspal beton (AC-WC)" in tender and "Rp 2.272.000.000" in tender  # line total
    assert "PT Karya Aspal Bengawan" in section(html, "pemenang")
    contract = section(html, "kontrak")
    assert "7 April 2025 – 3 September 2025" in contract
    assert "curah hujan tinggi" in contract and "peninjauan lapangan" in contract  # reasons


def test_late_milestones_are_highlighted_with_their_days(client: Client, road: Process) -> None:
    work = section(client.get(f"/proses/{road.ocid}/").content.decode(), "pelaksanaan")
    assert work.count('<tr class="late">') == 3
    assert "Terlambat 9 hari" in work and "Terlambat 12 hari" in work
    # FHO due 14 Dec 2025, still open: counted to today
    assert re.search(r"Belum tercapai, lewat tenggat \d+ hari", work)
    assert "Rp 2.562.625.000 (95,0%)" in work  # paid against the contract value
    assert '<svg class="chart"' in work and 'role="img"' in work
    assert '<th scope="row">Laporan rilis ke-8</th><td>55%</td><td>60%</td>' in work
    assert " style=" not in work  # CSP: no inline style


def test_every_release_links_its_json_and_receipt(client: Client, road: Process) -> None:
    html = section(client.get(f"/proses/{road.ocid}/").content.decode(), "riwayat")
    assert html.count('<li class="release">') == 9
    assert html.count("/log/receipt/") == 9
    assert "Kontrak diubah (adendum)" in html and "Pemilihan penyedia diubah (amandemen)" in html
    assert "Kontrak berakhir: 4 Agustus 2025 → 3 September 2025" in html
    assert "<li>Pagu anggaran: Rp 3.000.000.000</li>" in html  # what the first release said
    assert html.count("curah hujan") == 1  # the reason once, not again among the changes
    for release in road.releases.all():
        answer = client.get(f"/proses/{road.ocid}/rilis/{release.release_id}.json")
        assert answer.status_code == 200 and answer["Content-Type"] == "application/json"
        data = json.loads(answer.content)
        assert hashlib.sha256(canonical_json(data)).hexdigest() == release.sha256
        assert f"/proses/{road.ocid}/rilis/{release.release_id}.json" in html
    assert client.get(f"/proses/{road.ocid}/rilis/tidak-ada.json").status_code == 404


def test_each_receipt_link_names_its_own_release_entry(client: Client, road: Process) -> None:
    html = section(client.get(f"/proses/{road.ocid}/").content.decode(), "riwayat")
    linked = re.findall(r'rilis/([^"]+)\.json">[^<]*</a> · <a href="/log/receipt/(\d+)"', html)
    assert len(linked) == 9
    for release_id, index in linked:
        entry = LogEntry.objects.get(id=entry_id_at(int(index)))
        assert entry.ref == f"{road.ocid}/{release_id}" and entry.kind == "ocds.release"


def test_diff_page_compares_any_two_releases(client: Client, road: Process) -> None:
    first, *_, last = ids(road)
    answer = client.get(f"/proses/{road.ocid}/perubahan/", {"dari": first, "ke": last})
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "Nilai kontrak" in html and "Rp 2.697.500.000" in html  # money in Rupiah
    assert "(belum ada)" in html  # added since the planning release
    captions = re.findall(r"<caption>([^<]+)</caption>", html)
    assert captions == [
        "Pemilihan penyedia",
        "Penawaran dan pemenang",
        "Kontrak",
        "Pelaksanaan",
        "Pihak",
    ]
    assert html.count("Ditambahkan:") == 7  # the documents published after the first release
    assert f"rilis/{first}.json" in html and f"rilis/{last}.json" in html
    assert html.count("/log/receipt/") == 2
    assert "amendment-" not in html and "ID-DJP" not in html  # identifiers stay hidden


def test_diff_page_defaults_to_the_last_two_releases(client: Client, road: Process) -> None:
    html = client.get(f"/proses/{road.ocid}/perubahan/").content.decode()
    assert 'Status tahapan <span class="muted">(Serah terima pekerjaan (PHO))</span>' in html
    assert "Terjadwal" in html and "Tercapai" in html
    assert "BA Serah Terima (PHO)" in html


@pytest.mark.parametrize(
    ("language", "message"),
    [("id", "bukan rilis proses ini"), ("en", "is not a release of this process")],
)
def test_unknown_release_ids_are_a_clear_400(
    client: Client, road: Process, language: str, message: str
) -> None:
    client.cookies["django_language"] = language
    answer = client.get(f"/proses/{road.ocid}/perubahan/", {"dari": "x" * 300, "ke": ids(road)[0]})
    assert answer.status_code == 400
    html = answer.content.decode()
    alert = re.search(
        r'role="alert"><div class="usa-alert__body"><p class="usa-alert__text">([^<]*)</p>', html
    )
    assert alert and message in alert[1] and len(alert[1]) < 300  # the id is cut short
    assert '<select class="usa-select" id="f-dari" name="dari">' in html  # to choose again


def test_unknown_process_is_404_on_both_new_pages(client: Client, db: None) -> None:
    assert client.get("/proses/ocds-tidak-ada/perubahan/").status_code == 404
    assert client.get("/proses/ocds-tidak-ada/rilis/x.json").status_code == 404


def test_process_with_one_release_has_no_diff_but_a_page(client: Client, db: None) -> None:
    process = process_create(agency=agency_create(), stages=("planning",))
    html = client.get(f"/proses/{process.ocid}/").content.decode()
    assert "Bandingkan dua rilis" not in html and "Belum ada laporan pelaksanaan." in html
    answer = client.get(f"/proses/{process.ocid}/perubahan/")
    assert answer.status_code == 200 and "Tidak ada isian yang berubah." in answer.content.decode()


def test_page_cost_stays_small(client: Client, road: Process) -> None:
    client.get(f"/proses/{road.ocid}/")  # warm the caches of the first request
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(f"/proses/{road.ocid}/")
    assert len(answer.content) < 40_000
    sqls = [q["sql"][:80] for q in queries.captured_queries]
    assert 5 <= len(sqls) <= 8, "\n".join(sqls)  # process, releases, log, documents, flags
