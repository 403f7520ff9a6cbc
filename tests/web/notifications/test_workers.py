"""`terbuka notify send` as real processes: concurrent workers send every notice exactly once,
`terbuka serve` runs the sender beside its other workers (e-mail to a real SMTP server, a
retried WhatsApp message to a real gateway), and a configuration mistake is one line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.paths import REPO
from tests.web.processes import child_env, free_port, processes, sql, terbuka, terbuka_ok

from .servers import TOKEN, Gateway, gateway_server, smtp_server

QUEUE = """
from django.db import transaction
from terbuka_web.notifications.services import notification_queue
with transaction.atomic():
    for n in range({count}):
        notification_queue(
            kind="participation.state", ref=f"lapor/LPR-{{n}}", audience="pelapor/reporter",
            channel="sms", address=f"+62812000{{n:05d}}", language="id",
            fields=lambda language: {{"tracking_id": "X", "state": "Diterima", "url": "u"}},
        )
"""
FILE = """
from tests.web.participation.conftest import world_create, at, file
w = world_create()
mailed, _ = file(at(2026, 12, 1))
phone = {"contact_preference": "phone", "contact": "+6281234567890"}
phoned, _ = file(at(2026, 12, 1), ip="192.0.2.4", **phone)
print(mailed.tracking_id, phoned.tracking_id)
"""


def webhook_env(tmp_path: Path, gateway: Gateway, **extra: str) -> dict[str, str]:
    token = tmp_path / "gateway.token"
    token.write_text(TOKEN)
    token.chmod(0o600)
    return child_env(
        tmp_path, PYTHONPATH=f"{REPO / 'src'}:{REPO}",
        TERBUKA_SMS_BACKEND="terbuka_web.notifications.gateways.WebhookGateway",
        TERBUKA_SMS_WEBHOOK_URL=gateway.url, TERBUKA_SMS_WEBHOOK_TOKEN_FILE=str(token),
        TERBUKA_NOTIFY_BACKOFF_SECONDS="0", **extra,
    )  # fmt: skip


def wait(condition: object, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_send_each_notice_once(tmp_path: Path) -> None:
    count = 150
    with gateway_server() as gateway:
        env = webhook_env(tmp_path, gateway)
        terbuka_ok(env, "manage", "migrate", "-v0")
        terbuka_ok(env, "manage", "shell", "-v0", "-c", QUEUE.format(count=count))
        command = [sys.executable, "-m", "terbuka.cli.main", "notify", "send", "--loop",
                   "--interval", "0.1"]  # fmt: skip
        workers = [subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL) for _ in range(3)]  # fmt: skip
        try:
            wait(lambda: len(gateway.accepted) >= count)
            time.sleep(1)  # a second send would come now
        finally:
            for worker in workers:
                worker.send_signal(signal.SIGTERM)
            for worker in workers:
                worker.wait(timeout=30)
        ids = [body["id"] for body in gateway.accepted]
        assert len(ids) == len(set(ids)) == count
        assert {body["to"] for body in gateway.accepted} == {
            f"+62812000{n:05d}" for n in range(count)
        }
        rows = sql(env["DATABASE_URL"], "SELECT status, attempts FROM notifications_notification")
        assert set(rows) == {("sent", 1)} and len(rows) == count


@pytest.mark.django_db(transaction=True)
def test_serve_runs_the_sender_through_smtp_and_a_retrying_gateway(tmp_path: Path) -> None:
    with smtp_server(tmp_path) as smtp, gateway_server(failures=1) as gateway:
        env = webhook_env(
            tmp_path, gateway, TERBUKA_EMAIL_HOST="127.0.0.1", TERBUKA_EMAIL_PORT=str(smtp.port)
        )
        terbuka_ok(env, "manage", "migrate", "-v0")
        mailed, phoned = terbuka_ok(env, "manage", "shell", "-v0", "-c", FILE).split()
        log = (tmp_path / "serve.log").open("w")
        server = subprocess.Popen(
            [sys.executable, "-m", "terbuka.cli.main", "serve", f"127.0.0.1:{free_port()}",
             "--no-bulk", "--no-participation"],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:  # serve migrates first: on a busy machine that takes a while
            text = smtp.wait_for(mailed, timeout=240)
            assert "To: siti.unik@example.org" in text and phoned not in text
            wait(lambda: len(gateway.accepted) == 1)
            running = " ".join(" ".join(args) for args in processes(tmp_path).values())
            assert "notify send --loop" in running
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
            log.close()
    assert (
        "notify: surel/e-mail → django.core.mail.backends.smtp.EmailBackend"
        in (tmp_path / "serve.log").read_text()
    )
    assert [r["body"]["to"] for r in gateway.requests] == ["+6281234567890"] * 2
    assert phoned in gateway.accepted[0]["body"]
    assert not any("notify" in " ".join(args) for args in processes(tmp_path).values())


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"TERBUKA_SMS_BACKEND": "terbuka_web.nope.Gateway"}, "TERBUKA_SMS_BACKEND"),
        ({"TERBUKA_SMS_BACKEND": "terbuka_web.notifications.gateways.WebhookGateway"},
         "TERBUKA_SMS_WEBHOOK_URL"),
        ({"TERBUKA_SMS_BACKEND": "terbuka_web.notifications.gateways.WebhookGateway",
          "TERBUKA_SMS_WEBHOOK_URL": "https://gerbang.example/kirim"},
         "TERBUKA_SMS_WEBHOOK_TOKEN"),
        ({"TERBUKA_EMAIL_BACKEND": "surat"}, "TERBUKA_EMAIL_BACKEND"),
        ({"TERBUKA_EMAIL_BACKEND": "terbuka_web.nope.Mail"}, "TERBUKA_EMAIL_BACKEND"),
        ({"TERBUKA_EMAIL_TLS": "1", "TERBUKA_EMAIL_SSL": "1"}, "TERBUKA_EMAIL_SSL"),
        ({"TERBUKA_NOTIFY_MAX_ATTEMPTS": "0"}, "TERBUKA_NOTIFY_MAX_ATTEMPTS"),
        ({"TERBUKA_NOTIFY_PHONE_CHANNEL": "pager"}, "TERBUKA_NOTIFY_PHONE_CHANNEL"),
    ],
)  # fmt: skip
def test_a_configuration_mistake_is_one_line(
    tmp_path: Path, variables: dict[str, str], named: str
) -> None:
    done = terbuka(child_env(tmp_path, **variables), "notify", "send")
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and named in done.stderr, done.stderr


def test_serve_refuses_a_gateway_that_does_not_load_before_migrating(tmp_path: Path) -> None:
    env = child_env(tmp_path, TERBUKA_SMS_BACKEND="terbuka_web.nope.Gateway")
    done = terbuka(env, "serve", f"127.0.0.1:{free_port()}")
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert "TERBUKA_SMS_BACKEND: kelas 'terbuka_web.nope.Gateway' tidak dapat dimuat" in done.stderr
    assert not (tmp_path / "terbuka.sqlite3").exists()


def test_a_token_file_others_may_read_is_refused(tmp_path: Path) -> None:
    token = tmp_path / "gateway.token"
    token.write_text(TOKEN)
    os.chmod(token, 0o644)
    env = child_env(
        tmp_path, TERBUKA_SMS_BACKEND="terbuka_web.notifications.gateways.WebhookGateway",
        TERBUKA_SMS_WEBHOOK_URL="https://gerbang.example/kirim",
        TERBUKA_SMS_WEBHOOK_TOKEN_FILE=str(token),
    )  # fmt: skip
    done = terbuka(env, "notify", "send")
    assert done.returncode == 2 and "TERBUKA_SMS_WEBHOOK_TOKEN_FILE" in done.stderr
    assert TOKEN not in done.stderr
