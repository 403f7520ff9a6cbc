"""Template tags rendering form widgets with their help and error texts linked (WCAG 3.3.1)."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def widget(field: BoundField) -> SafeString:
    """Render field's widget with aria-describedby naming its help and error texts, and
    required when the field must be filled (not in a row that may stay blank)."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_help")
    attrs = {}
    if field.errors:
        ids.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    if field.field.required and not field.form.empty_permitted:  # a blank extra row is fine
        attrs["required"] = ""
    return field.as_widget(attrs=attrs)
