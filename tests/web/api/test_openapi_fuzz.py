"""Fuzz the API from its OpenAPI document with schemathesis, in process through WSGI.

Each operation gets a bounded number of generated requests; none may answer 5xx, and every
answer must match the status codes, content types and JSON schemas the document declares.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from terbuka_web.api.services import bulk_files_build
from tests.web.factories import agency_create, document_create, draft_create, process_create

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def keep_test_connection() -> Iterator[None]:
    """Keep the test's transaction open across WSGI requests, as Django's test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def published(db, keep_test_connection) -> None:
    agency = agency_create()
    p = process_create(agency=agency, stages=("planning", "tender", "award"))
    document_create(p, stage="planning", release=p.releases.first())
    process_create(agency=agency, stages=("planning",), method="seleksi", value=75_000_000)
    draft_create(agency=agency)
    bulk_files_build()  # as the background builder would (before it, bulk answers 503)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_openapi(published, case) -> None:
    case.call_and_validate(checks=CHECKS)


def test_openapi_document_is_served(client) -> None:
    doc = client.get("/api/openapi.json").json()
    paths = set(doc["paths"])
    assert {"/api/processes", "/api/ocds/releases", "/api/ocds/records/{ocid}"} <= paths
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    html = docs.content.decode()  # served from our static files: no third-party request
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
