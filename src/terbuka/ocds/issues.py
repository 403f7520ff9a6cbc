"""Define Issue, one problem found in OCDS data."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Issue:
    """Describe one problem: where (JSON pointer), what (id, en), code and severity."""

    pointer: str
    message_id: str
    message_en: str
    code: str
    severity: str = "error"

    def as_dict(self) -> dict[str, str]:
        """Return the issue as a JSON-ready dict."""
        return asdict(self)
