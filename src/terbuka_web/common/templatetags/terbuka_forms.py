"""Template tags rendering form widgets with their help and error texts linked (WCAG 3.3.1)."""

from __future__ import annotations

from django import template
from django.forms import BoundField, FileInput, Select, Textarea
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def widget(field: BoundField) -> SafeString:
    """Render field's widget with aria-describedby naming its help and error texts, and the
    USWDS class of its kind (usa-input, usa-select, usa-textarea, tb-file)."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_help")
    attrs = {"class": widget_class(field)}
    if field.errors:
        ids.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
        attrs["class"] += " usa-input--error"
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    if field.field.required:
        attrs["required"] = ""
    return field.as_widget(attrs=attrs)


def widget_class(field: BoundField) -> str:
    """Return the USWDS class for field's widget (docs/design.md, Forms)."""
    widget = field.field.widget
    if isinstance(widget, Select):
        return "usa-select"
    if isinstance(widget, Textarea):
        return "usa-textarea"
    if isinstance(widget, FileInput):
        return "tb-file"
    return "usa-input"
