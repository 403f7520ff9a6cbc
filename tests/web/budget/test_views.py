"""Region budget pages: totals, children, reported mismatch, APBDes and projects of a village."""

from __future__ import annotations

import pytest
from django.test import Client

from terbuka_web.budget.demo import budget_demo_seed
from terbuka_web.budget.models import VillageProject

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(bojonegoro: str) -> None:
    from terbuka_web.accounts.services import agencies_seed

    agencies_seed(actor=None)
    budget_demo_seed()


def test_regency_page_shows_totals_children_and_djpk_check(seeded: None, client: Client) -> None:
    page = client.get("/anggaran/35.22/?tahun=2024")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Kabupaten Bojonegoro" in text
    assert "Ringkasan APBD (DJPK Kemenkeu)" in text
    assert "Rp 8.206.220.000.000" in text  # DJPK Belanja Daerah 2024, and the lines equal it
    assert "Cocok" in text
    old = client.get("/anggaran/35.22/?tahun=2021").content.decode()
    assert "Tidak cocok" in old  # 2021 has no detailed lines: the reported total stands alone
    assert client.get("/anggaran/").status_code == 302


def test_village_page_shows_its_apbdes_and_projects(seeded: None, client: Client) -> None:
    project = VillageProject.objects.filter(year=2026).first()
    assert project is not None
    page = client.get(f"/anggaran/{project.region_id}/?tahun=2026")
    text = page.content.decode()
    assert page.status_code == 200
    assert "APBDes" in text and "Dana Desa" in text
    assert project.title in text
    assert client.get("/anggaran/35.22.99.9999/").status_code == 404
    assert client.get("/anggaran/x/").status_code == 404


def test_pages_in_english(seeded: None, client: Client) -> None:
    client.cookies["django_language"] = "en"
    text = client.get("/anggaran/35.22/?tahun=2024", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Spending" in text
