"""Define the errors of the beneficiary registry, each bilingual (Bahasa Indonesia, English)."""

from __future__ import annotations

from dataclasses import dataclass

from terbuka.errors import ValidationError, VerificationError


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Hold one problem of one row and field: row 2 is the first data row of a file."""

    row: int
    field: str
    message_id: str
    message_en: str

    def line(self) -> str:
        """Return "baris 3, nik: … / row 3, nik: …" for a command's output."""
        return (
            f"baris {self.row}, {self.field}: {self.message_id} / "
            f"row {self.row}, {self.field}: {self.message_en}"
        )


class RegistryImportError(ValidationError):
    """Report a registry file refused whole, with every row problem in problems."""

    code = "registry_import"

    def __init__(self, problems: list[RowProblem], *, total: int | None = None) -> None:
        self.problems = problems
        count = total if total is not None else len(problems)
        super().__init__(
            f"berkas ditolak seluruhnya: {count} masalah; tidak ada yang disimpan",
            f"the file is refused whole: {count} problems; nothing was saved",
            where=f"baris {problems[0].row}" if problems else "",
        )


class SealError(VerificationError):
    """Report sealed data that does not open with the registry key (wrong key or altered)."""

    code = "seal"
