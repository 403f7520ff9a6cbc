"""Format, parse and check C2SP tlog-proof receipts: offline proofs that an entry is logged.

Spec: C2SP tlog-proof (https://c2sp.org/tlog-proof). A receipt is the header line, optional
`extra <base64>` (opaque, unauthenticated), `index <n>`, the RFC 6962 inclusion proof (one
base64 hash per line), an empty line and the signed, cosigned checkpoint:

    c2sp.org/tlog-proof@v1
    index 1
    Q7B3WjkcM7UEDtqmCT7yj77QDt6/mpgopTR/WWlDqVw=
    6e3emN+szAsAxsp5Z64slhckj7KGEdpfRH1ndTuG4bU=

    log.terbuka.example/jabar
    3
    TXczGmSGrdG4jKXOE5KvkRoLpvs2K08//FbMgqBlowE=

    — log.terbuka.example/jabar NfXMZuT47WJKG9MXYvaJyrFtKThRmpaX1lzbc+TWvM136J5g3x8eQuAeMxpPs9DWRWXs8ByzQiucHdsEmcS+cRU23A0=

This receipt proves entry `kontrak 1` (index 1 of 3) under the log key
`log.terbuka.example/jabar+35f5cc66+ATGbQhMNJUe1UWznIJotIDXBiCbmVerceLSOhJJwaDjL`.
"""  # noqa: E501

from __future__ import annotations

from dataclasses import dataclass

from terbuka.tlog import _text, hashing, tree
from terbuka.tlog.checkpoint import Checkpoint
from terbuka.tlog.errors import MalformedError, SignatureError
from terbuka.tlog.note import parse_note
from terbuka.tlog.policy import Policy

HEADER = "c2sp.org/tlog-proof@v1"
MAX_PROOF_LINES = 63
HASH_SIZE = 32


def _fail(message_id: str, message_en: str, line: int | None = None) -> MalformedError:
    where = "tlog-proof" if line is None else f"tlog-proof line {line}"
    return MalformedError(message_id, message_en, where=where)


@dataclass(frozen=True)
class Receipt:
    """Hold a tlog-proof: extra data (or None), entry index, inclusion proof, checkpoint note."""

    extra: bytes | None
    index: int
    proof: tuple[bytes, ...]
    checkpoint_note: bytes

    def format(self) -> bytes:
        """Return the receipt text. Example: `c2sp.org/tlog-proof@v1\\nindex 0\\n\\n<note>`."""
        lines = [HEADER]
        if self.extra is not None:
            lines.append(f"extra {_text.b64encode(self.extra)}")
        lines.append(f"index {self.index}")
        lines += [_text.b64encode(h) for h in self.proof]
        return ("\n".join(lines) + "\n\n").encode() + self.checkpoint_note

    @classmethod
    def parse(cls, data: bytes | str) -> Receipt:
        """Parse a receipt, checking that its checkpoint is a well-formed signed note.

        Raises MalformedError for a wrong header, bad extra base64, a missing or
        non-canonical index, a proof hash that is not base64 of 32 bytes, more than 63 proof
        lines, a missing empty line, or a malformed checkpoint note. Signatures are not
        verified: use check_receipt. Spec: C2SP tlog-proof §"Format".
        """
        text = _text.decode_utf8(data, "tlog-proof")
        head, sep, note = text.partition("\n\n")
        if not sep:
            raise _fail("bukti tanpa baris kosong", "proof has no empty line")
        lines = head.split("\n")
        if lines[0] != HEADER:
            raise _fail(f"baris pertama harus {HEADER}", f"first line must be {HEADER}", 1)
        number, extra = 2, None
        if len(lines) > 1 and lines[1].startswith("extra "):
            extra = _text.b64decode(lines[1][6:], "tlog-proof line 2")
            number = 3
        if len(lines) < number or not lines[number - 1].startswith("index "):
            raise _fail("baris index wajib ada", "missing required index line", number)
        index = _text.parse_uint64(lines[number - 1][6:], "index", f"tlog-proof line {number}")
        proof_lines = lines[number:]
        if len(proof_lines) > MAX_PROOF_LINES:
            raise _fail(f"lebih dari {MAX_PROOF_LINES} hash", f"more than {MAX_PROOF_LINES} hashes")
        proof = tuple(_hash(line, number + 1 + i) for i, line in enumerate(proof_lines))
        Checkpoint.parse(parse_note(note).text)
        return cls(extra, index, proof, note.encode())


def _hash(line: str, number: int) -> bytes:
    digest = _text.b64decode(line, f"tlog-proof line {number}")
    if len(digest) != HASH_SIZE:
        raise _fail(
            f"panjang hash harus {HASH_SIZE} byte, bukan {len(digest)}",
            f"hash length must be {HASH_SIZE} bytes, not {len(digest)}",
            number,
        )
    return digest


def check_receipt(
    receipt: Receipt, entry_bytes: bytes, policy: Policy, *, origin: str | None = None
) -> Checkpoint:
    """Check that entry_bytes is logged at receipt.index under a checkpoint the policy trusts.

    Verifies the log signature and witness quorum (Policy.verify_checkpoint), the origin
    when given, then the RFC 6962 inclusion proof of leaf_hash(entry_bytes). Returns the
    checkpoint. Raises MalformedError for a malformed note or checkpoint, SignatureError for
    signatures, quorum or origin, ProofError for the inclusion proof. Extra data is ignored.
    Spec: C2SP tlog-proof.
    """
    _, checkpoint = policy.verify_checkpoint(receipt.checkpoint_note)
    if origin is not None and checkpoint.origin != origin:
        raise SignatureError(
            f"origin checkpoint {checkpoint.origin!r} bukan {origin!r}",
            f"checkpoint origin {checkpoint.origin!r} is not {origin!r}",
            where="tlog-proof",
        )
    tree.check_inclusion(
        list(receipt.proof),
        checkpoint.size,
        checkpoint.root,
        receipt.index,
        hashing.leaf_hash(entry_bytes),
    )
    return checkpoint
