"""Deliver notices through real servers on loopback: an SMTP server and an HTTP gateway that
fails on purpose. A failed send is retried with backoff and sent once; one that keeps failing
ends failed after the last attempt, without its address; the workflow never waits for it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from terbuka_web.notifications.gateways import WebhookGateway
from terbuka_web.notifications.models import Notification
from terbuka_web.notifications.sending import backoff, notifications_send
from terbuka_web.notifications.services import notification_queue

from .servers import TOKEN, Gateway, gateway_server, smtp_server

pytestmark = pytest.mark.django_db

ADDRESS, PHONE = "siti.unik@example.org", "+6281234567890"


def queue(channel: str = "sms", address: str = PHONE) -> Notification:
    """Queue a reporter's notice of report LPR-UJI over channel."""
    return notification_queue(
        kind="participation.state", ref="lapor/LPR-UJI", audience="pelapor/reporter",
        channel=channel, address=address, language="id",
        fields=lambda language: {"tracking_id": "LPR-UJI", "state": "Diterima", "url": "u"},
    )  # fmt: skip


def notify(**changes: Any) -> dict[str, Any]:
    return {**settings.NOTIFY, "BACKOFF_SECONDS": 0, **changes}


@pytest.fixture
def gateway(request: pytest.FixtureRequest) -> Iterator[Gateway]:
    with gateway_server(getattr(request, "param", 0)) as server:
        webhook = notify(SMS_WEBHOOK_URL=server.url, SMS_WEBHOOK_TOKEN=TOKEN)
        with override_settings(NOTIFY=webhook):
            yield server


def test_an_email_goes_through_a_real_smtp_server(tmp_path: Path) -> None:
    notice = queue("email", ADDRESS)
    with smtp_server(tmp_path) as smtp:
        backend = "django.core.mail.backends.smtp.EmailBackend"
        with override_settings(EMAIL_BACKEND=backend, EMAIL_HOST="127.0.0.1", EMAIL_PORT=smtp.port):
            assert notifications_send().sent == 1
        text = smtp.wait_for("LPR-UJI")
    assert f"To: {ADDRESS}" in text and "Subject: Laporan LPR-UJI: Diterima" in text
    notice.refresh_from_db()
    assert notice.status == "sent" and notice.sent_at and bytes(notice.recipient) == b""


@pytest.mark.parametrize("gateway", [2], indirect=True)
def test_a_gateway_failing_twice_gets_the_notice_once(gateway: Gateway) -> None:
    notice = queue("whatsapp")
    rounds = [notifications_send(gateway=WebhookGateway()) for _ in range(4)]
    assert [(r.sent, r.retried) for r in rounds] == [(0, 1), (0, 1), (1, 0), (0, 0)]
    assert len(gateway.requests) == 3 and len(gateway.accepted) == 1
    key = f"terbuka-notice-{notice.pk}"
    assert {r["headers"]["Idempotency-Key"] for r in gateway.requests} == {key}
    assert gateway.accepted[0] == {
        "channel": "whatsapp", "to": PHONE, "id": key,
        "body": notice.body,
    }  # fmt: skip
    notice.refresh_from_db()
    assert (notice.status, notice.attempts, notice.last_error) == ("sent", 3, "")


@pytest.mark.parametrize("gateway", [-1], indirect=True)
def test_a_gateway_always_failing_ends_failed_without_address_or_secret(
    gateway: Gateway,
) -> None:
    notice = queue()
    with override_settings(NOTIFY={**settings.NOTIFY, "MAX_ATTEMPTS": 3}):
        rounds = [notifications_send(gateway=WebhookGateway()) for _ in range(5)]
    assert [(r.retried, r.failed) for r in rounds] == [(1, 0), (1, 0), (0, 1), (0, 0), (0, 0)]
    notice.refresh_from_db()
    assert (notice.status, notice.attempts) == ("failed", 3)
    assert notice.last_error == "GatewayError: gateway answered HTTP 500"
    assert bytes(notice.recipient) == b"" and len(gateway.requests) == 3


def test_an_unreachable_gateway_is_retried_after_backoff() -> None:
    notice = queue()
    closed = "http://127.0.0.1:9/kirim"  # discard port: nothing listens
    with override_settings(NOTIFY={**settings.NOTIFY, "SMS_WEBHOOK_URL": closed,
                                   "SMS_WEBHOOK_TOKEN": TOKEN, "BACKOFF_SECONDS": 60}):  # fmt: skip
        now = timezone.now()
        assert notifications_send(gateway=WebhookGateway(), now=now).retried == 1
        notice.refresh_from_db()
        assert notice.last_error.startswith("GatewayError: gateway unreachable")
        assert notice.next_attempt_at >= now + dt.timedelta(seconds=59)
        soon = now + dt.timedelta(seconds=30)
        assert notifications_send(gateway=WebhookGateway(), now=soon).retried == 0  # not due
        assert [backoff(n).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]
        assert backoff(30) == dt.timedelta(hours=6)


def test_a_notice_whose_address_no_longer_opens_fails_at_once(gateway: Gateway) -> None:
    notice = queue()
    with override_settings(SECRET_KEY="a-new-secret-key-" * 3):
        assert notifications_send(gateway=WebhookGateway()).failed == 1
    notice.refresh_from_db()
    assert notice.status == "failed" and "SECRET_KEY" in notice.last_error
    assert gateway.requests == []


def test_a_mail_server_that_is_down_is_retried_naming_the_cause() -> None:
    notice = queue("email", ADDRESS)
    backend = "django.core.mail.backends.smtp.EmailBackend"
    with override_settings(EMAIL_BACKEND=backend, EMAIL_HOST="127.0.0.1", EMAIL_PORT=9):
        assert notifications_send().retried == 1
    notice.refresh_from_db()
    assert notice.last_error.startswith("ConnectionRefusedError")
    assert ADDRESS not in notice.last_error
