"""Test the open-data page: every download and the API explained, linked from every page."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LINKS = (
    'href="/api/ocds/bulk/releases.json"',
    'href="/api/ocds/bulk/releases.csv.zip"',
    'href="/api/ocds/bulk/releases.xlsx"',
    'href="/api/docs"',
    'href="/api/openapi.json"',
    'href="/log/"',
)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "id",
            ("Data terbuka: unduhan dan API", "Memanen secara bertahap dengan since", "Beranda"),
        ),
        ("en", ("Open data: downloads and API", "Harvesting incrementally with since", "Home")),
    ],
)
def test_downloads_page_explains_each_format(
    client: Client, language: str, words: tuple[str, ...]
) -> None:
    client.cookies["django_language"] = language
    html = client.get("/unduh/").content.decode()
    assert all(w in html for w in words) and all(link in html for link in LINKS)
    assert "http://testserver/api/ocds/releases?since=" in html  # an example to copy
    assert "http://testserver/api/processes?q=jalan" in html


def test_header_leads_to_the_page_not_to_swagger(client: Client) -> None:
    html = client.get("/kelengkapan/").content.decode()
    header = html.split("</header>")[0]
    assert 'href="/unduh/"' in header and "/api/docs" not in header


def test_swagger_page_leads_back_to_the_portal(client: Client) -> None:
    description = client.get("/api/openapi.json").json()["info"]["description"]
    assert "](/unduh/)" in description  # Swagger UI shows it as a link above the operations
