"""Budget open data: a year's lines as CSV and as a Fiscal Data Package, in the catalogue."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from django.db.models import Sum
from django.test import Client
from frictionless import validate

from terbuka.budget.fdp import HEADER
from terbuka_web.budget.models import BudgetLine
from tests.paths import FIXTURES

pytestmark = pytest.mark.django_db


def _csv(client: Client, year: int) -> str:
    response = client.get(f"/anggaran/data/{year}/anggaran.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return b"".join(response.streaming_content).decode()


@pytest.mark.parametrize(
    ("year", "kinds"), [(2024, {"apbd", "summary"}), (2025, {"apbd", "apbdes"})]
)
def test_the_csv_holds_every_current_line_of_the_year(
    seeded: None, client: Client, year: int, kinds: set[str]
) -> None:
    rows = list(csv.DictReader(io.StringIO(_csv(client, year))))
    assert tuple(rows[0]) == HEADER
    current = BudgetLine.objects.filter(year=year, current=True)
    assert len(rows) == current.count() > 0
    assert sum(int(r["nilai"]) for r in rows) == current.aggregate(s=Sum("amount"))["s"]
    assert {r["jenis"] for r in rows} == kinds
    assert all(r["tahun"] == str(year) for r in rows)


def test_the_fiscal_data_package_validates(seeded: None, client: Client, tmp_path: Path) -> None:
    response = client.get("/anggaran/data/2024/datapackage.json")
    assert response.status_code == 200
    descriptor = response.json()
    profile = json.loads((FIXTURES / "fdp" / "fiscal-data-package.json").read_text())
    jsonschema.validate(descriptor, profile)
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    (tmp_path / "anggaran.csv").write_text(_csv(client, 2024))
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.stats["tasks"] == 1


def test_a_year_without_budget_is_404(seeded: None, client: Client) -> None:
    assert client.get("/anggaran/data/1999/anggaran.csv").status_code == 404
    assert client.get("/anggaran/data/1999/datapackage.json").status_code == 404


def test_the_catalogue_lists_the_budget_with_a_package_per_year(
    seeded: None, client: Client
) -> None:
    found = client.get("/api/3/action/package_show", {"id": "anggaran-apbd-apbdes"}).json()
    assert found["success"]
    urls = {r["url"].split("://", 1)[1].split("/", 1)[1] for r in found["result"]["resources"]}
    assert {"anggaran/data/2024/datapackage.json", "anggaran/data/2024/anggaran.csv"} <= urls
    for url in urls:
        assert client.get("/" + url).status_code == 200
