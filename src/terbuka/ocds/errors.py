"""Define the errors of the OCDS core."""

from __future__ import annotations

from typing import TYPE_CHECKING

from terbuka.errors import FormatError, ValidationError

if TYPE_CHECKING:
    from terbuka.ocds.issues import Issue


class OcdsFormatError(FormatError):
    """Report bytes that are not JSON, with the line and column where parsing stopped."""

    code = "ocds_format"


class OcdsValidationError(ValidationError):
    """Report OCDS data that breaks the 1.1.5 schema or Terbuka's publication rules."""

    code = "ocds_validation"

    def __init__(self, message_id: str, message_en: str, *, where: str, issues: list[Issue]):
        super().__init__(message_id, message_en, where=where)
        self.issues = issues
