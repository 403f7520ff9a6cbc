"""JSON API of Terbuka at /api/: process search and OCDS 1.1.5 packages for harvesting.

OpenAPI at /api/openapi.json, interactive docs at /api/docs. Every error has one shape:
{"error": {"code", "message", "message_en", "field"}} (see terbuka_web.api.errors).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Literal

from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.urls import reverse
from django.utils.http import http_date
from ninja import Field, NinjaAPI, Query, Schema
from pydantic import BaseModel

from terbuka.errors import ValidationError
from terbuka.flags.registry import LOCAL_CODES
from terbuka_web.api import selectors as ocds
from terbuka_web.api.errors import (
    ERRORS,
    ErrorOut,
    KnownParams,
    error_response,
    handlers_register,
)
from terbuka_web.benefits.api import router as benefits_router
from terbuka_web.budget.api import router as budget_router
from terbuka_web.contracting.models import Process
from terbuka_web.flags.api import router as flags_router
from terbuka_web.governance.api import router as governance_router
from terbuka_web.ledger.api import router as ledger_router
from terbuka_web.openness.api import router as openness_router
from terbuka_web.participation.api import router as lapor_router
from terbuka_web.portal import selectors as portal
from terbuka_web.portal.links import ocid_link_maker
from terbuka_web.scope.api import router as scope_router
from terbuka_web.wallets.api import router as wallets_router

api = NinjaAPI(
    title="Terbuka API",
    version="1",
    description=(
        "Data pengadaan terbuka (OCDS 1.1.5), lisensi CC BY 4.0. / Open contracting data "
        '(OCDS 1.1.5), CC BY 4.0. Errors: {"error": {code, message, message_en, field}}.\n\n'
        "[← Kembali ke Terbuka: unduhan dan API / Back to Terbuka: downloads and API](/unduh/)"
    ),
    urls_namespace="api",
)
handlers_register(api)
api.add_router("/flags", flags_router)
api.add_router("/governance/", governance_router)
api.add_router("/ledger", ledger_router)
api.add_router("/openness", openness_router)
api.add_router("/governance/", scope_router)
api.add_router("/lapor/", lapor_router)
api.add_router("/budget/", budget_router)
api.add_router("/benefits", benefits_router)
api.add_router("/wallets", wallets_router)

StageCode = Literal["planning", "tender", "award", "contract", "implementation"]
MethodCode = Literal[
    "tender", "seleksi", "pengadaan_langsung", "penunjukan_langsung", "e_purchasing"
]


SortCode = Literal[tuple(portal.SORTS)]  # type: ignore[valid-type]
FlagCode = Literal[LOCAL_CODES]  # type: ignore[valid-type]


class SearchQuery(KnownParams):
    q: str = Field("", max_length=200, description="Teks bebas / free text")
    agency: str = Field("", max_length=80, description="Kode perangkat daerah / agency code")
    stage: StageCode | None = None
    year: int | None = Field(None, ge=2000, le=2100)
    method: MethodCode | None = None
    value_min: int | None = Field(None, ge=0, le=portal.MAX_VALUE)
    value_max: int | None = Field(None, ge=0, le=portal.MAX_VALUE)
    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(20, ge=1, le=100)
    sort: SortCode | None = Field(
        None, description="urutan / order; default relevance with q, else newest"
    )
    flag: FlagCode | None = Field(
        None, description="kode tanda bahaya / red-flag code (docs/flags.md), e.g. R018"
    )


class AgencyOut(BaseModel):
    code: str
    name: str


# A pydantic model, not a ninja Schema: a page of 20-100 plain dicts validates without
# ninja's per-attribute Django getter (which cost about half the API search's CPU).
class ProcessOut(BaseModel):
    ocid: str
    title: str
    agency: AgencyOut | None
    fiscal_year: int
    method: str
    stage_reached: str
    stages_published: list[str]
    value_idr: int | None
    first_published_at: datetime | None
    last_published_at: datetime | None
    url: str
    record_url: str


class ProcessPage(BaseModel):
    count: int = Field(description=f"matches, counted up to {portal.COUNT_CAP}")
    count_capped: bool = Field(description="true when more than count processes match")
    page: int
    per_page: int
    next: str | None
    results: list[ProcessOut]


class StageOut(Schema):
    stage: str
    label: str
    published: bool
    missing: bool
    first_published_at: datetime | None


class SupplierOut(Schema):
    id: str
    name: str


class DocumentOut(Schema):
    title: str
    stage: str
    document_type: str
    sha256: str
    size: int
    url: str


class ProcessDetail(ProcessOut):
    description: str
    timeline: list[StageOut]
    suppliers: list[SupplierOut]
    documents: list[DocumentOut]
    compiled_release: dict[str, Any]


def _process_out(
    p: dict[str, Any], page_url: Callable[[str], str], record_url: Callable[[str], str]
) -> dict[str, Any]:
    """Return a search result row (portal.LIST_FIELDS) as the API's ProcessOut."""
    code, name = p["agency__code"], p["agency__name"]
    return {
        "ocid": p["ocid"],
        "title": p["title"],
        "agency": {"code": code, "name": name} if code is not None else None,
        "fiscal_year": p["fiscal_year"],
        "method": p["method"],
        "stage_reached": p["stage_reached"],
        "stages_published": list(p["stages_published"] or []),
        "value_idr": p["value_idr"],
        "first_published_at": p["first_published_at"],
        "last_published_at": p["last_published_at"],
        "url": page_url(p["ocid"]),
        "record_url": record_url(p["ocid"]),
    }


def _link_makers(request: HttpRequest) -> tuple[Callable[[str], str], Callable[[str], str]]:
    absolute = request.build_absolute_uri
    return ocid_link_maker("portal:process", absolute), ocid_link_maker("api:ocds_record", absolute)


SEARCH_MAX_AGE = 30  # seconds a browser or CDN may reuse a search answer


def _search_etag(request: HttpRequest) -> str:
    """Return the validator of a search answer: the publication stamp and the exact URL."""
    seed = f"{portal.publication_stamp()}|{request.get_full_path()}"
    return '"' + hashlib.sha256(seed.encode()).hexdigest()[:20] + '"'


@api.get("/processes", response={200: ProcessPage, 304: None, **ERRORS}, tags=["processes"])
def processes_search(
    request: HttpRequest, response: HttpResponse, query: Query[SearchQuery]
) -> Any:
    """Cari proses yang diterbitkan / search published processes (same filters as the portal).

    Answers carry Cache-Control: public, max-age=30 and an ETag that changes with every
    publication; a request whose If-None-Match equals it gets 304 without searching.
    """
    etag = _search_etag(request)
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={SEARCH_MAX_AGE}"}
    if etag in request.headers.get("If-None-Match", "").replace(" ", "").split(","):
        return HttpResponse(status=304, headers=headers)
    for name, value in headers.items():
        response[name] = value
    filters = portal.filters_check(
        portal.ProcessFilters(
            q=" ".join(portal.clean_text(query.q).split()),
            agency=portal.clean_text(query.agency).strip(),
            stage=query.stage or "",
            year=query.year,
            method=query.method or "",
            value_min=query.value_min,
            value_max=query.value_max,
            sort=query.sort or "",
            flag=query.flag or "",
        )
    )
    paginator = portal.SearchPaginator(filters, query.per_page)
    count = paginator.count
    rows = paginator.page(query.page).object_list if query.page <= paginator.num_pages else []
    next_url, links = None, _link_makers(request)
    if query.page < paginator.num_pages:
        params = request.GET.copy()
        params["page"] = str(query.page + 1)
        next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    return {
        "count": count,
        "count_capped": paginator.capped,
        "page": query.page,
        "per_page": query.per_page,
        "next": next_url,
        "results": [_process_out(p, *links) for p in rows],
    }


def _process_or_404(ocid: str) -> Process:
    process = portal.process_public_get(ocid)
    if process is None:
        raise Http404(f"proses {ocid[:100]!r} tidak ditemukan / process {ocid[:100]!r} not found")
    return process


@api.get("/processes/{ocid}", response={200: ProcessDetail, **ERRORS}, tags=["processes"])
def process_get(request: HttpRequest, ocid: str) -> dict[str, Any]:
    """Ambil satu proses / get one published process with timeline, suppliers and documents."""
    p = _process_or_404(ocid)
    timeline = [
        {
            "stage": s.code,
            "label": str(s.label),
            "published": s.published,
            "missing": s.missing,
            "first_published_at": s.first_date,
        }
        for s in portal.process_timeline(p)
    ]
    documents = [
        {
            "title": d.title,
            "stage": d.stage,
            "document_type": d.document_type,
            "sha256": d.sha256,
            "size": d.size,
            "url": request.build_absolute_uri(d.get_absolute_url()),
        }
        for d in portal.process_documents(p)
    ]
    return {
        **_process_out(portal.list_row(p), *_link_makers(request)),
        "description": p.description,
        "timeline": timeline,
        "suppliers": portal.process_suppliers(p),
        "documents": documents,
        "compiled_release": p.compiled_release or {},
    }


def _json(data: dict[str, Any]) -> HttpResponse:
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/json")


def _utc(moment: datetime | None) -> datetime | None:
    """Return moment in UTC (naive means UTC); raise ValidationError when it cannot be."""
    if moment is None:
        return None
    try:
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (OverflowError, ValueError) as exc:
        raise ValidationError(
            f"'since' di luar rentang waktu yang dapat diproses: {exc}",
            f"'since' is outside the range of times that can be processed: {exc}",
            where="since",
        ) from exc


PACKAGE = {200: dict[str, Any], **ERRORS}


class ReleaseQuery(KnownParams):
    since: datetime | None = Field(None, description="published_at ≥ since (ISO 8601)")
    after: str | None = Field(None, max_length=40, description="cursor from links.next")
    limit: int = Field(100, ge=1, le=1000)


class RecordQuery(KnownParams):
    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(50, ge=1, le=200)


@api.get("/ocds/releases", response={**PACKAGE, 204: None}, tags=["ocds"], url_name="ocds_releases")
def ocds_releases(request: HttpRequest, query: Query[ReleaseQuery]) -> HttpResponse:
    """Rilis terbit per halaman / release packages paged by publication for harvesting.

    Order is (published_at, id); links.next points just after the page's last release. Follow
    it until the answer is 204 No Content (nothing newer yet: an OCDS package may not be
    empty); keep the last links.next to resume later and get only what was published since.
    """
    cursor = ocds.Cursor.parse(query.after) if query.after else None
    rows, last = ocds.release_page(since=_utc(query.since), after=cursor, limit=query.limit)
    if not rows:
        return HttpResponse(status=204)
    package = ocds.release_package(request.build_absolute_uri(), rows)
    params = request.GET.copy()
    if last is not None:
        params["after"] = last.format()
    package["links"] = {"next": request.build_absolute_uri(f"{request.path}?{params.urlencode()}")}
    return _json(package)


@api.get("/ocds/records", response=PACKAGE, tags=["ocds"], url_name="ocds_records")
def ocds_records(request: HttpRequest, query: Query[RecordQuery]) -> HttpResponse:
    """Record package per halaman / record packages paged by process."""
    page, per_page = query.page, query.per_page
    paginator = Paginator(ocds.processes_published(), per_page)
    rows = list(paginator.page(page).object_list) if page <= paginator.num_pages else []
    bulk = request.build_absolute_uri(reverse("api:ocds_bulk_releases"))
    package = ocds.record_package(request.build_absolute_uri(), rows, bulk)
    if page < paginator.num_pages:
        params = request.GET.copy()
        params["page"] = str(page + 1)
        package["links"] = {
            "next": request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
        }
    return _json(package)


@api.get("/ocds/records/{ocid}", response=PACKAGE, tags=["ocds"], url_name="ocds_record")
def ocds_record(request: HttpRequest, ocid: str) -> HttpResponse:
    """Record package satu proses / the record package of one process."""
    p = _process_or_404(ocid)
    bulk = request.build_absolute_uri(reverse("api:ocds_bulk_releases"))
    return _json(ocds.record_package(request.build_absolute_uri(), [p], bulk))


@api.get(
    "/ocds/bulk/releases.json",
    response={200: dict[str, Any]},
    tags=["bulk"],
    url_name="ocds_bulk_releases",
)
def bulk_releases_json(request: HttpRequest) -> StreamingHttpResponse:
    """Semua rilis dalam satu release package (streaming) / every release, streamed."""
    stream = ocds.release_package_stream(request.build_absolute_uri())
    response = StreamingHttpResponse(stream, content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="releases.json"'
    return response


def _binary(media_type: str, what: str) -> dict[str, Any]:
    content = {media_type: {"schema": {"type": "string", "format": "binary"}}}
    return {"responses": {200: {"description": what, "content": content}}}


BULK_RETRY_SECONDS = 60


def _bulk_file(kind: str) -> HttpResponse:
    files = ocds.bulk_flat_files()
    if files is None:
        if ocds.bulk_fingerprint() is None:
            raise Http404("belum ada rilis yang diterbitkan / no release is published yet")
        response = error_response(
            503,
            "berkas CSV/XLSX sedang disiapkan; coba lagi nanti atau unduh releases.json",
            "the CSV/XLSX files are being prepared; try again later or download releases.json",
        )
        response["Retry-After"] = str(BULK_RETRY_SECONDS)
        return response
    path = files.csv_zip if kind == "csv" else files.xlsx
    try:
        stream, built = path.open("rb"), path.parent.stat().st_mtime
    except FileNotFoundError:  # a newer build replaced it just now
        return _bulk_file(kind)
    response = FileResponse(stream, as_attachment=True, filename=path.name)
    response["Last-Modified"] = http_date(built)
    return response


@api.get(
    "/ocds/bulk/releases.csv.zip",
    response={404: ErrorOut, 503: ErrorOut},
    tags=["bulk"],
    openapi_extra=_binary("application/zip", "CSV sheets (flattentool) in one zip"),
)
def bulk_releases_csv(request: HttpRequest) -> HttpResponse:
    """Semua rilis sebagai CSV (zip) / every release flattened to CSV sheets in a zip.

    Built by the background builder after publications (Last-Modified tells when); 503 with
    Retry-After until its first build.
    """
    return _bulk_file("csv")


@api.get(
    "/ocds/bulk/releases.xlsx",
    response={404: ErrorOut, 503: ErrorOut},
    tags=["bulk"],
    openapi_extra=_binary(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX workbook"
    ),
)
def bulk_releases_xlsx(request: HttpRequest) -> HttpResponse:
    """Semua rilis sebagai XLSX / every release flattened to one XLSX workbook (as the CSV)."""
    return _bulk_file("xlsx")
