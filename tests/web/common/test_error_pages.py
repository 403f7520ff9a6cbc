"""Test the error pages: styled, Indonesian first and English on switch, saying what to do next,
with the right status; 500 renders without the database; the API keeps its JSON errors."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import path
from django.utils import translation
from django.views.defaults import server_error

from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.config.urls import urlpatterns as site_urlpatterns
from tests.web.factories import agency_create, draft_create


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("rusak/", _boom), *site_urlpatterns]  # this module is a URLconf too


def _client(language: str, **kwargs: object) -> Client:
    client = Client(**kwargs)  # type: ignore[arg-type]
    if language == "en":
        client.cookies["django_language"] = "en"
    return client


BOTH = pytest.mark.parametrize(
    ("language", "words"),
    [
        ("id", ("Halaman tidak ditemukan", "Cari proses pengadaan")),
        ("en", ("Page not found", "Search procurement processes")),
    ],
)


@pytest.mark.django_db
@BOTH
def test_404_says_what_to_do_next(language: str, words: tuple[str, str]) -> None:
    response = _client(language).get("/proses/ocds-tidak-ada/")
    html = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{language}">' in html and all(w in html for w in words)
    assert 'href="/unduh/"' in html and 'href="/log/"' in html and 'href="/"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("id", ("Akses ditolak", "Kembali ke daftar proses Anda")),
        ("en", ("Access denied", "Back to your list of processes")),
    ],
)
def test_403_for_an_operator_on_another_agencys_process(
    language: str, words: tuple[str, str]
) -> None:
    other: Agency = agency_create("dinas-kesehatan", "Dinas Kesehatan")
    process = draft_create(agency=agency_create())
    operator = User.objects.create_user("operator2", role=Role.OPERATOR, agency=other)
    client = _client(language)
    client.force_login(operator)
    response = client.get(f"/kelola/proses/{process.pk}/")
    html = response.content.decode()
    assert response.status_code == 403
    assert f'<html lang="{language}">' in html and all(w in html for w in words)
    assert 'href="/kelola/"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("id", ("Terlalu banyak percobaan masuk", "15 menit setelah percobaan terakhir")),
        ("en", ("Too many sign-in attempts", "15 minutes after the last attempt")),
    ],
)
def test_429_after_a_lockout_says_for_how_long(language: str, words: tuple[str, str]) -> None:
    User.objects.create_user("ppk1", password="kata-sandi-yang-panjang-2026", role=Role.PPK)
    client = _client(language)
    answers = [
        client.post("/akun/masuk/", {"username": "ppk1", "password": "salah"}) for _ in range(5)
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 429]
    again = client.post("/akun/masuk/", {"username": "ppk1", "password": "salah"})
    html = again.content.decode()
    assert again.status_code == 429 and again["Retry-After"] == "900"
    assert f'<html lang="{language}">' in html and all(w in html for w in words)
    assert "ppk1" not in html  # the page does not echo the user name


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("id", ("Terjadi kesalahan di server", "Coba lagi beberapa menit lagi")),
        ("en", ("Server error", "Try again in a few minutes")),
    ],
)
def test_500_renders_without_the_database(language: str, words: tuple[str, str], settings) -> None:
    settings.DEBUG = False  # no django_db mark: any query would raise
    response = _client(language, raise_request_exception=False).get("/rusak/")
    html = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{language}">' in html and all(w in html for w in words)
    assert 'href="/"' in html and 'href="/log/"' in html and "style=" not in html


def test_500_template_needs_no_request_nor_context() -> None:
    with translation.override("id"):  # Django's handler renders the template only
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Terjadi kesalahan di server" in response.content.decode()


@pytest.mark.django_db
def test_api_errors_keep_their_json_shape(client: Client) -> None:
    response = client.get("/api/tidak-ada")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    missing = client.get("/api/processes/ocds-tidak-ada")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("id", ("Formulir tidak dapat dikirim", "muat ulang")),
        ("en", ("The form could not be sent", "reload it")),
    ],
)
def test_a_form_without_its_csrf_token_gets_the_styled_403(
    language: str, words: tuple[str, str]
) -> None:
    response = _client(language, enforce_csrf_checks=True).post(
        "/akun/masuk/", {"username": "admin", "password": "x"}
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert f'<html lang="{language}">' in html and all(w in html for w in words)
    assert "CSRF" not in html
