"""Deliver the outbox (`terbuka notify send`): claim due notices, send each, record how it went.

Claiming takes up to BATCH due notices in one short transaction and marks them sending with
a lease (next_attempt_at = now + LEASE): on PostgreSQL with SELECT … FOR UPDATE SKIP LOCKED,
so concurrent workers take disjoint rows; on SQLite the transaction is IMMEDIATE (settings),
so claims are serialised. Each notice is then sent outside any transaction (a slow mail
server holds no lock and no workflow waits for it) and its row updated only if the claim
is still ours. A worker killed mid-round leaves rows sending; they are due again when the
lease ends. A failed send is tried again after backoff_seconds · 2^(attempts−1) (capped at
BACKOFF_CAP); after max_attempts it is failed (admins see it at /akun/pemberitahuan/). A
notice sent or finally failed keeps no address. Errors are stored without the address or any
secret.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from terbuka_web.config.env import SettingError
from terbuka_web.notifications.gateways import Gateway, gateway_load
from terbuka_web.notifications.models import Notification
from terbuka_web.notifications.recipients import recipient_open

BATCH = 50
LEASE = dt.timedelta(minutes=10)
BACKOFF_CAP = dt.timedelta(hours=6)
Status = Notification.Status


@dataclass
class SendResult:
    """Count what one round did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return (
            f"terkirim/sent {self.sent}, dicoba lagi/retried {self.retried}, "
            f"gagal/failed {self.failed}"
        )


def delivery_check() -> Gateway:
    """Load the e-mail backend and the SMS gateway; return the gateway.

    Raises SettingError naming TERBUKA_EMAIL_BACKEND or the gateway's variable when either
    is configured wrongly (a class that does not import, a webhook without URL or token).
    """
    try:
        import_string(settings.EMAIL_BACKEND)
    except ImportError as exc:
        raise SettingError(
            "TERBUKA_EMAIL_BACKEND",
            f"kelas {settings.EMAIL_BACKEND!r} tidak dapat dimuat",
            f"class {settings.EMAIL_BACKEND!r} cannot be imported",
        ) from exc
    return gateway_load()


def backoff(attempts: int) -> dt.timedelta:
    """Return the wait before the next try after attempts failed tries."""
    seconds = float(settings.NOTIFY["BACKOFF_SECONDS"]) * 2 ** max(attempts - 1, 0)
    return min(dt.timedelta(seconds=seconds), BACKOFF_CAP)


def _claim(now: dt.datetime, batch: int) -> list[Notification]:
    """Take up to batch due notices (pending, or sending with a lapsed lease) for this worker."""
    with transaction.atomic():
        due = Notification.objects.filter(
            status__in=(Status.PENDING, Status.SENDING), next_attempt_at__lte=now
        ).order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        rows = list(due[:batch])
        Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
            status=Status.SENDING, attempts=F("attempts") + 1, next_attempt_at=now + LEASE
        )
    for row in rows:
        row.attempts += 1
    return rows


def _error_text(exc: BaseException, address: str) -> str:
    """Return exc as one line without the address or a configured secret."""
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    secrets = (
        address,
        str(settings.EMAIL_HOST_PASSWORD),
        str(settings.NOTIFY["SMS_WEBHOOK_TOKEN"]),
    )
    for secret in secrets:
        if secret:
            text = text.replace(secret, "…").replace(secret.lower(), "…")
    return text[:300]


def _deliver(row: Notification, address: str, gateway: Gateway) -> None:
    """Send row to address over its channel; raise whatever the backend raises."""
    if row.channel == Notification.Channel.EMAIL:
        if EmailMessage(row.subject, row.body, to=[address]).send() != 1:
            raise OSError("the e-mail backend sent nothing")
    else:
        gateway.send(channel=row.channel, to=address, body=row.body, key=f"terbuka-notice-{row.pk}")


def _finish(row: Notification, now: dt.datetime, error: str | None, *, final: bool) -> str:
    """Record the outcome of row's attempt (if the claim is still ours); return its status.

    A failure is final when asked, or after the last attempt allowed."""
    fields: dict[str, Any]
    if error is None:
        fields = {"status": Status.SENT, "sent_at": now, "recipient": b"", "last_error": ""}
    elif final or row.attempts >= int(settings.NOTIFY["MAX_ATTEMPTS"]):
        fields = {"status": Status.FAILED, "recipient": b"", "last_error": error}
    else:
        fields = {"status": Status.PENDING, "last_error": error}
        fields["next_attempt_at"] = now + backoff(row.attempts)
    ours = Notification.objects.filter(pk=row.pk, status=Status.SENDING, attempts=row.attempts)
    ours.update(**fields)
    return str(fields["status"])


def notifications_send(
    *, gateway: Gateway | None = None, now: dt.datetime | None = None, batch: int = BATCH
) -> SendResult:
    """Send the notices due by now, up to batch; return what happened to them.

    Never raises for a failed send (it is recorded on the row); raises SettingError when
    the gateway is not given and is configured wrongly.
    """
    gateway = gateway or gateway_load()
    result = SendResult()
    for row in _claim(now or timezone.now(), batch):
        address = recipient_open(row.recipient, channel=row.channel)
        error: str | None = None
        if not address:
            error = "alamat tidak dapat dibuka (SECRET_KEY berganti?) / address does not open"
        else:
            try:
                _deliver(row, address, gateway)
            except Exception as exc:  # any backend failure is the row's, never the worker's
                error = _error_text(exc, address)
        status = _finish(row, timezone.now(), error, final=not address)
        result.sent += status == Status.SENT
        result.retried += status == Status.PENDING
        result.failed += status == Status.FAILED
    return result
