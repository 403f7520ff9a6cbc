"""Check that search finds by root, supplier and NPWP and ranks by relevance, on either database.

The suite runs once on SQLite (FTS5, bm25) and once on PostgreSQL (ts_rank over search_tsv):
the same orders are expected of both. Processes are created oldest first, so the newest-first
order search used before would put the last one created first.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.web.factories import agency_create, process_create, supplier_npwp

pytestmark = pytest.mark.django_db

SUPPLIER = "CV Karya Mandiri Sentosa"


@pytest.fixture
def catalogue() -> dict[str, str]:
    """Create realistic processes, oldest first; return their ocids by short name."""
    pu = agency_create()
    dikbud = agency_create("dinas-pendidikan", "Dinas Pendidikan")
    rows = {
        "road": (pu, "Pembangunan Jalan Desa Kalitidu", "Lapis penetrasi macadam 2 km", 900),
        "school": (dikbud, "Rehabilitasi Gedung Sekolah Dasar Negeri 2", "Atap dan dinding", 450),
        "bridge": (pu, "Pemeliharaan Jembatan Padangan", "Di ruas jalan poros kecamatan", 300),
        "desks": (dikbud, "Pengadaan Meja Kursi Siswa", "Untuk sekolah dasar negeri", 120),
        "meals": (pu, "Belanja Makan Minum Rapat", "Rapat koordinasi tahun berjalan", 15),
    }
    made = {}
    for name, (agency, title, description, millions) in rows.items():
        made[name] = process_create(
            agency=agency,
            title=title,
            description=description,
            value=millions * 1_000_000,
            stages=("planning", "tender", "award"),
            supplier=SUPPLIER if name == "school" else f"CV Penyedia {name.title()}",
        ).ocid
    return made


def found(client: Client, **params: str) -> list[str]:
    response = client.get("/", params)
    assert response.status_code == 200
    return [p["ocid"] for p in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("pembangunan jalan", ["road"]),
        ("sekolah", ["school", "desks"]),  # the title above the description
        ("bangun", ["road"]),  # the root of "pembangunan"
        ("pelihara jembatan", ["bridge"]),  # pemeliharaan
        ("makan", ["meals"]),
    ],
)
def test_a_title_match_ranks_above_other_text(
    catalogue: dict[str, str], client: Client, q: str, expected: list[str]
) -> None:
    assert found(client, q=q) == [catalogue[name] for name in expected]


def test_jalan_in_a_title_ranks_above_the_root_of_berjalan(
    catalogue: dict[str, str], client: Client
) -> None:
    ranked = found(client, q="jalan")
    assert ranked[0] == catalogue["road"]  # newest first put "… tahun berjalan" (meals) here
    assert set(ranked[1:]) == {catalogue["bridge"], catalogue["meals"]}  # both outside titles


def test_noise_roots_of_the_old_stemmer_find_nothing(
    catalogue: dict[str, str], client: Client
) -> None:
    assert found(client, q="kolah") == []  # "sekolah" was stripped to "kolah"
    assert found(client, q="liharaan") == []


@pytest.mark.parametrize(
    "written",
    [
        lambda d: f"{d[1:3]}.{d[3:6]}.{d[6:9]}.{d[9]}-{d[10:13]}.{d[13:]}",  # 01.234.567.8-901.000
        lambda d: d[1:],  # 15 digits
        lambda d: d,  # 16 digits (since 2024)
        lambda d: f"{d[:4]} {d[4:8]} {d[8:12]} {d[12:]}",
    ],
)
def test_npwp_in_any_common_format_finds_the_supplier(
    catalogue: dict[str, str], client: Client, written
) -> None:
    assert found(client, q=written(supplier_npwp(SUPPLIER))) == [catalogue["school"]]


def test_supplier_name_finds_its_processes(catalogue: dict[str, str], client: Client) -> None:
    assert found(client, q="karya mandiri") == [catalogue["school"]]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("newest", ["meals", "desks", "bridge", "school", "road"]),
        ("value_desc", ["road", "school", "bridge", "desks", "meals"]),
        ("value_asc", ["meals", "desks", "bridge", "school", "road"]),
        ("title", ["meals", "road", "bridge", "desks", "school"]),
    ],
)
def test_sort_options_order_the_results(
    catalogue: dict[str, str], client: Client, sort: str, expected: list[str]
) -> None:
    assert found(client, sort=sort) == [catalogue[name] for name in expected]
    html = client.get("/", {"sort": sort}).content.decode()
    assert f'<option value="{sort}" selected>' in html


def test_a_sort_other_than_relevance_overrides_it(
    catalogue: dict[str, str], client: Client
) -> None:
    assert found(client, q="jalan", sort="value_asc") == [
        catalogue[name] for name in ["meals", "bridge", "road"]
    ]
    assert found(client, sort="relevance") == found(client)  # no q: newest first


def test_an_unknown_sort_is_explained(client: Client) -> None:
    response = client.get("/", {"sort": "harga"})
    assert response.status_code == 400
    assert "sort" in response.content.decode() and "value_desc" in response.content.decode()


def test_relevance_orders_the_newest_window_and_the_count_still_caps(
    catalogue: dict[str, str], client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from terbuka_web.portal import selectors

    monkeypatch.setattr(selectors, "RANK_WINDOW", 2)  # the two newest "jalan" matches
    assert set(found(client, q="jalan")) == {catalogue["bridge"], catalogue["meals"]}  # no road
    paginator = selectors.SearchPaginator(selectors.ProcessFilters(q="jalan"), 20, cap=2)
    assert (paginator.count, paginator.capped) == (2, True)  # 3 match: counted past the window


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({}, ["school", "desks"]),
        ({"agency": "dinas-pendidikan", "year": "2024"}, ["school", "desks"]),
    ],
)
def test_the_ranked_page_applies_the_text_and_filters_once(
    catalogue: dict[str, str], extra: dict[str, str], expected: list[str]
) -> None:
    """The newest-matches window is found once and its rows read by id, so the database scans
    the matches of q once per page, not once outside the window and again within it."""
    from django.db import connection

    from terbuka_web.portal import selectors

    filters = selectors.filters_parse({"q": "sekolah", **extra})
    page = selectors.process_search(filters).values(*selectors.LIST_FIELDS)[:20]
    sql, _params = page.query.sql_with_params()
    if connection.vendor == "postgresql":
        assert sql.count("search_tsv @@") == 1
    else:  # the filter, and the bm25 rank of each row of the page
        assert sql.count("portal_process_fts MATCH") == 2
    assert sql.count('"fiscal_year" =') == (1 if extra else 0)
    assert [row["ocid"] for row in page] == [catalogue[name] for name in expected]
