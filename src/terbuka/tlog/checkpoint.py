"""Format and parse C2SP tlog checkpoints: the signed body that commits to a log's tree.

Spec: C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint). The body is the origin line,
the tree size in decimal, the base64 root hash, then optional extension lines, each line
ending in a newline:

    example.com/behind-the-sofa
    20852163
    CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=

It is the text of a signed note (see terbuka.tlog.note).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from terbuka.tlog import _text
from terbuka.tlog.errors import MalformedError, SignatureError
from terbuka.tlog.note import Note, Verifier, open_note

HASH_SIZE = 32


def _fail(message_id: str, message_en: str) -> MalformedError:
    return MalformedError(message_id, message_en, where="checkpoint")


@dataclass(frozen=True)
class Checkpoint:
    """Hold a checkpoint: origin, tree size, 32-byte root hash and extension lines."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_origin(self.origin)
        if not 0 <= self.size <= _text.MAX_UINT64:
            raise _fail("ukuran pohon di luar 0..2^64-1", "tree size is outside 0..2^64-1")
        if len(self.root) != HASH_SIZE:
            raise _fail(
                f"hash akar harus {HASH_SIZE} byte, bukan {len(self.root)}",
                f"root hash must be {HASH_SIZE} bytes, not {len(self.root)}",
            )
        for line in self.extensions:
            _check_extension(line)

    def format(self) -> str:
        """Return the checkpoint body, every line ending in a newline.

        Example: `example.com/behind-the-sofa\\n20852163\\nCsUYapGG...q2I=\\n`.
        """
        lines = [self.origin, str(self.size), _text.b64encode(self.root), *self.extensions]
        return "".join(line + "\n" for line in lines)

    @classmethod
    def parse(cls, text: str | bytes) -> Checkpoint:
        """Parse a checkpoint body (a note's text, signatures already removed).

        Raises MalformedError when the text does not end in a newline, has fewer than three
        lines, an empty origin, a size that is not a canonical decimal uint64, a root that is
        not canonical base64 of 32 bytes, an empty extension line or control characters.
        Spec: C2SP tlog-checkpoint §"Note text".
        """
        body = _text.decode_utf8(text, "checkpoint")
        _text.check_no_controls(body, "checkpoint")
        if not body.endswith("\n"):
            raise _fail(
                "checkpoint harus diakhiri baris baru", "checkpoint must end with a newline"
            )
        lines = body[:-1].split("\n")
        if len(lines) < 3:
            raise _fail(
                "checkpoint butuh minimal 3 baris: origin, ukuran, hash akar",
                "checkpoint needs at least 3 lines: origin, size, root hash",
            )
        origin, size_text, root_text, *extensions = lines
        size = _text.parse_uint64(size_text, "ukuran pohon / tree size", "checkpoint line 2")
        root = _text.b64decode(root_text, "checkpoint line 3")
        return cls(origin, size, root, tuple(extensions))


def _check_origin(origin: str) -> None:
    if not origin or origin != origin.strip() or "\n" in origin:
        raise _fail(
            "origin checkpoint kosong atau berisi spasi di tepi",
            "checkpoint origin is empty or has surrounding whitespace",
        )
    _text.check_no_controls(origin, "checkpoint origin")


def _check_extension(line: str) -> None:
    if not line or "\n" in line:
        raise _fail(
            "baris ekstensi checkpoint tidak boleh kosong",
            "checkpoint extension lines must be non-empty single lines",
        )
    _text.check_no_controls(line, "checkpoint extension")


def log_id(origin: str) -> str:
    """Return a log's ID: lowercase hex SHA-256("o:" || origin), as transparency-dev does.

    Example: `go.sum database tree` → `a32d0717...c4062591`.
    """
    return hashlib.sha256(b"o:" + origin.encode()).hexdigest()


def open_checkpoint(
    msg: bytes | str, origin: str, log: Verifier, others: Sequence[Verifier] = ()
) -> tuple[Note, Checkpoint]:
    """Open a checkpoint note that the log signed, for the expected origin.

    Signatures by `others` (witnesses) are verified too and returned in the note; unknown
    ones are kept unverified. Raises MalformedError for a malformed note or checkpoint,
    SignatureError when the log did not sign it, a known signature is invalid, or the
    origin differs. Spec: C2SP tlog-checkpoint §"Note text".
    """
    note = open_note(msg, [log, *others])
    if not any((s.name, s.key_id) == (log.name, log.key_id) for s in note.signatures):
        raise SignatureError(
            f"checkpoint tidak ditandatangani log {log.name}",
            f"checkpoint is not signed by the log {log.name}",
            where="checkpoint",
        )
    checkpoint = Checkpoint.parse(note.text)
    if checkpoint.origin != origin:
        raise SignatureError(
            f"origin checkpoint {checkpoint.origin!r} bukan {origin!r}",
            f"checkpoint origin {checkpoint.origin!r} is not the expected {origin!r}",
            where="checkpoint",
        )
    return note, checkpoint
