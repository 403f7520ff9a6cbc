"""Format the C2SP tlog-witness add-checkpoint messages and decide a witness's answer.

Spec: C2SP tlog-witness (https://c2sp.org/tlog-witness) §"add-checkpoint". The request body
is `old <size>`, up to 63 base64 consistency proof hashes, an empty line, then the signed
checkpoint note:

    old 20852014
    PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=

    example.com/behind-the-sofa
    20852163
    CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=

    — example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=

A 200 response body is one or more cosignature lines; a 409 response body is the witness's
latest cosigned size (`20852014\\n`, Content-Type `text/x.tlog.size`). WitnessCore holds the
pure decision; the caller stores the new state atomically before it answers.
"""  # noqa: E501

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from terbuka.tlog import _text, hashing, tree
from terbuka.tlog.checkpoint import Checkpoint
from terbuka.tlog.cosignature import CosignatureSigner, signature_timestamp
from terbuka.tlog.errors import (
    MalformedError,
    NoVerifiableSignatureError,
    ProofError,
    SignatureError,
)
from terbuka.tlog.note import Signature, Verifier, open_note, parse_note

MAX_PROOF_LINES = 63
SIZE_CONTENT_TYPE = "text/x.tlog.size"
HASH_SIZE = 32


def add_checkpoint_url(prefix: str) -> str:
    """Return the add-checkpoint URL under a witness's submission prefix.

    Example: `https://witness.example.com/` → `https://witness.example.com/add-checkpoint`.
    """
    return prefix.rstrip("/") + "/add-checkpoint"


def _fail(message_id: str, message_en: str, where: str = "add-checkpoint") -> MalformedError:
    return MalformedError(message_id, message_en, where=where)


@dataclass(frozen=True)
class AddCheckpointRequest:
    """Hold an add-checkpoint request: old size, consistency proof, signed checkpoint note."""

    old_size: int
    proof: tuple[bytes, ...]
    checkpoint_note: bytes

    def format(self) -> bytes:
        """Return the request body. Example: `old 0\\n\\nexample.com/log\\n1\\n...`."""
        lines = [f"old {self.old_size}", *(_text.b64encode(h) for h in self.proof), ""]
        return "\n".join(lines).encode() + b"\n" + self.checkpoint_note

    @classmethod
    def parse(cls, body: bytes | str) -> AddCheckpointRequest:
        """Parse an add-checkpoint request body.

        Raises MalformedError for a missing or non-canonical `old` line, a proof line that
        is not base64 of 32 bytes, more than 63 proof lines, a missing empty line, or a
        checkpoint that is not a well-formed note. Spec: C2SP tlog-witness §"add-checkpoint".
        """
        text = _text.decode_utf8(body, "add-checkpoint")
        head, sep, note = text.partition("\n\n")
        if not sep:
            raise _fail("permintaan tanpa baris kosong", "request has no empty line")
        first, *proof_lines = head.split("\n")
        if not first.startswith("old "):
            raise _fail("baris pertama harus 'old <ukuran>'", "first line must be 'old <size>'")
        old_size = _text.parse_uint64(first[4:], "ukuran lama / old size", "add-checkpoint old")
        if len(proof_lines) > MAX_PROOF_LINES:
            raise _fail(
                f"lebih dari {MAX_PROOF_LINES} baris bukti",
                f"more than {MAX_PROOF_LINES} proof lines",
            )
        proof = tuple(_hash(line, i + 2) for i, line in enumerate(proof_lines))
        parse_note(note)
        return cls(old_size, proof, note.encode())


def _hash(line: str, number: int) -> bytes:
    digest = _text.b64decode(line, f"add-checkpoint line {number}")
    if len(digest) != HASH_SIZE:
        raise _fail(f"hash bukti harus {HASH_SIZE} byte", f"proof hash must be {HASH_SIZE} bytes")
    return digest


def format_cosignatures(signatures: Sequence[Signature]) -> bytes:
    """Return a 200 response body: one note signature line per cosignature."""
    return "".join(s.line() for s in signatures).encode()


def parse_cosignatures(body: bytes | str) -> tuple[Signature, ...]:
    """Parse a 200 response body into cosignatures (not verified).

    Raises MalformedError for an empty body, a line that is not a note signature line, or
    a cosignature that is not 72 bytes after its key ID or whose timestamp exceeds 2^63-1.
    Example line: `— witness.example/w2 AWui8Sk55XjY...dyP3wQ==`.
    """
    text = _text.decode_utf8(body, "add-checkpoint response")
    if not text.startswith("— "):
        raise _fail("respons kosong atau tidak sah", "empty or invalid response body")
    signatures = parse_note("x\n\n" + text).unverified
    for sig in signatures:
        signature_timestamp(sig.signature)
    return signatures


def format_size_body(size: int) -> bytes:
    """Return a 409 response body: the size in decimal and a newline (`text/x.tlog.size`)."""
    return f"{size}\n".encode()


def parse_size_body(body: bytes | str) -> int:
    """Parse a 409 response body such as `20852014\\n`. Raises MalformedError."""
    text = _text.decode_utf8(body, "text/x.tlog.size")
    if not text.endswith("\n"):
        raise _fail("ukuran harus diakhiri baris baru", "size must end with a newline")
    return _text.parse_uint64(text[:-1], "ukuran / size", "text/x.tlog.size")


@dataclass(frozen=True)
class WitnessDecision:
    """Hold a witness's answer: HTTP status, body, the state to persist and content type.

    new_size and new_root are set only when status is 200; the caller MUST persist them
    (atomically with the check of the old state) before sending the answer.
    """

    status: int
    body: bytes
    new_size: int | None = None
    new_root: bytes | None = None
    content_type: str = "text/plain; charset=utf-8"


def _answer(status: int, message_id: str, message_en: str) -> WitnessDecision:
    return WitnessDecision(status, f"{message_id}\n{message_en}\n".encode())


class WitnessCore:
    """Decide add-checkpoint requests for one witness key and its trusted logs."""

    def __init__(
        self, log_verifiers_by_origin: Mapping[str, Sequence[Verifier]], signer: CosignatureSigner
    ) -> None:
        self.logs = {origin: list(vs) for origin, vs in log_verifiers_by_origin.items()}
        self.signer = signer

    def origin_of(self, request: AddCheckpointRequest) -> str:
        """Return the checkpoint origin of a parsed request, to look up the stored state.

        Raises MalformedError when the note text is not a checkpoint.
        """
        return Checkpoint.parse(parse_note(request.checkpoint_note).text).origin

    def add_checkpoint(
        self,
        request: AddCheckpointRequest | bytes,
        last_size: int,
        last_root: bytes | None,
        *,
        now: int | None = None,
    ) -> WitnessDecision:
        """Check a request against the stored state (0/None if never cosigned) and answer.

        404: unknown origin; 403: no valid signature from a trusted log key; 400: malformed
        request or old size above the checkpoint size; 409: old size differs from the stored
        size or equals it with another root (a fork; both bodies: the stored size,
        `text/x.tlog.size`); 422:
        consistency proof does not verify. Never cosigns a fork. 200: body is the
        cosignature line at time now (Unix seconds; the current time when None). Raises
        ValueError when the caller gives last_size > 0 without last_root.
        Spec: C2SP tlog-witness §"add-checkpoint".
        """
        try:
            req = (
                request
                if isinstance(request, AddCheckpointRequest)
                else (AddCheckpointRequest.parse(request))
            )
            text = parse_note(req.checkpoint_note).text
            checkpoint = Checkpoint.parse(text)
        except MalformedError as exc:
            return _answer(400, exc.message_id, exc.message_en)
        verifiers = self.logs.get(checkpoint.origin)
        if not verifiers:
            return _answer(404, "origin log tidak dikenal", "unknown log origin")
        try:
            open_note(req.checkpoint_note, verifiers)
        except (NoVerifiableSignatureError, SignatureError) as exc:
            return _answer(403, exc.message_id, exc.message_en)
        if req.old_size > checkpoint.size:
            return _answer(
                400, "ukuran lama melebihi checkpoint", "old size exceeds checkpoint size"
            )
        if req.old_size != last_size:
            body = format_size_body(last_size)
            return WitnessDecision(409, body, content_type=SIZE_CONTENT_TYPE)
        problem = self._consistency(req, checkpoint, last_root)
        if problem is not None:
            return problem
        cosignature = self.signer.cosign(text, int(time.time()) if now is None else now)
        body = format_cosignatures([cosignature])
        return WitnessDecision(200, body, new_size=checkpoint.size, new_root=checkpoint.root)

    @staticmethod
    def _consistency(
        req: AddCheckpointRequest, checkpoint: Checkpoint, last_root: bytes | None
    ) -> WitnessDecision | None:
        if req.old_size == 0:
            if req.proof or (checkpoint.size == 0 and checkpoint.root != hashing.EMPTY_ROOT):
                return _answer(
                    422,
                    "dari ukuran 0 bukti harus kosong (dan pohon kosong berakar SHA-256(''))",
                    "from size 0 the proof must be empty (and an empty tree's root SHA-256(''))",
                )
            return None
        if last_root is None:
            raise ValueError("last_root is required when last_size > 0")
        if req.old_size == checkpoint.size:
            if checkpoint.root != last_root:  # a fork: answer like a size conflict
                body = format_size_body(req.old_size)
                return WitnessDecision(409, body, content_type=SIZE_CONTENT_TYPE)
            if req.proof:
                return _answer(
                    422,
                    "bukti harus kosong untuk ukuran sama",
                    "proof must be empty for the same size",
                )
            return None
        try:
            tree.check_consistency(
                list(req.proof), checkpoint.size, checkpoint.root, req.old_size, last_root
            )
        except ProofError as exc:
            return _answer(422, exc.message_id, exc.message_en)
        return None
