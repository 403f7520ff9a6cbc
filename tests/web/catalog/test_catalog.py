"""Test the open-data catalogue: /data/ pages, DCAT-AP 3 (JSON-LD, Turtle), the registry."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

from terbuka.tlog.note import generate_key
from terbuka_web.api.services import bulk_files_build
from terbuka_web.catalog.registry import (
    Agent,
    Dataset,
    Distribution,
    _providers,
    dataset_register,
    datasets_all,
)
from terbuka_web.transparency.services import entry_append, log_sequence
from tests.web.factories import agency_create, process_create

pytestmark = pytest.mark.django_db
ORIGIN = "test.terbuka.example/log"


@pytest.fixture
def published(settings: Any, bojonegoro: str) -> None:
    """Publish two processes, sequence the log and build the bulk CSV/XLSX files."""
    skey, _vkey = generate_key(ORIGIN)
    settings.TERBUKA = {**settings.TERBUKA, "LOG_ORIGIN": ORIGIN, "LOG_KEY": skey}
    agency = agency_create()
    process_create(agency=agency, stages=("planning", "tender"), fiscal_year=2024)
    process_create(agency=agency, stages=("planning",), fiscal_year=2025)
    with transaction.atomic():
        entry_append(kind="test", ref="r0", payload={"k": 0})
    log_sequence()
    assert bulk_files_build() is not None


def _graph(client: Client, path: str, fmt: str) -> Graph:
    response = client.get(path)
    assert response.status_code == 200
    return Graph().parse(data=response.content.decode(), format=fmt)


@pytest.mark.parametrize(
    ("path", "fmt", "media"),
    [
        ("/data/catalog.jsonld", "json-ld", "application/ld+json"),
        ("/data/catalog.ttl", "turtle", "text/turtle"),
    ],
)
def test_catalog_parses_as_dcat_with_licence_and_download(
    client: Client, published: None, path: str, fmt: str, media: str
) -> None:
    assert client.get(path)["Content-Type"].startswith(media)
    graph = _graph(client, path, fmt)
    catalogs = list(graph.subjects(RDF.type, DCAT.Catalog))
    assert catalogs == [URIRef("http://testserver/data/")]
    datasets = set(graph.objects(catalogs[0], DCAT.dataset))
    assert {str(d) for d in datasets} >= {
        "http://testserver/data/pengadaan-ocds/",
        "http://testserver/data/wilayah-kemendagri/",
        "http://testserver/data/log-transparansi/",
        "http://testserver/data/tanda-bahaya/",
    }
    for dataset in datasets:
        titles = {t.language for t in graph.objects(dataset, DCTERMS.title)}
        assert titles == {"id", "en"}
        publisher = graph.value(dataset, DCTERMS.publisher)
        assert (publisher, RDF.type, FOAF.Agent) in graph
        assert graph.value(dataset, DCAT.contactPoint) is not None
        assert graph.value(dataset, DCTERMS.spatial) is not None
        distributions = list(graph.objects(dataset, DCAT.distribution))
        assert distributions
        downloads = [graph.value(d, DCAT.downloadURL) for d in distributions]
        assert any(downloads)
        for dist in distributions:
            assert graph.value(dist, DCTERMS.license) is not None
            assert graph.value(dist, DCAT.accessURL) is not None
            assert graph.value(dist, DCAT.mediaType) is not None
            assert graph.value(dist, DCTERMS.format) is not None
        for url in filter(None, downloads):
            answer = client.get(str(url).removeprefix("http://testserver"))
            assert answer.status_code == 200, url


def test_both_serialisations_hold_the_same_graph(client: Client, published: None) -> None:
    jsonld = _graph(client, "/data/catalog.jsonld", "json-ld")
    turtle = _graph(client, "/data/catalog.ttl", "turtle")
    assert len(jsonld) == len(turtle)
    assert set(jsonld.subjects(RDF.type, DCAT.Dataset)) == set(
        turtle.subjects(RDF.type, DCAT.Dataset)
    )


def test_contracting_coverage_follows_the_data(client: Client, published: None) -> None:
    graph = _graph(client, "/data/catalog.ttl", "turtle")
    node = URIRef("http://testserver/data/pengadaan-ocds/")
    period = graph.value(node, DCTERMS.temporal)
    assert str(graph.value(period, DCAT.startDate)) == "2024-01-01"
    assert str(graph.value(period, DCAT.endDate)) == "2025-12-31"
    assert graph.value(node, DCTERMS.modified) is not None
    places = graph.objects(node, DCTERMS.spatial)
    codes = {str(graph.value(place, DCTERMS.identifier)) for place in places}
    assert codes == {"35.22"}


def test_licence_is_configurable(client: Client, settings: Any, bojonegoro: str) -> None:
    cc0 = "https://creativecommons.org/publicdomain/zero/1.0/"
    settings.TERBUKA = {**settings.TERBUKA, "LICENSE": cc0}
    graph = _graph(client, "/data/catalog.ttl", "turtle")
    licences = set(graph.objects(None, DCTERMS.license))
    assert licences == {URIRef(cc0)}


def test_pages_list_datasets_in_both_languages(client: Client, published: None) -> None:
    page = client.get("/data/").content.decode()
    assert "Proses pengadaan barang/jasa (OCDS)" in page
    assert "/data/catalog.jsonld" in page
    one = client.get("/data/pengadaan-ocds/").content.decode()
    assert "/api/ocds/bulk/releases.csv.zip" in one
    assert "Bojonegoro" in one
    client.cookies["django_language"] = "en"
    english = client.get("/data/pengadaan-ocds/").content.decode()
    assert "Public contracting processes (OCDS)" in english
    assert client.get("/data/tidak-ada/").status_code == 404


def test_regions_download_as_csv_and_json(client: Client, bojonegoro: str) -> None:
    csv_text = b"".join(client.get("/data/wilayah.csv").streaming_content).decode()
    lines = csv_text.splitlines()
    assert lines[0] == "code,name,level,parent"
    assert len(lines) == 1 + 460  # Jawa Timur, Bojonegoro and its 458 children
    import json

    rows = json.loads(b"".join(client.get("/data/wilayah.json").streaming_content))
    assert len(rows) == 460
    regency = next(r for r in rows if r["code"] == "35.22")
    assert regency == {"code": "35.22", "name": regency["name"], "level": "regency", "parent": "35"}


def test_an_app_registers_its_dataset(client: Client, bojonegoro: str) -> None:
    extra = Dataset(
        name="contoh-app",
        title="Contoh",
        title_en="Example",
        description="Contoh set data.",
        description_en="An example dataset.",
        producer=Agent("dinas-contoh", "Dinas Contoh", role="produsen"),
        distributions=(Distribution("csv", "CSV", "CSV", "/data/wilayah.csv", "text/csv", "CSV"),),
    )
    dataset_register(extra)
    try:
        assert "contoh-app" in [d.name for d in datasets_all()]
        assert client.get("/data/contoh-app/").status_code == 200
        with pytest.raises(ValueError, match="contoh-app"):
            dataset_register(extra)  # same key: replaced, not doubled
            _providers["again"] = lambda: (extra,)
            datasets_all()
    finally:
        _providers.pop("dataset:contoh-app", None)
        _providers.pop("again", None)
