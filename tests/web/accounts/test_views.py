"""Login and logout at /akun/: Argon2 hashes, axes lockout after 5 failures, CSRF, POST logout."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from terbuka_web.accounts.models import Role

PASSWORD = "kata-sandi-yang-panjang-2026"


@pytest.fixture
def official(db: Any) -> Any:
    return get_user_model().objects.create_user("ppk1", password=PASSWORD, role=Role.PPK)


def test_passwords_are_hashed_with_argon2(official: Any) -> None:
    assert official.password.startswith("argon2$argon2id$")
    assert official.check_password(PASSWORD)


def test_login_page_renders_labelled_fields() -> None:
    response = Client().get("/akun/masuk/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'for="id_username">' in page and 'for="id_password">' in page
    assert 'name="csrfmiddlewaretoken"' in page


@pytest.mark.django_db
def test_login_then_dashboard_then_logout(official: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    token = client.get("/akun/masuk/").context["csrf_token"]
    response = client.post(
        "/akun/masuk/",
        {"username": "ppk1", "password": PASSWORD, "csrfmiddlewaretoken": str(token)},
    )
    assert response.status_code == 302
    assert response["Location"] == "/kelola/"
    assert client.get("/kelola/").status_code == 200
    assert client.get("/akun/keluar/").status_code == 405  # logout is POST only
    token = client.get("/kelola/").context["csrf_token"]
    response = client.post("/akun/keluar/", {"csrfmiddlewaretoken": str(token)})
    assert response.status_code == 302
    assert client.get("/kelola/").status_code == 302


def test_login_without_csrf_token_is_refused(official: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/akun/masuk/", {"username": "ppk1", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_account_even_for_the_right_password(official: Any) -> None:
    client = Client()
    for _ in range(4):
        response = client.post("/akun/masuk/", {"username": "ppk1", "password": "salah"})
        assert response.status_code == 200
    locked = client.post("/akun/masuk/", {"username": "ppk1", "password": "salah"})
    assert locked.status_code in {403, 429}
    again = client.post("/akun/masuk/", {"username": "ppk1", "password": PASSWORD})
    assert again.status_code in {403, 429}
    assert "_auth_user_id" not in client.session
    other_ip = Client(REMOTE_ADDR="10.0.0.9")
    ok = other_ip.post("/akun/masuk/", {"username": "ppk1", "password": PASSWORD})
    assert ok.status_code == 302  # the lock is per username + IP
