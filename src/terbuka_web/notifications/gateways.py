"""Send SMS and WhatsApp notices through a gateway: TERBUKA_SMS_BACKEND names the class.

A gateway class takes no arguments (it reads settings.NOTIFY) and has
`send(*, channel, to, body, key) -> None`, raising GatewayError (or any OSError) when the
message was not accepted; key identifies the notice, so a gateway can drop a repeat.
Its constructor raises SettingError naming the variable when it is configured wrongly.

- WebhookGateway POSTs JSON to TERBUKA_SMS_WEBHOOK_URL with the secret token of
  TERBUKA_SMS_WEBHOOK_TOKEN[_FILE] as a bearer token; any 2xx answer is success:
      POST /kirim HTTP/1.1
      Authorization: Bearer <token>
      Idempotency-Key: terbuka-notice-42
      Content-Type: application/json
      {"body": "Status laporan Anda …", "channel": "whatsapp", "id": "terbuka-notice-42",
       "to": "+6281234567890"}
- FileGateway (the default, for development and the demo) writes each message as a JSON
  file (0600) into TERBUKA_DATA_DIR/sms.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from terbuka_web.config.env import SettingError, directory_make
from terbuka_web.config.secrets import read_secret_file


class GatewayError(Exception):
    """Report a message the gateway did not accept (the text names no recipient, no secret)."""


class Gateway(Protocol):
    """Deliver one SMS or WhatsApp message."""

    def send(self, *, channel: str, to: str, body: str, key: str) -> None: ...


def gateway_load() -> Gateway:
    """Return an instance of the TERBUKA_SMS_BACKEND class; raise SettingError naming it."""
    path = str(settings.NOTIFY["SMS_BACKEND"])
    try:
        gateway_class = import_string(path)
    except ImportError as exc:
        raise SettingError(
            "TERBUKA_SMS_BACKEND",
            f"kelas {path!r} tidak dapat dimuat",
            f"class {path!r} cannot be imported",
        ) from exc
    gateway: Gateway = gateway_class()
    return gateway


class WebhookGateway:
    """POST each message as JSON to a gateway's URL with a bearer token (module docstring)."""

    def __init__(self) -> None:
        conf = settings.NOTIFY
        self.url = str(conf["SMS_WEBHOOK_URL"])
        if not self.url.startswith(("https://", "http://")):
            raise SettingError(
                "TERBUKA_SMS_WEBHOOK_URL",
                "wajib berupa URL http(s) bila TERBUKA_SMS_BACKEND adalah WebhookGateway",
                "must be an http(s) URL when TERBUKA_SMS_BACKEND is WebhookGateway",
            )
        token = str(conf["SMS_WEBHOOK_TOKEN"])
        if not token and conf["SMS_WEBHOOK_TOKEN_FILE"]:
            path = Path(conf["SMS_WEBHOOK_TOKEN_FILE"])
            token = read_secret_file(path, where="TERBUKA_SMS_WEBHOOK_TOKEN_FILE")
        if not token:
            raise SettingError(
                "TERBUKA_SMS_WEBHOOK_TOKEN",
                "wajib diisi (atau TERBUKA_SMS_WEBHOOK_TOKEN_FILE) untuk WebhookGateway",
                "must be set (or TERBUKA_SMS_WEBHOOK_TOKEN_FILE) for WebhookGateway",
            )
        self.token, self.timeout = token, float(conf["SMS_WEBHOOK_TIMEOUT"])

    def send(self, *, channel: str, to: str, body: str, key: str) -> None:
        """POST the message; raise GatewayError unless the gateway answers 2xx."""
        data = json.dumps({"channel": channel, "to": to, "body": body, "id": key}, sort_keys=True)
        request = urllib.request.Request(
            self.url,
            data=data.encode(),
            method="POST",
            headers={
                "Authorization": f"Bearer {self.token}",
                "Idempotency-Key": key,
                "Content-Type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read(4096)
        except urllib.error.HTTPError as exc:
            raise GatewayError(f"gateway answered HTTP {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise GatewayError(f"gateway unreachable: {type(reason).__name__}") from None


class FileGateway:
    """Write each message as a JSON file into TERBUKA_DATA_DIR/sms (development, demo)."""

    def __init__(self) -> None:
        self.directory = Path(settings.DATA_DIR) / "sms"

    def send(self, *, channel: str, to: str, body: str, key: str) -> None:
        """Write {channel, to, body, id} to sms/KEY.json, readable by its owner only."""
        directory_make(self.directory, "TERBUKA_DATA_DIR")
        text = json.dumps({"channel": channel, "to": to, "body": body, "id": key})
        fd = os.open(self.directory / f"{key}.json", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
