"""A village's APBDes board as a poster: papan.pdf and papan.png, A1 and phone sizes."""

from __future__ import annotations

import io
import random

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image
from pypdf import PdfReader

from terbuka_web.budget.bulk import BatchSpec, batches_bulk_publish
from terbuka_web.budget.demo import _village
from terbuka_web.budget.models import VillageProject
from terbuka_web.regions.models import Region

pytestmark = pytest.mark.django_db
VILLAGE = "35.22.01.2001"
MM = 72 / 25.4


@pytest.fixture
def village(bojonegoro: str) -> list[BatchSpec]:
    """Publish one desa's APBDes 2026 (with its semesters) and its projects."""
    specs, projects = _village(random.Random(5), VILLAGE, 2026)
    batches_bulk_publish(actor=None, specs=specs, source="test")
    VillageProject.objects.bulk_create(projects)
    return specs


def _idr(amount: int) -> str:
    return "Rp " + f"{amount:,}".replace(",", ".")


def _adjusted_total(specs: list[BatchSpec], prefix: str) -> int:
    phases = {spec.phase: spec for spec in specs}
    spec = phases.get("perubahan", phases["dpa"])
    return sum(line["amount"] for line in spec.lines if line["account"].startswith(prefix))


def test_a1_pdf_has_the_village_and_its_totals_as_text(village: list[BatchSpec]) -> None:
    response = Client().get(f"/anggaran/{VILLAGE}/papan.pdf?ukuran=a1&tahun=2026")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / MM), round(float(box.height) / MM)) == (594, 841)
    text = " ".join(reader.pages[0].extract_text().split())
    name = Region.objects.get(code=VILLAGE).name
    assert f"Pemerintah Desa {name} Kecamatan Ngraho, Kabupaten Bojonegoro" in text
    assert f"Pendapatan Desa: {_idr(_adjusted_total(village, '4'))}" in text
    assert f"Belanja Desa per Bidang: {_idr(_adjusted_total(village, '5'))}" in text
    assert "Dana Desa" in text and "Jalan Rabat Beton" in text


def test_png_has_the_size_asked_for(village: list[BatchSpec]) -> None:
    client = Client()
    a1 = client.get(f"/anggaran/{VILLAGE}/papan.png?ukuran=a1&tahun=2026")
    phone = client.get(f"/anggaran/{VILLAGE}/papan.png?ukuran=ponsel&tahun=2026")
    assert a1["Content-Type"] == phone["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(a1.content)).size == (2339, 3311)  # A1 at 100 dpi
    width, height = Image.open(io.BytesIO(phone.content)).size
    assert width == 1080 and height > 1080
    pdf = PdfReader(io.BytesIO(client.get(f"/anggaran/{VILLAGE}/papan.pdf?ukuran=ponsel").content))
    assert round(float(pdf.pages[0].mediabox.width)) == 810  # 1080 px at 96 dpi


def test_board_is_drawn_once_per_publication(village: list[BatchSpec]) -> None:
    client = Client()
    url = f"/anggaran/{VILLAGE}/papan.pdf?ukuran=ponsel&tahun=2026"
    first = client.get(url)
    stored = default_storage.listdir(f"papan-apbdes/{VILLAGE}/2026")[1]
    assert client.get(url)["ETag"] == first["ETag"]
    assert default_storage.listdir(f"papan-apbdes/{VILLAGE}/2026")[1] == stored
    project = VillageProject.objects.filter(region_id=VILLAGE).first()
    assert project is not None
    project.progress = 100
    project.save()
    again = client.get(url)
    assert again["ETag"] != first["ETag"]
    assert "kemajuan 100%" in PdfReader(io.BytesIO(again.content)).pages[0].extract_text()
    kept = default_storage.listdir(f"papan-apbdes/{VILLAGE}/2026")[1]
    assert kept == [again["ETag"].strip('"').rsplit("-", 2)[0] + "-ponsel.pdf"]  # old one gone


def test_village_page_links_the_boards_with_their_size(village: list[BatchSpec]) -> None:
    client = Client()
    page = f"/anggaran/{VILLAGE}/?tahun=2026"
    text = client.get(page).content.decode()
    for query in ("papan.pdf?ukuran=a1", "papan.png?ukuran=a1", "papan.pdf?ukuran=ponsel"):
        assert f"/anggaran/{VILLAGE}/{query}&amp;tahun=2026" in text
    assert "KB)" not in text  # the page draws nothing: a board is drawn on its first download
    drawn = client.get(f"/anggaran/{VILLAGE}/papan.pdf?ukuran=a1&tahun=2026")
    size = f"{len(drawn.content) / 1024:.1f}".replace(".", ",")  # 42,8 KB
    after = client.get(page).content.decode()
    assert f"PDF, poster A1 (594 × 841 mm)</a> ({size}\xa0KB)" in after
    assert after.count("KB)") == 1  # the other three are not drawn yet


def test_village_without_apbdes_gets_a_clear_404(village: list[BatchSpec]) -> None:
    client = Client()
    other = client.get("/anggaran/35.22.01.2002/papan.pdf?ukuran=a1&tahun=2026")
    assert other.status_code == 404
    assert "belum menerbitkan APBDes tahun 2026" in other.content.decode()
    assert "papan.pdf" not in client.get("/anggaran/35.22.01.2002/?tahun=2026").content.decode()
    assert client.get(f"/anggaran/{VILLAGE}/papan.png?tahun=2019").status_code == 404
    assert client.get("/anggaran/35.22/papan.pdf").status_code == 404  # a regency: no board
    wrong = client.get(f"/anggaran/{VILLAGE}/papan.pdf?ukuran=a0")
    assert wrong.status_code == 400
    assert "a1" in wrong.content.decode() and "ponsel" in wrong.content.decode()
