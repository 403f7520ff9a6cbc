"""Define the errors of the transparency-log core."""

from __future__ import annotations

from terbuka.errors import FormatError, TerbukaError, VerificationError


class MalformedError(FormatError):
    """Report bytes that are not a well-formed note, checkpoint, tile, proof or policy."""

    code = "tlog_malformed"


class ProofError(VerificationError):
    """Report an inclusion or consistency proof that does not check out."""

    code = "tlog_proof"


class SignatureError(VerificationError):
    """Report a note or cosignature without a valid signature from a trusted key."""

    code = "tlog_signature"


class NoVerifiableSignatureError(SignatureError):
    """Report a note that no trusted key signed; `note` holds its text and unknown signatures."""

    code = "tlog_unverified"

    def __init__(self, note: object) -> None:
        super().__init__(
            "catatan tidak punya tanda tangan yang dapat diverifikasi dari kunci tepercaya",
            "note has no verifiable signature from a trusted key",
            where="note",
        )
        self.note = note


class MismatchError(VerificationError):
    """Report two statements about the log that disagree (an anchor, a remembered checkpoint)."""

    code = "tlog_mismatch"


class UnavailableError(TerbukaError):
    """Report a log, tile or file that cannot be fetched (network down, missing, incomplete)."""

    code = "tlog_unavailable"
