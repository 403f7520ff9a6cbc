"""Admins manage accounts and agencies on Terbuka's own screens (/akun/pengguna/, /akun/instansi/):
every write goes through an audited, role-checked service; a new account gets a one-time
password that must be changed at first login; deactivation asks first."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from terbuka.errors import ValidationError
from terbuka_web.accounts.models import Agency, AuditEvent, Role, User
from terbuka_web.accounts.services import (
    PermissionDenied,
    agency_create,
    agency_update,
    password_temporary,
    user_active_set,
    user_create,
    user_password_change,
    user_password_reset,
    user_update,
)
from terbuka_web.regions.models import Region

PASSWORD = "jati-bengawan-2026"
pytestmark = pytest.mark.django_db


@pytest.fixture
def region() -> Region:
    return Region.objects.create(code="35.22", name="Kabupaten Bojonegoro", level="regency")


@pytest.fixture
def agency(region: Region) -> Agency:
    return agency_create(
        actor=None, code="3522-dinkes", name="Dinas Kesehatan", kind="dinas", government=region
    )


@pytest.fixture
def admin() -> User:
    return user_create(actor=None, username="admin", password=PASSWORD, role=Role.ADMIN)


def non_admins(agency: Agency) -> list[User]:
    made = [user_create(actor=None, username="auditor", password=PASSWORD, role=Role.AUDITOR)]
    for role in (Role.OPERATOR, Role.PPTK, Role.PPK, Role.PA):
        made.append(
            user_create(
                actor=None, username=f"{role}.x", password=PASSWORD, role=role, agency=agency
            )
        )
    return made


def test_non_admins_cannot_create_or_change_users_or_agencies(
    admin: User, agency: Agency, region: Region
) -> None:
    for actor in non_admins(agency):
        with pytest.raises(PermissionDenied):
            user_create(actor=actor, username="baru", password=PASSWORD, role=Role.AUDITOR)
        with pytest.raises(PermissionDenied):
            agency_create(actor=actor, code="x-baru", name="X", kind="dinas", government=region)
        with pytest.raises(PermissionDenied):
            agency_update(actor=actor, agency=agency, name="Y", kind="dinas", government=region)
        with pytest.raises(PermissionDenied):
            user_update(actor=actor, user=admin, role=Role.AUDITOR, agency=None)
        with pytest.raises(PermissionDenied):
            user_active_set(actor=actor, user=admin, active=False)
        with pytest.raises(PermissionDenied):
            user_password_reset(actor=actor, user=admin, password=password_temporary())
    assert not User.objects.filter(username="baru").exists()
    assert not Agency.objects.filter(code="x-baru").exists()
    agency.refresh_from_db()
    admin.refresh_from_db()
    assert (agency.name, admin.role, admin.is_active) == ("Dinas Kesehatan", Role.ADMIN, True)


def test_an_inactive_admin_can_do_nothing(admin: User, region: Region) -> None:
    other = user_create(actor=admin, username="admin2", password=PASSWORD, role=Role.ADMIN)
    user_active_set(actor=other, user=admin, active=False)
    with pytest.raises(PermissionDenied):
        agency_create(actor=admin, code="x-baru", name="X", kind="dinas", government=region)


def test_admin_updates_an_account_with_an_audited_diff(admin: User, agency: Agency) -> None:
    user = user_create(actor=admin, username="ops", password=PASSWORD, role=Role.AUDITOR)
    user_update(actor=admin, user=user, role=Role.OPERATOR, agency=agency, full_name=" Sri ")
    user.refresh_from_db()
    assert (user.role, user.agency, user.first_name) == (Role.OPERATOR, agency, "Sri")
    event = AuditEvent.objects.get(action="accounts:user:update")
    assert event.actor == admin and event.target == "ops"
    assert event.data == {
        "role": ["auditor", "operator"],
        "agency": [None, "3522-dinkes"],
        "full_name": ["", "Sri"],
    }


def test_role_and_agency_must_match_on_update(admin: User, agency: Agency) -> None:
    user = user_create(actor=admin, username="ops", password=PASSWORD, role=Role.AUDITOR)
    with pytest.raises(ValidationError, match="must belong to an agency"):
        user_update(actor=admin, user=user, role=Role.OPERATOR, agency=None)
    user.refresh_from_db()
    assert user.role == Role.AUDITOR
    assert not AuditEvent.objects.filter(action="accounts:user:update").exists()


def test_an_admin_cannot_demote_or_deactivate_themselves(admin: User) -> None:
    with pytest.raises(ValidationError, match="own admin role"):
        user_update(actor=admin, user=admin, role=Role.AUDITOR, agency=None)
    with pytest.raises(ValidationError, match="own account"):
        user_active_set(actor=admin, user=admin, active=False)
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN and admin.is_active


def test_a_temporary_password_must_be_changed_and_is_never_audited(admin: User) -> None:
    first = password_temporary()
    assert re.fullmatch(r"([a-z2-9]{4}-){3}[a-z2-9]{4}", first) and first != password_temporary()
    user = user_create(
        actor=admin, username="baru", password=first, temporary=True, role=Role.AUDITOR
    )
    assert user.password_change_required and user.check_password(first)
    with pytest.raises(ValidationError, match="current password is wrong"):
        user_password_change(user=user, old_password="salah", new_password="x")
    with pytest.raises(ValidationError, match="must differ"):
        user_password_change(user=user, old_password=first, new_password=first)
    with pytest.raises(ValidationError) as weak:
        user_password_change(user=user, old_password=first, new_password="12345")
    assert weak.value.where == "new_password1"
    user.refresh_from_db()
    assert user.password_change_required
    user_password_change(user=user, old_password=first, new_password="sandi-milik-sri-2026")
    user.refresh_from_db()
    assert not user.password_change_required and user.check_password("sandi-milik-sri-2026")
    second = password_temporary()
    user_password_reset(actor=admin, user=user, password=second)
    user.refresh_from_db()
    assert user.password_change_required and user.check_password(second)
    audit = list(AuditEvent.objects.values_list("action", "data"))
    assert {"accounts:user:password_change", "accounts:user:password_reset"} <= {
        a for a, _ in audit
    }
    assert not any(p in str(audit) for p in (first, second, "sandi-milik-sri-2026"))


def test_agency_update_keeps_the_code_and_records_changes(admin: User, agency: Agency) -> None:
    government = agency.government
    agency_update(
        actor=admin,
        agency=agency,
        name="Dinas Kesehatan Daerah",
        kind="dinas",
        government=government,
    )
    agency.refresh_from_db()
    assert (agency.code, agency.name) == ("3522-dinkes", "Dinas Kesehatan Daerah")
    event = AuditEvent.objects.get(action="accounts:agency:update")
    assert event.data == {"name": ["Dinas Kesehatan", "Dinas Kesehatan Daerah"]}
    with pytest.raises(ValidationError, match="unknown agency kind"):
        agency_update(actor=admin, agency=agency, name="X", kind="kantor", government=government)


# --- the screens -------------------------------------------------------------------------------


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "url",
    ["/akun/pengguna/", "/akun/pengguna/baru/", "/akun/instansi/", "/akun/instansi/baru/"],
)
def test_non_admins_get_403_on_the_admin_screens(agency: Agency, url: str) -> None:
    for user in non_admins(agency):
        assert logged_in(user).get(url).status_code == 403
    assert Client().get(url).status_code == 302  # anonymous: to the login page


def test_admin_creates_an_operator_who_must_change_the_password_first(
    admin: User, agency: Agency
) -> None:
    client = logged_in(admin)
    form = {"username": "operator.dinkes", "full_name": "Sri", "email": "", "role": "operator"}
    refused = client.post("/akun/pengguna/baru/", {**form, "agency": ""})
    assert refused.status_code == 400
    assert "must belong to an agency" in refused.content.decode()
    shown = client.post("/akun/pengguna/baru/", {**form, "agency": agency.code})
    assert shown.status_code == 200 and shown["Cache-Control"] == "no-store"
    password = re.search(r'id="one-time-password">([^<]+)<', shown.content.decode())[1]  # type: ignore[index]
    user = User.objects.get(username="operator.dinkes")
    assert (user.role, user.agency, user.password_change_required) == ("operator", agency, True)
    event = AuditEvent.objects.get(action="accounts:user:create", target="operator.dinkes")
    assert event.actor == admin and password not in str(event.data)

    operator = Client()
    login = {"username": "operator.dinkes", "password": password}
    assert operator.post("/akun/masuk/", login)["Location"] == "/kelola/"
    sent = operator.get("/kelola/")
    assert sent.status_code == 302 and sent["Location"].startswith("/akun/sandi/?next=")
    assert operator.get("/").status_code == 200  # the public portal stays open
    change = {"old_password": password, "new_password1": "sandi-sri-dinkes-26"}
    differs = operator.post("/akun/sandi/", {**change, "new_password2": "lain-lagi-2026"})
    assert differs.status_code == 400
    change["new_password2"] = change["new_password1"]
    done = operator.post("/akun/sandi/?next=/kelola/", change)
    assert done["Location"] == "/kelola/"
    assert operator.get("/kelola/").status_code == 200  # still logged in, now free to work


def test_deactivation_asks_first_and_ends_the_session(admin: User, agency: Agency) -> None:
    target = non_admins(agency)[1]
    session = logged_in(target)
    assert session.get("/kelola/").status_code == 200
    client = logged_in(admin)
    url = f"/akun/pengguna/{target.pk}/nonaktifkan/"
    question = client.get(url)
    assert question.status_code == 200 and "Ya, nonaktifkan" in question.content.decode()
    target.refresh_from_db()
    assert target.is_active
    assert client.post(url)["Location"] == "/akun/pengguna/"
    target.refresh_from_db()
    assert not target.is_active
    assert session.get("/kelola/").status_code == 302  # logged out at the next request
    assert AuditEvent.objects.filter(action="accounts:user:deactivate").count() == 1
    own = client.post(f"/akun/pengguna/{admin.pk}/nonaktifkan/")
    assert own.status_code == 400 and "own account" in own.content.decode()
    client.post(f"/akun/pengguna/{target.pk}/aktifkan/")
    target.refresh_from_db()
    assert target.is_active


def test_admin_lists_accounts_paged_and_filtered(admin: User, agency: Agency) -> None:
    non_admins(agency)
    for n in range(55):
        User.objects.create_user(f"petugas{n:02d}", role=Role.AUDITOR)
    client = logged_in(admin)
    first = client.get("/akun/pengguna/").content.decode()
    assert ">61 pengguna<" in first and "Halaman 1 dari 2" in first
    operators = client.get("/akun/pengguna/", {"role": "operator"}).content.decode()
    assert ">1 pengguna<" in operators and "operator.x" in operators
    found = client.get("/akun/pengguna/", {"q": "petugas5", "page": "1"}).content.decode()
    assert ">5 pengguna<" in found


def test_admin_creates_and_edits_an_agency(admin: User, agency: Agency) -> None:
    client = logged_in(admin)
    form = {"code": "3522-dishub", "name": "Dinas Perhubungan", "kind": "dinas"}
    unknown = client.post("/akun/instansi/baru/", {**form, "government": "35.99"})
    assert unknown.status_code == 400 and 'id="id_government_error"' in unknown.content.decode()
    assert client.post("/akun/instansi/baru/", {**form, "government": "35.22"}).status_code == 302
    created = Agency.objects.get(code="3522-dishub")
    edit = {"name": "Dinas Perhubungan Daerah", "kind": "dinas", "government": "35.22"}
    assert client.post(f"/akun/instansi/{created.pk}/", edit).status_code == 302
    created.refresh_from_db()
    assert created.name == "Dinas Perhubungan Daerah"
    listed = client.get("/akun/instansi/", {"q": "perhubungan"}).content.decode()
    assert ">1 perangkat daerah<" in listed
    assert AuditEvent.objects.filter(target="3522-dishub").count() == 2


def test_django_admin_path_leads_to_the_audited_screens(admin: User) -> None:
    response = logged_in(admin).get("/admin/")
    assert response.status_code == 302 and response["Location"] == "/akun/pengguna/"
