"""Template filters of the log pages: the witnesses' stakeholder groups in plain words."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

# The stakeholder classes of the consortium (docs/witness.md); another group shows as written.
GROUP_LABELS = {
    "pemerintah": _("Pemerintah"),
    "auditor": _("Auditor"),
    "warga": _("Perwakilan warga"),
    "teknologi": _("Ahli teknologi"),
    "hukum": _("Ahli hukum"),
}


@register.filter
def witness_group(group: str) -> str:
    """Name a witness's stakeholder group for people: "warga" → "Perwakilan warga"."""
    return str(GROUP_LABELS.get(group, group))
