"""Login throttling behind the reverse proxy: keyed on the client address the trusted proxies saw.

Behind a proxy every request arrives from the proxy's address; keyed on REMOTE_ADDR, five
wrong passwords from anywhere locked the official out for everyone.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory
from pytest_django.fixtures import Settings

from terbuka_web.accounts.models import Role
from terbuka_web.common.client_ip import client_ip, trusted_proxies_parse

PASSWORD = "kata-sandi-yang-panjang-2026"
PROXY = "10.0.0.2"


@pytest.fixture
def behind_proxy(settings: Settings) -> None:
    settings.TRUSTED_PROXIES = trusted_proxies_parse(f"{PROXY}, 192.168.7.0/24")


def via_proxy(forwarded_for: str) -> Client:
    """Return a client whose requests reach Terbuka through the proxy, for forwarded_for."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        (PROXY, "203.0.113.5", "203.0.113.5"),  # one trusted proxy
        (PROXY, "203.0.113.5, 192.168.7.4", "203.0.113.5"),  # two trusted hops
        (PROXY, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # the client's own XFF is skipped
        (PROXY, "203.0.113.5, not-an-ip", PROXY),  # garbage a hop wrote: the proxy
        (PROXY, "", PROXY),
        ("198.51.100.7", "203.0.113.5", "198.51.100.7"),  # untrusted source: XFF ignored
        ("2001:db8::1", "203.0.113.5", "2001:db8::1"),
    ],
)
def test_client_ip_reads_forwarded_for_from_trusted_proxies_only(
    behind_proxy: None, remote: str, forwarded: str, expected: str
) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_without_trusted_proxies_forwarded_for_is_ignored() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_ip(request) == PROXY


def test_a_bad_trusted_proxy_names_itself() -> None:
    with pytest.raises(ImproperlyConfigured, match=r"'10\.0\.0\.300' bukan alamat IP"):
        trusted_proxies_parse("10.0.0.1, 10.0.0.300")


@pytest.mark.django_db
def test_a_third_party_behind_the_proxy_cannot_lock_an_official_out(behind_proxy: None) -> None:
    get_user_model().objects.create_user("ppk1", password=PASSWORD, role=Role.PPK)
    attacker = via_proxy("203.0.113.66")
    for _ in range(6):
        attacker.post("/akun/masuk/", {"username": "ppk1", "password": "salah"})
    locked = attacker.post("/akun/masuk/", {"username": "ppk1", "password": PASSWORD})
    assert locked.status_code in {403, 429}  # the attacker's address is locked
    spoofing = via_proxy("198.51.100.20, 203.0.113.66")  # a forged XFF entry does not help
    assert spoofing.post(
        "/akun/masuk/", {"username": "ppk1", "password": PASSWORD}
    ).status_code in {
        403,
        429,
    }
    official = via_proxy("198.51.100.20")
    response = official.post("/akun/masuk/", {"username": "ppk1", "password": PASSWORD})
    assert response.status_code == 302  # the official, elsewhere, still gets in
    assert "_auth_user_id" in official.session


@pytest.mark.django_db
def test_forwarded_for_from_an_untrusted_source_cannot_dodge_the_lock(settings: Any) -> None:
    get_user_model().objects.create_user("ppk1", password=PASSWORD, role=Role.PPK)
    for n in range(6):  # a new forged address each time: ignored, REMOTE_ADDR counts
        Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").post(
            "/akun/masuk/", {"username": "ppk1", "password": "salah"}
        )
    again = Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert again.post("/akun/masuk/", {"username": "ppk1", "password": PASSWORD}).status_code in {
        403,
        429,
    }
