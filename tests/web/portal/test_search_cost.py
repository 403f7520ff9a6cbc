"""Test what makes public search cheap: word search, light list queries, cached choices."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from terbuka_web.accounts.models import Agency
from terbuka_web.contracting.models import Process
from terbuka_web.portal import selectors
from tests.web.factories import agency_create, process_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Process]:
    pu = agency_create()
    dinkes = agency_create("dinas-kesehatan", "Dinas Kesehatan")
    return {
        "road": process_create(agency=pu, title="Pembangunan Jalan Desa Kalitidu"),
        "drugs": process_create(
            agency=dinkes,
            title="Pengadaan Obat Puskesmas",
            description="Obat generik untuk 36 puskesmas",
            stages=("planning", "tender", "award"),
            supplier="PT Farmasi Sehat",
        ),
    }


def _ocids(client: Client, params: dict[str, str]) -> set[str]:
    html = {p["ocid"] for p in client.get("/", params).context["page"].object_list}
    api = {p["ocid"] for p in client.get("/api/processes", params).json()["results"]}
    assert html == api
    return html


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("farmasi sehat", {"drugs"}),  # supplier name
        ("generik", {"drugs"}),  # a word of the description only
        ("PUSKES", {"drugs"}),  # a word prefix, any case
        ("kesehatan", {"drugs"}),  # agency name
        ("kalitidu jalan", {"road"}),  # every word, any order
        ("jalan obat", set()),
        ("'&|!", set()),  # tsquery operators are plain text, never an error
        ('"kalitidu"*^ (', {"road"}),  # so are FTS5 quotes, stars, carets, brackets
        ("near or AND", set()),  # and FTS5 keywords
        ("pembangunan-jalan", {"road"}),
    ],
)
def test_free_text_finds_supplier_description_and_prefixes(
    world, client: Client, q: str, expected: set[str]
) -> None:
    assert _ocids(client, {"q": q}) == {world[k].ocid for k in expected}


def test_ranked_text_search_reads_the_full_text_index(world, client: Client) -> None:
    """On PostgreSQL the match is the GIN-indexed search_tsv @@ (bench/portal_search.py reports
    the index in the plan on 100k rows; two rows here make any plan cheapest)."""
    qs = selectors.process_search(selectors.ProcessFilters(q="kalitidu"))
    sql, params = qs.query.get_compiler("default").as_sql()
    if connection.vendor == "postgresql":
        assert "search_tsv @@ to_tsquery" in sql and "ts_rank(search_tsv" in sql
    else:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            assert "VIRTUAL TABLE INDEX" in str(cursor.fetchall())  # FTS5 MATCH, no full scan
        assert "bm25(portal_process_fts" in sql
    assert [p["ocid"] for p in qs.values("ocid")] == [world["road"].ocid]


def test_unknown_agency_code_finds_nothing(world, client: Client) -> None:
    assert _ocids(client, {"agency": "tidak-ada"}) == set()
    assert _ocids(client, {"agency": "dinas-kesehatan"}) == {world["drugs"].ocid}


@pytest.mark.parametrize("path", ["/", "/api/processes"])
def test_list_queries_never_load_big_columns(world, client: Client, path: str) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path, {"q": "obat", "year": "2024"}).status_code == 200
    selects = [
        q["sql"].split(" FROM ")[0]
        for q in queries.captured_queries
        if 'FROM "contracting_process"' in q["sql"]
    ]
    assert any('"contracting_process"."title"' in s for s in selects)
    for column in ("compiled_release", "search_text", "description"):
        assert not any(f'"contracting_process"."{column}"' in s for s in selects), column


def test_a_search_costs_a_count_and_a_page_and_its_repeat_none(world, client: Client) -> None:
    client.get("/", {"year": "2024"})  # fills the in-process choices and stamp
    with CaptureQueriesContext(connection) as queries:
        first = _ocids_of(client.get("/", {"agency": "dinas-kesehatan"}))
    assert len(queries.captured_queries) == 2, [q["sql"] for q in queries.captured_queries]
    for path in ("/", "/api/processes"):  # the API's default page is the portal's: one entry
        with CaptureQueriesContext(connection) as queries:
            again = _ocids_of(client.get(path, {"agency": "dinas-kesehatan"}))
        assert queries.captured_queries == [] and again == first == {world["drugs"].ocid}
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/processes", {"agency": "dinas-kesehatan", "per_page": "5"})
    assert len(queries.captured_queries) == 2


def _ocids_of(response: HttpResponse) -> set[str]:
    if response.context is not None:  # the HTML portal
        return {p["ocid"] for p in response.context["page"].object_list}
    return {p["ocid"] for p in response.json()["results"]}


def test_cached_search_follows_a_publication_elsewhere(world, client: Client) -> None:
    """Another worker imports a release of an old process: only the log entry id moves."""
    from terbuka_web.transparency.services import entry_append_many

    assert _ocids(client, {"stage": "award"}) == {world["drugs"].ocid}
    with transaction.atomic():
        Process.objects.filter(pk=world["road"].pk).update(stage_reached="award")
        entry_append_many(kind="ocds.release", entries=[(world["road"].ocid, b"{}")])
    assert _ocids(client, {"stage": "award"}) == {world["drugs"].ocid}  # within STAMP_TTL
    selectors._choices.stamp_at -= selectors.STAMP_TTL  # as STAMP_TTL later
    assert _ocids(client, {"stage": "award"}) == {world["drugs"].ocid, world["road"].ocid}


def test_agency_choices_follow_publication(world, client: Client) -> None:
    assert "Dinas Pendidikan" not in client.get("/").content.decode()
    dik = agency_create("dinas-pendidikan", "Dinas Pendidikan")
    made = process_create(agency=dik, title="Seragam Sekolah")
    html = client.get("/").content.decode()
    assert 'value="dinas-pendidikan"' in html
    assert _ocids(client, {"agency": "dinas-pendidikan"}) == {made.ocid}


def test_publication_elsewhere_refreshes_choices(world, client: Client) -> None:
    region = world["road"].agency.government
    other = Agency.objects.create(code="dinas-sosial", name="Dinas Sosial", government=region)
    client.get("/")  # caches the choices in this process
    # Another worker publishes: no signal reaches this process, only the stamp moves.
    moved = world["road"].last_published_at + timedelta(days=400)
    Process.objects.filter(pk=world["road"].pk).update(agency=other, last_published_at=moved)
    assert 'value="dinas-sosial"' not in client.get("/").content.decode()  # within STAMP_TTL
    selectors._choices.stamp_at -= selectors.STAMP_TTL  # as STAMP_TTL later
    assert 'value="dinas-sosial"' in client.get("/").content.decode()


@pytest.mark.parametrize("ocid", ["ocds-tbk352-1", "ocds x/é?#&%", "a:b@c~d!$'()*+,;="])
def test_link_maker_matches_reverse(ocid: str) -> None:
    from django.urls import reverse

    from terbuka_web.portal.links import ocid_link_maker

    for name in ("portal:process", "api:ocds_record", "portal:process_record"):
        if "/" in ocid:  # the <str:ocid> converter refuses a slash
            continue
        assert ocid_link_maker(name)(ocid) == reverse(name, args=[ocid])
    absolute = ocid_link_maker("portal:process", lambda path: "https://x.id" + path)
    assert absolute("ocds-1") == "https://x.id/proses/ocds-1/"


def test_results_are_escaped_and_labelled(client: Client) -> None:
    agency = agency_create("dinas-<b>", "Dinas <b>Tebal</b> & Co")
    made = process_create(agency=agency, title='Jalan <script>alert("x")</script>')
    html = client.get("/").content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "Dinas &lt;b&gt;Tebal&lt;/b&gt; &amp; Co" in html
    assert f'<a href="/proses/{made.ocid}/">' in html
    assert '<option value="dinas-&lt;b&gt;">' in html
    assert "<dt>Tahap</dt>" in html and "<dt>Nilai</dt><dd>Rp 1.250.000.000</dd>" in html


def test_agency_filter_works_while_cached_choices_are_stale(world, client: Client) -> None:
    region = world["road"].agency.government
    other = Agency.objects.create(code="dinas-sosial", name="Dinas Sosial", government=region)
    client.get("/")  # caches choices without dinas-sosial (no public process yet)
    Process.objects.filter(pk=world["road"].pk).update(agency=other)  # no signal, same stamp
    assert _ocids(client, {"agency": "dinas-sosial"}) == {world["road"].ocid}


def test_api_search_revalidates_with_etag_until_a_publication(world, client: Client) -> None:
    first = client.get("/api/processes", {"q": "obat"})
    etag = first["ETag"]
    assert first.status_code == 200 and first["Cache-Control"] == "public, max-age=30"
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/api/processes", {"q": "obat"}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and not again.content
    assert not any("COUNT" in q["sql"] for q in queries.captured_queries)
    other = client.get("/api/processes", {"q": "jalan"}, HTTP_IF_NONE_MATCH=etag)
    assert other.status_code == 200 and other["ETag"] != etag
    process_create(agency=world["drugs"].agency, title="Obat Baru")
    fresh = client.get("/api/processes", {"q": "obat"}, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and len(fresh.json()["results"]) == 2


def test_search_cache_turned_off_searches_every_time(world, client: Client, settings) -> None:
    settings.TERBUKA = {**settings.TERBUKA, "SEARCH_CACHE_SECONDS": 0}
    client.get("/", {"year": "2024"})  # fills the in-process choices and stamp
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert _ocids_of(client.get("/", {"stage": "award"})) == {world["drugs"].ocid}
        assert len(queries.captured_queries) == 2


def test_the_cached_page_body_follows_language_query_and_publication(world, client: Client) -> None:
    """The page body is kept per query, page, language and publication stamp: a repeat is
    the same page; English, extra parameters in the pager links or a publication are not."""
    params = {"q": "obat"}
    first = _main(client.get("/", params))
    assert _main(client.get("/", params)) == first  # the frame differs: its CSRF token
    assert "Cari proses pengadaan" in first
    client.cookies["django_language"] = "en"
    english = client.get("/", params).content.decode()
    assert "Search procurement processes" in english and "Cari proses pengadaan" not in english
    del client.cookies["django_language"]
    for n in range(21):  # enough matches for a second page
        process_create(agency=world["drugs"].agency, title=f"Obat Tambahan {n}")
    selectors._choices.stamp_at -= selectors.STAMP_TTL  # as STAMP_TTL later
    fresh = _main(client.get("/", params))
    assert "Obat Tambahan 20" in fresh and fresh != first
    assert "?q=obat&amp;page=2" in fresh
    assert (
        "?q=obat&amp;lang=x&amp;page=2" in client.get("/", {**params, "lang": "x"}).content.decode()
    )


def _main(response: HttpResponse) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_postgresql_sessions_plan_for_pages_in_memory() -> None:
    """TERBUKA_PG_RANDOM_PAGE_COST (default 1.1) reaches every session (settings)."""
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
