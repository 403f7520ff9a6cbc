"""Word the notices: one subject and body per kind, rendered in the recipient's language.

The texts are gettext messages (Indonesian msgid, English in django.po) with %(name)s fields;
notice_render fills them under the recipient's language. A citizen's notice carries only the
tracking ID, the state and the address of the follow page: never the text of the report, the
agency's answer or anybody's identity.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("id", "en")
REPORTER_STATE = "participation.state"
OFFICER_FORWARDED = "participation.forwarded"
OFFICER_REMINDER = "participation.reminder"
OFFICER_ESCALATED = "participation.escalated"
CYCLE_DONE = "benefits.cycle_done"
CYCLE_REFUSED = "benefits.cycle_refused"

MESSAGES: dict[str, tuple[Promise, Promise]] = {
    REPORTER_STATE: (
        _("Laporan %(tracking_id)s: %(state)s"),
        _(
            "Status laporan Anda %(tracking_id)s kini: %(state)s.\n"
            "Ikuti perkembangannya dengan kode rahasia Anda di %(url)s"
        ),
    ),
    OFFICER_FORWARDED: (
        _("Laporan %(tracking_id)s didisposisikan ke %(agency)s"),
        _(
            "Laporan %(tracking_id)s didisposisikan ke %(agency)s; tindak lanjut paling lambat "
            "%(due_on)s.\nBuka: %(url)s"
        ),
    ),
    OFFICER_REMINDER: (
        _("Tenggat laporan %(tracking_id)s: %(due_on)s"),
        _("Laporan %(tracking_id)s jatuh tempo %(due_on)s (%(due)s).\nBuka: %(url)s"),
    ),
    OFFICER_ESCALATED: (
        _("Laporan %(tracking_id)s dieskalasi ke tingkat %(level)s"),
        _(
            "Laporan %(tracking_id)s melewati tenggat dan dieskalasi ke tingkat %(level)s; "
            "tenggat baru %(due_on)s.\nBuka: %(url)s"
        ),
    ),
    CYCLE_DONE: (
        _("Siklus %(cycle)s program %(programme)s selesai"),
        _(
            "Siklus %(cycle)s program %(programme)s selesai: Rp %(credited)s dikreditkan "
            "kepada %(count)s penerima.\nBuka: %(url)s"
        ),
    ),
    CYCLE_REFUSED: (
        _("Siklus baru program %(programme)s ditolak"),
        _("Siklus baru program %(programme)s tidak dapat dijalankan: %(reason)s\nBuka: %(url)s"),
    ),
}


@dataclass(frozen=True)
class Rendered:
    """Hold a notice's subject and body in one language."""

    language: str
    subject: str
    body: str


def site_url(path: str) -> str:
    """Return the absolute address of path on this instance (TERBUKA_BASE_URL)."""
    return str(settings.TERBUKA["BASE_URL"]).rstrip("/") + path


def notice_render(kind: str, language: str, fields: Callable[[str], dict[str, Any]]) -> Rendered:
    """Render notice kind in language (id when not one of LANGUAGES).

    fields(language) returns the values of the message's %(name)s fields; it runs under the
    language, so lazy labels (a state's name) come out translated.
    """
    language = language if language in LANGUAGES else "id"
    subject, body = MESSAGES[kind]
    with translation.override(language):
        values = {k: str(v) for k, v in fields(language).items()}
        return Rendered(language, (str(subject) % values)[:200], str(body) % values)
