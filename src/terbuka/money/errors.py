"""Define the errors of money movement, each bilingual (Bahasa Indonesia, English)."""

from __future__ import annotations

from terbuka.errors import FormatError, ValidationError, VerificationError


class MoneyError(ValidationError):
    """Report a money request that breaks a ledger rule (unbalanced, negative, unknown account)."""

    code = "money"


class SignatureRefused(VerificationError):
    """Report a signed money message (intent, voucher, allowance) whose signature is not valid."""

    code = "signature_refused"


class WalletFormatError(FormatError):
    """Report wallet bytes that do not parse: a did:key, an intent, an allowance, a QR payload."""

    code = "wallet_format"


class PaymentRefused(MoneyError):
    """Report a payment intent refused by a rule; reason names the rule (see REASONS in intent)."""

    code = "payment_refused"

    def __init__(
        self, reason: str, message_id: str, message_en: str | None = None, *, where: str = ""
    ) -> None:
        self.reason = reason
        super().__init__(message_id, message_en, where=where)

    def as_dict(self) -> dict[str, str]:
        """Return the error as the API's error object fields, the refusal reason included."""
        return {**super().as_dict(), "reason": self.reason}


class AmountRefused(MoneyError):
    """Report an amount that is not a whole number of Rupiah in range (a float, a bool, < 1)."""

    code = "amount_refused"


class PostingUnbalanced(MoneyError):
    """Report a posting whose debits and credits do not add up to the same sum."""

    code = "posting_unbalanced"


class BalanceNegative(MoneyError):
    """Report a posting that would take an account of a non-negative kind below zero."""

    code = "balance_negative"


class IdempotencyConflict(MoneyError):
    """Report a posting whose idempotency key is already used by a posting of other content."""

    code = "idempotency_conflict"
