"""Define the error family of the Terbuka core.

Every error carries a bilingual message (Bahasa Indonesia first, English second) and,
where it applies, the location of the problem (a JSON pointer, a line number, a path).
"""

from __future__ import annotations


class TerbukaError(Exception):
    """Report a problem in Terbuka's core, in Indonesian and English."""

    code = "error"

    def __init__(self, message_id: str, message_en: str | None = None, *, where: str = "") -> None:
        self.message_id = message_id
        self.message_en = message_en or message_id
        self.where = where
        super().__init__(self.message_en if not where else f"{where}: {self.message_en}")

    def as_dict(self) -> dict[str, str]:
        """Return the error as the API's error object fields."""
        return {
            "code": self.code,
            "message": self.message_id,
            "message_en": self.message_en,
            "field": self.where,
        }


class FormatError(TerbukaError):
    """Report bytes that do not parse as the format they claim to be."""

    code = "format"


class VerificationError(TerbukaError):
    """Report a signature, proof or consistency check that failed."""

    code = "verification"


class ValidationError(TerbukaError):
    """Report data that parses but breaks a schema or a business rule."""

    code = "validation"


class ConfigError(ValidationError):
    """Report a setting or configuration file that is missing or wrong; where names it."""

    code = "config"


class SecretFileError(TerbukaError):
    """Report a secret file that others may access (not 0600) or that cannot be read."""

    code = "secret_file"
