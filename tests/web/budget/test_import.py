"""Budget imports: all or nothing, every error naming its row and field; phases side by side."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from terbuka.budget.errors import BudgetFileError
from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.accounts.services import PermissionDenied
from terbuka_web.budget.models import BudgetBatch, BudgetLine, RegionBudget
from terbuka_web.budget.selectors import region_rollup, reported_check, summary_lines
from terbuka_web.budget.services import budget_file_import
from terbuka_web.transparency.models import LogEntry
from tests.paths import REPO
from tests.web.factories import agency_create

pytestmark = pytest.mark.django_db
OTHER = '2024,dpa,35.22,dinas-pu-bina-marga,1.03.10.2.01.0001,5.2.04.01.01.0002,Y,"5.509,68 M",\n'
HEADER = "tahun,tahap,wilayah,perangkat_daerah,kode_program,kode_rekening,uraian,jumlah,semester\n"
GOOD = (
    HEADER
    + '2024,dpa,35.22,dinas-pu-bina-marga,1.03.10.2.01.01,5.2.04.01.01.001,Jalan,"1.500.000.000",\n'
    + '2024,dpa,35.22,dinas-pu-bina-marga,1.03.10.2.01.0001,5.1.02.01.01.0024,ATK,"12,3 juta",\n'
)


def _import(text: str, actor: User | None = None) -> object:
    return budget_file_import(actor=actor, data=text.encode(), name="anggaran.csv")


def test_good_file_publishes_and_logs_in_one_go() -> None:
    agency_create()
    result = _import(GOOD)
    assert (result.batches, result.lines) == (1, 2)  # type: ignore[attr-defined]
    lines = BudgetLine.objects.order_by("id")
    assert [line.account for line in lines] == ["5.2.04.01.01.0001", "5.1.02.01.01.0024"]
    assert lines[0].programme == "1.03.10.2.01.0001"
    assert [line.amount for line in lines] == [1_500_000_000, 12_300_000]
    entry = LogEntry.objects.get(kind="budget.batch")
    assert b'"total":1512300000' in bytes(entry.data)
    totals, _children = region_rollup(code="35.22", year=2024)
    assert totals.planned == totals.adjusted == 1_512_300_000


@pytest.mark.parametrize(
    ("row", "where", "words"),
    [
        (
            "2024,dpa,35.22,dinas-pu-bina-marga,1.03.10.2.01.0001,5.9.04.01.01.0001,X,1",
            "baris 2, kode_rekening",
            "unknown in Permendagri",
        ),
        (
            "2024,dpa,35.22,dinas-pu-bina-marga,1.03.10.2.01.0001,5.2.04,X,1",
            "baris 2, kode_rekening",
            "level type",
        ),
        (
            "2024,dpa,35.22,dinas-pu-bina-marga,1.03.10,5.2.04.01.01.0001,X,1",
            "baris 2, kode_program",
            "level programme",
        ),
        (
            "2024,dpa,35.22,dinas-pu-bina-marga,1.03.10.2.01.0001,5.2.04.01.01.0001,X,1.2 juta",
            "baris 2, jumlah",
            "not a Rupiah amount",
        ),
        (
            "2024,dpr,35.22,dinas-pu-bina-marga,1.03.10.2.01.0001,5.2.04.01.01.0001,X,1",
            "baris 2, tahap",
            "unknown phase",
        ),
        (
            "2024,dpa,35.99,dinas-pu-bina-marga,1.03.10.2.01.0001,5.2.04.01.01.0001,X,1",
            "baris 2, wilayah",
            "not found",
        ),
        (
            "2024,dpa,35.22,dinas-hantu,1.03.10.2.01.0001,5.2.04.01.01.0001,X,1",
            "baris 2, perangkat_daerah",
            "not found",
        ),
        (
            "2024,realisasi,35.22,dinas-pu-bina-marga,1.03.10.2.01.0009,5.2.04.01.01.0001,X,1",
            "baris 2, kode_rekening",
            "realisation without a budget line",
        ),
    ],
)
def test_bad_row_names_row_and_field_and_writes_nothing(row: str, where: str, words: str) -> None:
    agency_create()
    _import(GOOD)
    before = (BudgetBatch.objects.count(), BudgetLine.objects.count(), LogEntry.objects.count())
    with pytest.raises(BudgetFileError) as caught:
        _import(HEADER + OTHER + row + ",\n")
    error = caught.value.errors[0]
    assert error.where == where.replace("baris 2", "baris 3")
    assert words in error.message_en
    assert error.message_id and error.message_id != error.message_en
    after = (BudgetBatch.objects.count(), BudgetLine.objects.count(), LogEntry.objects.count())
    assert after == before


def test_amounts_in_every_format() -> None:
    agency_create()
    amounts = [
        '"1.234.567,89"',
        '"5.509,68 M"',
        '"Rp 1,2 T"',
        '"Rp 12,3 juta"',
        "750000",
        '"Rp 25.000"',
    ]
    rows = "".join(
        f"2024,dpa,35.22,dinas-pu-bina-marga,1.03.10.2.01.0001,5.2.04.01.01.{n:04d},X,{a},\n"
        for n, a in enumerate(amounts, start=1)
    )
    _import(HEADER + rows)
    got = list(BudgetLine.objects.order_by("id").values_list("amount", flat=True))
    assert got == [1_234_568, 5_509_680_000_000, 1_200_000_000_000, 12_300_000, 750_000, 25_000]


def test_phases_side_by_side_and_corrections_supersede() -> None:
    agency_create()
    _import(GOOD)
    _import(GOOD.replace(",dpa,", ",perubahan,").replace('"1.500.000.000"', '"1.600.000.000"'))
    realised = (
        GOOD.replace(",dpa,", ",realisasi,")
        .replace(",\n", ",1\n")
        .replace(HEADER.replace("\n", ",1\n"), HEADER)
    )
    _import(realised.replace('"1.500.000.000"', '"700.000.000"'))
    totals, _ = region_rollup(code="35.22", year=2024)
    assert (totals.planned, totals.adjusted, totals.realised) == (
        1_512_300_000,
        1_612_300_000,
        712_300_000,
    )
    _import(GOOD.replace('"1.500.000.000"', '"1.400.000.000"'))  # a corrected DPA
    assert BudgetBatch.objects.filter(phase="dpa").count() == 2
    assert BudgetBatch.objects.filter(phase="dpa", current=True).count() == 1
    assert BudgetLine.objects.filter(phase="dpa").count() == 4  # the old lines stay stored
    totals, _ = region_rollup(code="35.22", year=2024)
    assert totals.planned == 1_412_300_000
    assert RegionBudget.objects.get(region_id="35", year=2024).planned == 1_412_300_000


def test_only_admin_or_the_village_operator_publishes() -> None:
    agency = agency_create()
    operator = User.objects.create_user("op1", role=Role.OPERATOR, agency=agency)
    with pytest.raises(PermissionDenied):
        _import(GOOD, actor=operator)
    admin = User.objects.create_user("admin1", role=Role.ADMIN)
    _import(GOOD, actor=admin)


def test_djpk_summary_command_and_reported_mismatch() -> None:
    agency_create()
    path = REPO / "src/terbuka_web/budget/data/djpk/2024/Bojonegoro.csv"
    call_command("terbuka_budget", "import", str(path), "--region", "35.22")
    lines = summary_lines(code="35.22", year=2024)
    assert lines[0]["name"] == "Pendapatan Daerah"
    assert lines[0]["planned"] == 5_509_680_000_000
    _import(GOOD)
    totals, _ = region_rollup(code="35.22", year=2024)
    checks = reported_check(code="35.22", year=2024, own=totals.own)
    assert checks[0]["reported"] == 8_206_220_000_000
    assert checks[0]["mismatch"] is True
    assert checks[0]["difference"] == 1_512_300_000 - 8_206_220_000_000


def test_command_reports_every_bad_row(tmp_path: object) -> None:
    agency_create()
    bad = tmp_path / "bad.csv"  # type: ignore[operator]
    bad.write_text(HEADER + "2024,dpa,35.22,dinas-pu-bina-marga,1.03.10.2.01.0001,9.9,X,abc,\n")
    with pytest.raises(CommandError) as caught:
        call_command("terbuka_budget", "import", str(bad))
    assert "baris 2, kode_rekening" in str(caught.value)
    assert not BudgetLine.objects.exists()


def test_xlsx_import(tmp_path: object) -> None:
    import openpyxl

    agency_create()
    book = openpyxl.Workbook()
    sheet = book.active
    for line in GOOD.strip().split("\n"):
        sheet.append(next(iter(__import__("csv").reader([line]))))
    path = tmp_path / "anggaran.xlsx"  # type: ignore[operator]
    book.save(path)
    result = budget_file_import(actor=None, data=path.read_bytes(), name="anggaran.xlsx")
    assert result.lines == 2


def test_village_push_with_its_token(client: Client, bojonegoro: str) -> None:
    import hashlib

    from terbuka_web.budget.models import VillageToken

    village = "35.22.01.2001"
    VillageToken.objects.create(
        region_id=village, token_sha256=hashlib.sha256(b"rahasia").hexdigest()
    )
    rows = [
        {"tahun": "2024", "tahap": "apbdes", "kode_rekening": "4.2.1", "jumlah": "900.000.000"},
        {
            "tahun": "2024",
            "tahap": "apbdes",
            "kode_rekening": "5.3",
            "kode_program": "2.3.01",
            "jumlah": "Rp 450 juta",
        },
    ]
    url = f"/api/budget/villages/{village}/lines"
    denied = client.post(
        url, {"rows": rows}, content_type="application/json", HTTP_AUTHORIZATION="Bearer salah"
    )
    assert denied.status_code == 401
    assert client.post(url).status_code == 401  # no token and no body: the token is checked first
    other = client.post(
        f"/api/budget/villages/{village[:-1]}9/lines",
        {"rows": rows},
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer rahasia",
    )
    assert other.status_code == 401, other.content  # this village's token for another village
    ok = client.post(
        url, {"rows": rows}, content_type="application/json", HTTP_AUTHORIZATION="Bearer rahasia"
    )
    assert ok.status_code == 201, ok.content
    answer = client.get("/api/budget/regions/35.22.01?year=2024").json()
    assert answer["planned"] == 450_000_000
    assert {
        "code": village,
        "planned": 450_000_000,
        "adjusted": 450_000_000,
        "realised": 0,
    } in answer["children"]
    rows[1]["wilayah"] = "35.22.01.2002"
    stranger = client.post(
        url, {"rows": rows}, content_type="application/json", HTTP_AUTHORIZATION="Bearer rahasia"
    )
    assert stranger.status_code == 422
    assert stranger.json()["error"]["field"] == "baris 3, wilayah"
    assert Agency.objects.count() == 0


def test_village_operator_uploads_its_own_apbdes_only(client: Client, bojonegoro: str) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    village = "35.22.01.2001"
    desa = Agency.objects.create(
        code="desa-ngraho", name="Pemerintah Desa", kind=Agency.Kind.DESA, government_id=village
    )
    operator = User.objects.create_user("op.desa", role=Role.OPERATOR, agency=desa)
    client.force_login(operator)
    good = (
        "tahun,tahap,wilayah,kode_program,kode_rekening,uraian,jumlah,semester\n"
        f'2025,apbdes,{village},,4.2.1,Dana Desa,"Rp 1,1 M",\n'
        f'2025,apbdes,{village},2.3.10,5.3,Jalan,"450.000.000",\n'
        f'2025,realisasi,{village},2.3.10,5.3,Jalan,"200.000.000",1\n'
    )
    url = f"/anggaran/{village}/unggah/"
    answer = client.post(url, {"file": SimpleUploadedFile("apbdes.csv", good.encode())})
    assert answer.status_code == 302, answer.content.decode()[-2000:]
    assert BudgetLine.objects.filter(region_id=village).count() == 3
    other = good.replace(village, "35.22.01.2002")
    refused = client.post(
        "/anggaran/35.22.01.2002/unggah/", {"file": SimpleUploadedFile("x.csv", other.encode())}
    )
    assert refused.status_code == 422
    assert "may not publish budgets" in refused.content.decode()
    assert BudgetLine.objects.filter(region_id="35.22.01.2002").count() == 0
    bad = good.replace("4.2.1", "4.2.9")
    shown = client.post(url, {"file": SimpleUploadedFile("y.csv", bad.encode())})
    assert "baris 2, kode_rekening" in shown.content.decode()
    assert BudgetLine.objects.filter(region_id=village).count() == 3
    assert RegionBudget.objects.get(region_id=village, year=2025).realised == 200_000_000


def test_village_token_command(bojonegoro: str) -> None:
    from io import StringIO

    from terbuka_web.budget.models import VillageToken

    out = StringIO()
    call_command("terbuka_budget", "token", "35.22.01.2001", stdout=out)
    token = out.getvalue().strip()
    assert len(token) > 30
    stored = VillageToken.objects.get()
    assert stored.token_sha256 != token
