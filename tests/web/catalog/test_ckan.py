"""Test the CKAN Action API subset: CKAN's envelope, errors and status codes, and ckanapi itself."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db
BASES = ("/api/3/action/", "/api/action/")
NAMES = ["pengadaan-ocds", "wilayah-kemendagri", "log-transparansi", "tanda-bahaya"]


def _ok(client: Client, url: str, **params: Any) -> Any:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json;charset=utf-8"
    body = response.json()
    assert set(body) == {"help", "success", "result"}
    assert body["success"] is True
    assert "help_show?name=" in body["help"]
    return body["result"]


def _error(client: Client, url: str, status: int, kind: str, **params: Any) -> dict[str, Any]:
    response = client.get(url, params)
    assert response.status_code == status, response.content
    body = response.json()
    assert body["success"] is False
    assert "result" not in body
    assert body["error"]["__type"] == kind
    return body["error"]


@pytest.mark.parametrize("base", BASES)
def test_package_list_show_and_resource_show(client: Client, bojonegoro: str, base: str) -> None:
    names = _ok(client, base + "package_list")
    assert names[: len(NAMES)] == NAMES
    package = _ok(client, base + "package_show", id="pengadaan-ocds")
    assert package["name"] == "pengadaan-ocds"
    assert package["license_id"] == "cc-by"
    assert package["organization"]["name"] == "walidata"
    assert package["num_resources"] == len(package["resources"]) == 4
    assert {r["format"] for r in package["resources"]} == {"JSON", "CSV", "XLSX"}
    assert _ok(client, base + "package_show", id=package["id"])["name"] == "pengadaan-ocds"
    resource = package["resources"][0]
    assert resource["url"] == "http://testserver/api/ocds/bulk/releases.json"
    assert _ok(client, base + "resource_show", id=resource["id"]) == resource


@pytest.mark.parametrize("base", BASES)
def test_errors_are_ckans(client: Client, bojonegoro: str, base: str) -> None:
    error = _error(client, base + "package_show", 404, "Not Found Error", id="nope")
    assert "Not found" in error["message"]
    _error(client, base + "resource_show", 404, "Not Found Error", id="nope")
    _error(client, base + "organization_show", 404, "Not Found Error", id="nope")
    assert _error(client, base + "package_show", 409, "Validation Error")["id"] == ["Missing value"]
    rows = _error(client, base + "package_search", 409, "Validation Error", rows="many")
    assert rows["rows"] == ["Invalid integer"]
    unknown = _error(client, base + "package_create", 400, "Bad Request")
    assert "Action name not known" in unknown["message"]


def test_package_search_q_fq_rows_start(client: Client, bojonegoro: str) -> None:
    url = "/api/3/action/package_search"
    everything = _ok(client, url)
    assert everything["count"] == len(NAMES)
    assert set(everything) >= {"count", "results", "sort", "facets", "search_facets"}
    assert [p["name"] for p in _ok(client, url, q="wilayah")["results"]] == ["wilayah-kemendagri"]
    csv = _ok(client, url, fq="res_format:CSV")
    assert [p["name"] for p in csv["results"]] == ["pengadaan-ocds", "wilayah-kemendagri"]
    paged = _ok(client, url, rows=1, start=1)
    assert paged["count"] == len(NAMES)
    assert [p["name"] for p in paged["results"]] == [NAMES[1]]
    assert _ok(client, url, fq="organization:walidata")["count"] == len(NAMES)
    assert _ok(client, url, q="tidakadasamasekali")["count"] == 0


def test_organizations(client: Client, bojonegoro: str) -> None:
    assert _ok(client, "/api/action/organization_list") == ["walidata"]
    full = _ok(client, "/api/action/organization_list", all_fields="true")
    assert full[0]["package_count"] == len(NAMES)
    org = _ok(client, "/api/action/organization_show", id="walidata", include_datasets="true")
    assert org["is_organization"] is True
    assert [p["name"] for p in org["packages"]] == NAMES


def test_post_with_json_body_as_ckanapi_sends(client: Client, bojonegoro: str) -> None:
    response = client.post(
        "/api/action/package_show",
        data=json.dumps({"id": "tanda-bahaya"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["result"]["name"] == "tanda-bahaya"
    bad = client.post("/api/action/package_show", data="{", content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["error"]["__type"] == "Bad Request"


@pytest.mark.django_db(transaction=True)
def test_ckanapi_remoteckan_works_unchanged(live_server: Any) -> None:
    import ckanapi

    from terbuka_web.regions.services import regions_load

    regions_load(within="35.22")
    remote = ckanapi.RemoteCKAN(live_server.url, user_agent="terbuka-test/1")
    try:
        assert remote.action.package_list()[: len(NAMES)] == NAMES
        package = remote.action.package_show(id="wilayah-kemendagri")
        assert package["resources"][0]["url"].endswith("/data/wilayah.csv")
        found = remote.action.package_search(q="OCDS", rows=5)
        assert found["count"] >= 1
        assert remote.action.organization_show(id="walidata")["name"] == "walidata"
        rid = package["resources"][1]["id"]
        assert remote.action.resource_show(id=rid)["format"] == "JSON"
        with pytest.raises(ckanapi.NotFound):
            remote.action.package_show(id="tidak-ada")
        with pytest.raises(ckanapi.ValidationError):
            remote.action.package_show()
    finally:
        remote.close()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    q=st.text(max_size=20),
    fq=st.text(max_size=30),
    rows=st.one_of(st.integers(-5, 5000), st.text(max_size=5)),
    start=st.one_of(st.integers(-5, 50), st.text(max_size=5)),
)
def test_package_search_answers_any_parameters_in_ckans_envelope(
    client: Client, bojonegoro: str, q: str, fq: str, rows: Any, start: Any
) -> None:
    response = client.get(
        "/api/3/action/package_search", {"q": q, "fq": fq, "rows": rows, "start": start}
    )
    body = response.json()
    assert response.status_code in (200, 409)
    assert body["success"] is (response.status_code == 200)
    if body["success"]:
        result = body["result"]
        assert len(result["results"]) <= min(int(rows), 1000)
        assert 0 <= result["count"] <= len(NAMES)
    else:
        assert body["error"]["__type"] == "Validation Error"


def test_help_show_gives_each_actions_help(client: Client, bojonegoro: str) -> None:
    text = _ok(client, "/api/3/action/help_show", name="package_search")
    assert "fq" in text
    _error(client, "/api/3/action/help_show", 404, "Not Found Error", name="package_delete")
