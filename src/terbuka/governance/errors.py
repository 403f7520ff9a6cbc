"""Define the errors of consortium governance, each bilingual (Bahasa Indonesia, English)."""

from __future__ import annotations

from terbuka.errors import ValidationError, VerificationError


class GovernanceError(ValidationError):
    """Report a governance request that breaks a rule (wrong state, unknown member, deadline)."""

    code = "governance"


class VoteRefused(VerificationError):
    """Report a vote that is not counted: bad signature, replay, unknown or recused member."""

    code = "vote_refused"


class QuorumNotMet(GovernanceError):
    """Report a decision asked for while its quorum rule is not met."""

    code = "quorum_not_met"
