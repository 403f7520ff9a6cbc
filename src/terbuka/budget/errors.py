"""Define the errors of the budget package, each bilingual (Bahasa Indonesia, English)."""

from __future__ import annotations

from terbuka.errors import FormatError, ValidationError


class AmountError(FormatError):
    """Report a string that is not an Indonesian Rupiah amount."""

    code = "budget_amount"


class BudgetCodeError(FormatError):
    """Report a budget code (account, programme, fungsi, APBDes) of the wrong shape or level."""

    code = "budget_code"


class UnknownCode(ValidationError):
    """Report a well-formed code that names no known account, urusan, bidang or fungsi."""

    code = "budget_unknown_code"


class BudgetFileError(ValidationError):
    """Report a budget file whose rows break a rule; errors holds one error per row and field."""

    code = "budget_file"

    def __init__(self, errors: list[ValidationError | FormatError]) -> None:
        self.errors = errors
        first = errors[0]
        more_id = f" (dan {len(errors) - 1} kesalahan lain)" if len(errors) > 1 else ""
        more_en = f" (and {len(errors) - 1} more errors)" if len(errors) > 1 else ""
        super().__init__(
            f"{first.where}: {first.message_id}{more_id}",
            f"{first.where}: {first.message_en}{more_en}",
            where=first.where,
        )
