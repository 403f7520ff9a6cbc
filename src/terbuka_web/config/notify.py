"""Read the settings of notices from the environment: the e-mail backend and the SMS gateway.

Without a mail server (TERBUKA_EMAIL_HOST unset) e-mail goes to files in DATA_DIR/mail and,
unless TERBUKA_SMS_BACKEND names a gateway, SMS and WhatsApp to files in DATA_DIR/sms: the
demo and a development machine send nothing. `terbuka notify send --loop` says where at start.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from terbuka_web.config.env import SettingError, env_choice, env_flag, env_float, env_int
from terbuka_web.config.secrets import read_secret_file

EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
}
FILE_GATEWAY = "terbuka_web.notifications.gateways.FileGateway"


def _password() -> str:
    """Return TERBUKA_EMAIL_PASSWORD, or the content of TERBUKA_EMAIL_PASSWORD_FILE (0600)."""
    if value := os.environ.get("TERBUKA_EMAIL_PASSWORD", ""):
        return value
    if path := os.environ.get("TERBUKA_EMAIL_PASSWORD_FILE", ""):
        return read_secret_file(Path(path), where="TERBUKA_EMAIL_PASSWORD_FILE")
    return ""


def email_from_env(data_dir: Path) -> dict[str, Any]:
    """Return Django's EMAIL_* settings from the TERBUKA_EMAIL_* variables."""
    host = os.environ.get("TERBUKA_EMAIL_HOST", "").strip()
    backend = os.environ.get("TERBUKA_EMAIL_BACKEND", "").strip() or ("smtp" if host else "file")
    backend = EMAIL_BACKENDS.get(backend, backend)
    if "." not in backend:
        raise SettingError(
            "TERBUKA_EMAIL_BACKEND",
            f"harus smtp, file, console atau jalur kelas, bukan {backend!r}",
            f"must be smtp, file, console or a dotted class path, not {backend!r}",
        )
    use_tls, use_ssl = env_flag("TERBUKA_EMAIL_TLS"), env_flag("TERBUKA_EMAIL_SSL")
    if use_tls and use_ssl:
        raise SettingError(
            "TERBUKA_EMAIL_SSL",
            "tidak boleh bersama TERBUKA_EMAIL_TLS: pilih salah satu",
            "cannot be set with TERBUKA_EMAIL_TLS: choose one",
        )
    return {
        "EMAIL_BACKEND": backend,
        "EMAIL_HOST": host or "localhost",
        "EMAIL_PORT": env_int("TERBUKA_EMAIL_PORT", 465 if use_ssl else 25, minimum=1),
        "EMAIL_HOST_USER": os.environ.get("TERBUKA_EMAIL_USER", ""),
        "EMAIL_HOST_PASSWORD": _password(),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
        "EMAIL_TIMEOUT": env_float("TERBUKA_EMAIL_TIMEOUT", 10, minimum=1),
        "EMAIL_FILE_PATH": str(data_dir / "mail"),
        "DEFAULT_FROM_EMAIL": os.environ.get("TERBUKA_EMAIL_FROM", "")
        or "Terbuka <terbuka@localhost>",
    }


def notify_from_env(data_dir: Path, email_backend: str) -> dict[str, Any]:
    """Return settings.NOTIFY: the gateway, the retry policy and where notices go."""
    gateway = os.environ.get("TERBUKA_SMS_BACKEND", "").strip() or FILE_GATEWAY
    mail = f"{data_dir / 'mail'}" if email_backend == EMAIL_BACKENDS["file"] else email_backend
    sms = f"{data_dir / 'sms'}" if gateway == FILE_GATEWAY else gateway
    return {
        "SMS_BACKEND": gateway,
        "SMS_WEBHOOK_URL": os.environ.get("TERBUKA_SMS_WEBHOOK_URL", "").strip(),
        "SMS_WEBHOOK_TOKEN": os.environ.get("TERBUKA_SMS_WEBHOOK_TOKEN", "").strip(),
        "SMS_WEBHOOK_TOKEN_FILE": os.environ.get("TERBUKA_SMS_WEBHOOK_TOKEN_FILE", ""),
        "SMS_WEBHOOK_TIMEOUT": env_float("TERBUKA_SMS_WEBHOOK_TIMEOUT", 10, minimum=1),
        "PHONE_CHANNEL": env_choice("TERBUKA_NOTIFY_PHONE_CHANNEL", "sms", ("sms", "whatsapp")),
        "MAX_ATTEMPTS": env_int("TERBUKA_NOTIFY_MAX_ATTEMPTS", 8, minimum=1),
        "BACKOFF_SECONDS": env_float("TERBUKA_NOTIFY_BACKOFF_SECONDS", 60, minimum=0),
        "WHERE": f"surel/e-mail → {mail}; SMS/WhatsApp → {sms}",
    }
