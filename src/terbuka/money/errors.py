"""Define the errors of money movement, each bilingual (Bahasa Indonesia, English)."""

from __future__ import annotations

from terbuka.errors import ValidationError, VerificationError


class MoneyError(ValidationError):
    """Report a money request that breaks a ledger rule (unbalanced, negative, unknown account)."""

    code = "money"


class SignatureRefused(VerificationError):
    """Report a signed money message (intent, voucher, allowance) whose signature is not valid."""

    code = "signature_refused"


# Wallet errors (issue 12), appended after the ledger's family.
from terbuka.errors import FormatError  # noqa: E402


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
