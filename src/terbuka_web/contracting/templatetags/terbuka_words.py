"""Template filters that put codes, timestamps and sizes into words: `label`, `when`, `size`.

{{ d.document_type|label:"documentType" }} → "Pengumuman"; {{ r.tags|label:"releaseTag" }} →
"Pemilihan Penyedia, Adendum kontrak"; {{ "2026-03-01T10:00:00+00:00"|when }} → "1 Maret 2026
17.00" (Asia/Jakarta); {{ 20971520|size }} → "20 MB". The lists are in contracting.labels.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template
from django.utils import timezone, translation
from django.utils.formats import date_format

from terbuka.human import size_words
from terbuka_web.contracting.labels import code_label

register = template.Library()


@register.filter
def label(code: Any, kind: str) -> str:
    """Return the label of code (or of each code of a list) in the list kind; see code_label."""
    return code_label(code, kind)


@register.filter
def when(value: date | datetime | str | None) -> str:
    """Return a moment as "1 Maret 2026 17.00" in Asia/Jakarta (a date as "1 Maret 2026"),
    in the active language; an ISO string is parsed first, other text is returned as it is."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return date_format(value, "j F Y")
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, "j F Y H.i")


@register.filter
def size(value: int | None) -> str:
    """Return a byte count as "900 bita", "1,5 KB" or "20 MB" (English: "1.5 KB")."""
    if value is None:
        return ""
    size_id, size_en = size_words(int(value))
    return size_en if translation.get_language() == "en" else size_id
