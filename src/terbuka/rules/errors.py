"""Define the errors of benefit rules, each bilingual (Bahasa Indonesia, English)."""

from __future__ import annotations

from terbuka.errors import ValidationError


class RuleError(ValidationError):
    """Report a rule that does not compile (where = "eligibility:2:7") or a bad rule set."""

    code = "rule"


class RuleEvaluationError(ValidationError):
    """Report an expression that failed for one registrant (where = "baris 12" / its row)."""

    code = "rule_evaluation"
