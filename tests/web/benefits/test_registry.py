"""Test the registry import: all or nothing with per-row, per-field errors; only keyed hashes
and sealed text stored; duplicates and deceased flagged; identity only for region officers."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from terbuka.registry.errors import RegistryImportError
from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.accounts.services import PermissionDenied
from terbuka_web.benefits.models import Registrant, RegistryImport
from terbuka_web.benefits.registry import registry_import
from terbuka_web.benefits.selectors import registrant_identity, registry_counts

from .conftest import HEADER, person, registry_bytes


def test_an_import_stores_hashes_and_sealed_text_only(region: list[Agency]) -> None:
    people = [person(n) for n in range(6)] + [person(9, meninggal=1)]
    people.append(dict(people[0], kode_desa="35.22.01.2002"))  # the same NIK twice
    source = registry_import(actor=None, filename="dtsen.csv", data=registry_bytes(people))
    assert source.rows == 8 and Registrant.objects.count() == 8
    for row in Registrant.objects.values():
        flat = repr(row)
        for p in people:
            assert p["nik"] not in flat and p["no_kk"] not in flat and p["nama"] not in flat
        assert len(row["nik_hash"]) == 64 and b"Warga" not in bytes(row["name_sealed"])
    assert registry_counts() == {"registrants": 8, "deceased": 1, "duplicate": 2}


def test_a_duplicate_across_imports_is_flagged_on_both(region: list[Agency]) -> None:
    registry_import(actor=None, filename="a.csv", data=registry_bytes([person(1)]))
    registry_import(actor=None, filename="b.csv", data=registry_bytes([person(1), person(2)]))
    assert Registrant.objects.filter(duplicate=True).count() == 2


def test_one_bad_row_refuses_the_whole_file(region: list[Agency]) -> None:
    people = [person(0), person(1, nik="3522019999850001", desil=0), person(2, kode_desa="1")]
    with pytest.raises(RegistryImportError) as caught:
        registry_import(actor=None, filename="x.csv", data=registry_bytes(people))
    found = {(p.row, p.field) for p in caught.value.problems}
    assert found == {(3, "nik"), (3, "desil"), (4, "kode_desa")}
    assert not Registrant.objects.exists() and not RegistryImport.objects.exists()


def test_an_xlsx_registry_is_read_like_a_csv(region: list[Agency]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    for n in range(3):
        row = person(n)
        sheet.append([int(row["nik"]), row["no_kk"], *list(row.values())[2:]])
    out = io.BytesIO()
    book.save(out)
    assert registry_import(actor=None, filename="dtsen.xlsx", data=out.getvalue()).rows == 3


def test_an_officer_imports_only_villages_of_its_region(region: list[Agency]) -> None:
    dinsos = Agency.objects.get(code="3522-dinsos")
    operator = User.objects.create_user("op.dinsos", role=Role.OPERATOR, agency=dinsos)
    registry_import(actor=operator, filename="a.csv", data=registry_bytes([person(1)]))
    auditor = User.objects.create_user("aud", role=Role.AUDITOR)
    with pytest.raises(PermissionDenied):
        registry_import(actor=auditor, filename="a.csv", data=registry_bytes([person(2)]))


def test_identity_is_shown_only_to_officers_of_the_region(region: list[Agency]) -> None:
    registry_import(actor=None, filename="a.csv", data=registry_bytes([person(1)]))
    registrant = Registrant.objects.get()
    dinsos = Agency.objects.get(code="3522-dinsos")
    ppk = User.objects.create_user("ppk.dinsos", role=Role.PPK, agency=dinsos)
    assert registrant_identity(ppk, registrant) == {
        "nama": "Warga Fiktif 1 Sukamaju",
        "alamat": "Dusun Uji 1 RT 02",
    }
    admin = User.objects.create_user("adm", role=Role.ADMIN)
    auditor = User.objects.create_user("aud", role=Role.AUDITOR)
    pptk = User.objects.create_user("pptk.dinsos", role=Role.PPTK, agency=dinsos)
    assert registrant_identity(admin, registrant) is None
    assert registrant_identity(auditor, registrant) is None
    assert registrant_identity(pptk, registrant) is None
    assert registrant_identity(None, registrant) is None
    registrant.village_code = "35.23.01.2001"  # another regency's village
    assert registrant_identity(ppk, registrant) is None


def test_the_import_command_prints_every_problem(
    region: list[Agency], tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    from pathlib import Path

    good, bad = Path(str(tmp_path)) / "ok.csv", Path(str(tmp_path)) / "bad.csv"
    good.write_bytes(registry_bytes([person(1), person(2)]))
    bad.write_bytes(registry_bytes([person(3, desil=12)]))
    call_command("terbuka_benefits", "import", str(good))
    assert "2 baris / rows" in capsys.readouterr().out
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("terbuka_benefits", "import", str(bad))
    assert "baris 2, desil" in capsys.readouterr().err
    assert Registrant.objects.count() == 2


def test_the_village_registry_page_is_for_officers_of_the_region_and_audited(
    region: list[Agency], client: object
) -> None:
    from django.test import Client

    from terbuka_web.accounts.models import AuditEvent

    assert isinstance(client, Client)
    registry_import(actor=None, filename="a.csv", data=registry_bytes([person(1), person(2)]))
    url = "/bantuan/kelola/desa/35.22.01.2001/"
    assert client.get(url).status_code == 302  # to the login page
    dinsos = Agency.objects.get(code="3522-dinsos")
    client.force_login(User.objects.create_user("aud", role=Role.AUDITOR))
    assert client.get(url).status_code == 403
    client.force_login(User.objects.create_user("ppk.dinsos", role=Role.PPK, agency=dinsos))
    html = client.get(url).content.decode()
    assert "Warga Fiktif 1 Sukamaju" in html and "Dusun Uji 2 RT 03" in html
    event = AuditEvent.objects.get(action="benefits:identity:view")
    assert event.target == "35.22.01.2001" and event.data == {"registrants": 2}
