"""Agencies (perangkat daerah) of Bojonegoro and official accounts: agency_create, agencies_seed,
user_create."""

from __future__ import annotations

import json

import pytest

from terbuka.errors import ValidationError
from terbuka_web.accounts.models import Agency, AuditEvent, Role, User
from terbuka_web.accounts.services import (
    AGENCY_DATA,
    PermissionDenied,
    agencies_seed,
    agency_create,
    user_create,
)
from terbuka_web.regions.models import Region

PASSWORD = "jati-bengawan-2026"


def admin() -> User:
    return user_create(actor=None, username="admin", password=PASSWORD, role=Role.ADMIN)


def test_seed_creates_bojonegoro_agencies_once(bojonegoro: str) -> None:
    agencies = agencies_seed(actor=None)
    kinds = [a.kind for a in agencies]
    assert {k: kinds.count(k) for k in set(kinds)} == {
        "dinas": 24,
        "badan": 6,
        "sekretariat": 2,
        "inspektorat": 1,
        "satpol_pp": 1,
        "bagian": 10,
        "rsud": 3,
        "kecamatan": 28,
    }
    districts = {f"Kecamatan {r.name}" for r in Region.objects.filter(parent_id="35.22")}
    assert {a.name for a in agencies if a.kind == "kecamatan"} == districts
    assert {a.government_id for a in agencies} == {"35.22"}
    assert Agency.objects.get(code="3522-dpupr").name.startswith("Dinas Pekerjaan Umum")
    assert AuditEvent.objects.filter(action="accounts:agency:create").count() == 75
    again = agencies_seed(actor=None)
    assert [a.pk for a in again] == [a.pk for a in agencies]
    assert Agency.objects.count() == 75


def test_data_file_names_are_unique_and_kinds_known() -> None:
    spec = json.loads((AGENCY_DATA / "bojonegoro-35.22-agencies.json").read_text("utf-8"))
    names = [a["name"] for a in spec["agencies"]]
    assert len(names) == len(set(names)) == 47
    assert {a["kind"] for a in spec["agencies"]} <= set(Agency.Kind.values)
    assert (AGENCY_DATA / "README.md").read_text("utf-8").count("bojonegoro-35.22-agencies") >= 1


def test_agency_create_checks_role(bojonegoro: str) -> None:
    government = Region.objects.get(code="35.22")
    boss = admin()
    made = agency_create(
        actor=boss, code="3522-uji", name="Dinas Uji", kind="dinas", government=government
    )
    event = AuditEvent.objects.get(action="accounts:agency:create", target="3522-uji")
    assert (event.actor, event.agency) == (boss, made)
    operator = user_create(
        actor=boss, username="op.uji", password=PASSWORD, role=Role.OPERATOR, agency=made
    )
    with pytest.raises(PermissionDenied) as caught:
        agency_create(
            actor=operator, code="3522-lain", name="Lain", kind="dinas", government=government
        )
    assert "tidak berwenang" in caught.value.message_id
    assert not Agency.objects.filter(code="3522-lain").exists()


@pytest.mark.parametrize(
    ("code", "name", "kind", "field"),
    [
        ("Bad Code", "Dinas", "dinas", "code"),
        ("3522-x", "  ", "dinas", "name"),
        ("3522-x", "Dinas X", "kementerian", "kind"),
        ("3522-dup", "Dinas Dup", "dinas", "code"),
    ],
)
def test_agency_create_refuses_bad_input(
    bojonegoro: str, code: str, name: str, kind: str, field: str
) -> None:
    government = Region.objects.get(code="35.22")
    agency_create(actor=None, code="3522-dup", name="Asli", kind="dinas", government=government)
    with pytest.raises(ValidationError) as caught:
        agency_create(actor=None, code=code, name=name, kind=kind, government=government)
    assert caught.value.where == field
    assert caught.value.message_id != caught.value.message_en
    assert Agency.objects.count() == 1


def test_user_create_hashes_with_argon2_and_audits(bojonegoro: str) -> None:
    agencies_seed(actor=None, with_kecamatan=False)
    dpupr = Agency.objects.get(code="3522-dpupr")
    user = user_create(
        actor=admin(),
        username="ppk.dpupr",
        password=PASSWORD,
        role=Role.PPK,
        agency=dpupr,
        full_name="PPK Bina Marga",
    )
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD)
    assert (user.role, user.agency) == (Role.PPK, dpupr)
    event = AuditEvent.objects.get(action="accounts:user:create", target="ppk.dpupr")
    assert event.actor_username == "admin"
    assert PASSWORD not in json.dumps(event.data)
    assert event.data == {"role": "ppk", "agency": "3522-dpupr"}


@pytest.mark.parametrize(
    ("username", "password", "role", "with_agency", "field", "id_text"),
    [
        ("operator.x", PASSWORD, Role.OPERATOR, False, "agency", "wajib terikat"),
        ("auditor.x", PASSWORD, Role.AUDITOR, True, "agency", "semua instansi"),
        ("op.x", PASSWORD, "bupati", True, "role", "tidak dikenal"),
        ("Op X", PASSWORD, Role.OPERATOR, True, "username", "hanya boleh"),
        ("admin", PASSWORD, Role.ADMIN, False, "username", "sudah dipakai"),
        ("op.x", "12345678901", Role.OPERATOR, True, "password", "terlalu lemah"),
        ("op.x", "pendek", Role.OPERATOR, True, "password", "terlalu lemah"),
    ],
)
def test_user_create_refuses_bad_input(
    bojonegoro: str,
    username: str,
    password: str,
    role: str,
    with_agency: bool,
    field: str,
    id_text: str,
) -> None:
    boss = admin()
    agency = agency_create(
        actor=boss,
        code="3522-dinkes",
        name="Dinas Kesehatan",
        kind="dinas",
        government=Region.objects.get(code="35.22"),
    )
    before = User.objects.count()
    with pytest.raises(ValidationError) as caught:
        user_create(
            actor=boss,
            username=username,
            password=password,
            role=role,
            agency=agency if with_agency else None,
        )
    assert caught.value.where == field
    assert id_text in caught.value.message_id
    assert caught.value.message_en != caught.value.message_id
    assert User.objects.count() == before


def test_user_create_needs_user_manage(bojonegoro: str) -> None:
    auditor = user_create(actor=None, username="auditor", password=PASSWORD, role=Role.AUDITOR)
    with pytest.raises(PermissionDenied):
        user_create(actor=auditor, username="admin2", password=PASSWORD, role=Role.ADMIN)
    assert not User.objects.filter(username="admin2").exists()


def test_user_without_password_cannot_log_in(bojonegoro: str) -> None:
    user = user_create(actor=None, username="auditor.bpk", password=None, role=Role.AUDITOR)
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert not user.check_password("")
    event = AuditEvent.objects.get(target="auditor.bpk")
    assert event.actor is None and event.actor_username == ""
