"""Give a translatable text in both languages at once, for the bilingual messages of
services and commands (Indonesian first, English second; see terbuka.errors)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import translation


def in_both(make: Callable[[], object]) -> tuple[str, str]:
    """Return str(make()) with Bahasa Indonesia active, then with English active.

    make builds the text (e.g. a lazy label, or a function of several); it runs once per
    language. Example: in_both(lambda: Role.PPK.label) → ("KPA/PPK", "KPA/PPK").
    """
    with translation.override("id"):
        text_id = str(make())
    with translation.override("en"):
        return text_id, str(make())
