"""Views of the catalogue: /data/ (list), /data/<name>/ (one dataset), DCAT-AP 3, region lists."""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from terbuka_web.catalog.ckan import license_of
from terbuka_web.catalog.dcat import catalog_graph, graph_serialise
from terbuka_web.catalog.registry import dataset_find
from terbuka_web.catalog.selectors import catalog_read
from terbuka_web.common.downloads import csv_response

RDF_TYPES = {"json-ld": "application/ld+json", "turtle": "text/turtle"}


@require_safe
def catalog_page(request: HttpRequest) -> HttpResponse:
    """Render the list of datasets with their formats, licence and last update."""
    datasets, site = catalog_read(request)
    context = {"datasets": datasets, "license": site.license, "site": site}
    context["license_title"] = license_of(site)[1]
    return render(request, "catalog/index.html", context)


@require_safe
def dataset_page(request: HttpRequest, name: str) -> HttpResponse:
    """Render one dataset: description, publisher, coverage and its distributions."""
    datasets, site = catalog_read(request)
    dataset = dataset_find(datasets, name)
    if dataset is None:
        raise Http404("dataset tidak ada / no such dataset")
    spatial = [(code, site.regions.get(code, "")) for code in dataset.spatial]
    context = {"dataset": dataset, "site": site, "spatial": spatial}
    context["license_title"] = license_of(site)[1]
    return render(request, "catalog/dataset.html", context)


def _rdf(request: HttpRequest, fmt: str) -> HttpResponse:
    datasets, site = catalog_read(request)
    body = graph_serialise(catalog_graph(site, datasets), fmt)
    response = HttpResponse(body, content_type=f"{RDF_TYPES[fmt]}; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def catalog_jsonld(request: HttpRequest) -> HttpResponse:
    """Serve the catalogue as DCAT-AP 3 JSON-LD (application/ld+json)."""
    return _rdf(request, "json-ld")


@require_safe
def catalog_turtle(request: HttpRequest) -> HttpResponse:
    """Serve the catalogue as DCAT-AP 3 Turtle (text/turtle)."""
    return _rdf(request, "turtle")


def _region_rows() -> Iterator[tuple[str, str, str, str]]:
    from terbuka_web.regions.models import Region

    rows = Region.objects.order_by("code").values_list("code", "name", "level", "parent_id")
    for code, name, level, parent in rows.iterator(chunk_size=2000):
        yield code, name, level, parent or ""


@require_safe
def regions_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Stream every region as CSV, e.g. "code,name,level,parent" then "35.22,Bojonegoro,…"."""
    return csv_response(["code", "name", "level", "parent"], _region_rows(), "wilayah.csv")


def _json_list() -> Iterator[str]:
    yield "["
    for i, (code, name, level, parent) in enumerate(_region_rows()):
        row = {"code": code, "name": name, "level": level, "parent": parent or None}
        yield ("," if i else "") + json.dumps(row, ensure_ascii=False)
    yield "]"


@require_safe
def regions_json(request: HttpRequest) -> StreamingHttpResponse:
    """Stream every region as a JSON list of {code, name, level, parent}."""
    return StreamingHttpResponse(_json_list(), content_type="application/json")
