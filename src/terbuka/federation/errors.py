"""Define the errors of federation (harvesting another Terbuka instance)."""

from __future__ import annotations

from terbuka.errors import FormatError, VerificationError


class RemoteForkError(VerificationError):
    """Report a remote log that forked or rolled back against the checkpoint seen last."""

    code = "federation_fork"


class RemoteTrustError(VerificationError):
    """Report a remote checkpoint not signed by the pinned key or missing its witness quorum."""

    code = "federation_trust"


class RemoteFeedError(VerificationError):
    """Report a remote feed that is malformed or holds a record its log does not contain."""

    code = "federation_feed"


class HarvestInputError(FormatError):
    """Report a wrong harvest request: a bad URL, key or dataset kind."""

    code = "federation_input"


class RemoteKeyChangedError(RemoteTrustError):
    """Report a remote that rotated its log key or witness policy: re-pin it out of band."""

    code = "federation_key"
