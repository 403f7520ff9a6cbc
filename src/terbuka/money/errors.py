"""Define the errors of money movement, each bilingual (Bahasa Indonesia, English)."""

from __future__ import annotations

from terbuka.errors import ValidationError, VerificationError


class MoneyError(ValidationError):
    """Report a money request that breaks a ledger rule (unbalanced, negative, unknown account)."""

    code = "money"


class SignatureRefused(VerificationError):
    """Report a signed money message (intent, voucher, allowance) whose signature is not valid."""

    code = "signature_refused"
