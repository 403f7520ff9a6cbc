"""The outbox page: admins see every notice's delivery, never an address; others are refused."""

from __future__ import annotations

import pytest
from django.test import Client

from terbuka_web.accounts.models import Role, User
from terbuka_web.notifications.models import Notification
from terbuka_web.notifications.services import notification_queue

pytestmark = pytest.mark.django_db


def queued(n: int) -> Notification:
    return notification_queue(
        kind="participation.state", ref=f"lapor/LPR-{n}", audience="pelapor/reporter",
        channel="whatsapp", address=f"+62812555{n:04d}", language="id",
        fields=lambda language: {"tracking_id": f"LPR-{n}", "state": "Diterima", "url": "u"},
    )  # fmt: skip


def test_admins_see_the_delivery_of_each_notice_without_its_address(client: Client) -> None:
    queued(1)
    failed = queued(2)
    Notification.objects.filter(pk=failed.pk).update(
        status="failed", attempts=8, last_error="GatewayError: gateway answered HTTP 500"
    )
    client.force_login(User.objects.create_user("admin1", role=Role.ADMIN))
    page = client.get("/akun/pemberitahuan/").content.decode()
    assert "Laporan LPR-1: Diterima" in page and "Laporan LPR-2: Diterima" in page
    assert "Gagal (1)" in page and "Menunggu (1)" in page and "WhatsApp" in page
    assert "+62812555" not in page
    only_failed = client.get("/akun/pemberitahuan/?status=failed").content.decode()
    assert "LPR-2" in only_failed and "LPR-1:" not in only_failed
    assert "gateway answered HTTP 500" in only_failed


def test_others_may_not_see_the_outbox(client: Client) -> None:
    assert client.get("/akun/pemberitahuan/").status_code == 302  # to the login page
    client.force_login(User.objects.create_user("auditor1", role=Role.AUDITOR))
    assert client.get("/akun/pemberitahuan/").status_code == 403
