"""Define the errors of the publication scope, each bilingual (Bahasa Indonesia, English)."""

from __future__ import annotations

from terbuka.errors import ValidationError


class ScopeError(ValidationError):
    """Report a scope policy that breaks its format; where is the JSON pointer of the fault."""

    code = "scope"
