"""Parse, format and evaluate C2SP tlog policies: trusted logs, witnesses and the quorum.

Spec: C2SP tlog-policy (https://c2sp.org/tlog-policy). Lines are `log <vkey> [<url>]`,
`witness <name> <vkey> [<url>]`, `group <name> <k|any|all> <member>...` and
`quorum <name|none>`; blank lines and `#` comment lines are ignored:

    log log.terbuka.example/jabar+35f5cc66+ATGbQhMNJUe1UWznIJotIDXBiCbmVerceLSOhJJwaDjL
    witness W1 saksi1.example+2f4dc7b4+BBri1t5riJl7qqlOWIiDCKDu2+Gb7i/+exTBPXCRSiKM
    witness W2 saksi2.example+67c8b24f+BLunYqClBFJGlB2zRYNR6lhezOir+eHZVCADS/g1B9h/
    group both all W1 W2
    quorum both

Log keys are Ed25519 note keys (0x01); witness keys are cosignature/v1 keys (0x04, or 0x01
converted). Duplicate keys (same public key), duplicate or undefined names, forward
references and thresholds outside 1..n are rejected. Like transparency-dev/formats, a token
starting with `#` also begins a trailing comment.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from terbuka.tlog import _text
from terbuka.tlog.checkpoint import Checkpoint
from terbuka.tlog.cosignature import CosignatureVerifier
from terbuka.tlog.errors import MalformedError, SignatureError
from terbuka.tlog.note import Note, Verifier, open_note

NONE = "none"
KEYWORDS = frozenset({NONE, "any", "all"})
_V = TypeVar("_V", bound=Verifier)
MAX_ITEMS = 256
"""Most logs, witnesses or groups one policy may define (the spec asks for at least 32)."""


@dataclass(frozen=True)
class Witness:
    """Hold one witness: its policy name, cosignature verifier and optional URL."""

    name: str
    verifier: CosignatureVerifier
    url: str | None = None


@dataclass(frozen=True)
class Group:
    """Hold one group: satisfied when at least `threshold` of its members are."""

    name: str
    threshold: int
    members: tuple[str, ...]
    spelling: str = ""
    """How the threshold was written: "any", "all" or the number."""


@dataclass(frozen=True)
class Log:
    """Hold one trusted log: its note verifier and optional URL."""

    verifier: Verifier
    url: str | None = None


@dataclass(frozen=True)
class Policy:
    """Hold a parsed policy. `quorum` is a witness or group name, or "none"."""

    logs: tuple[Log, ...] = ()
    witnesses: tuple[Witness, ...] = ()
    groups: tuple[Group, ...] = ()
    quorum: str = NONE

    @property
    def log_verifiers(self) -> list[Verifier]:
        """Return the verifiers of the trusted logs."""
        return [log.verifier for log in self.logs]

    @property
    def witness_verifiers(self) -> list[CosignatureVerifier]:
        """Return the cosignature verifiers of the known witnesses."""
        return [w.verifier for w in self.witnesses]

    def satisfied(self, cosigner_names: Iterable[str]) -> bool:
        """Report whether the witnesses named (policy names) that cosigned meet the quorum."""
        cosigned = set(cosigner_names)
        groups = {g.name: g for g in self.groups}
        memo: dict[str, bool] = {}

        def holds(name: str) -> bool:
            if name == NONE:
                return True
            if name not in memo:
                group = groups.get(name)
                memo[name] = (
                    name in cosigned
                    if group is None
                    else sum(holds(m) for m in group.members) >= group.threshold
                )
            return memo[name]

        return holds(self.quorum)

    def verify_checkpoint(self, msg: bytes | str) -> tuple[Note, Checkpoint]:
        """Open a checkpoint note signed by a policy log and cosigned to the quorum.

        The log signature must come from a key whose name is the checkpoint origin.
        Raises MalformedError for a malformed note or checkpoint; SignatureError (or its
        NoVerifiableSignatureError) for an invalid, missing or unknown log signature or an
        unmet quorum. Spec: C2SP tlog-policy §"What is a policy?".
        """
        verifiers = [*self.log_verifiers, *self.witness_verifiers]
        note = open_note(msg, verifiers)
        checkpoint = Checkpoint.parse(note.text)
        logs = {(v.name, v.key_id) for v in self.log_verifiers if v.name == checkpoint.origin}
        if not any((s.name, s.key_id) in logs for s in note.signatures):
            raise SignatureError(
                f"checkpoint {checkpoint.origin!r} tidak ditandatangani log tepercaya",
                f"checkpoint {checkpoint.origin!r} is not signed by a trusted log",
                where="checkpoint",
            )
        signed = {(s.name, s.key_id) for s in note.signatures}
        cosigners = {
            w.name for w in self.witnesses if (w.verifier.name, w.verifier.key_id) in signed
        }
        if not self.satisfied(cosigners):
            raise SignatureError(
                f"kuorum saksi {self.quorum!r} tidak terpenuhi (kosignatur: {sorted(cosigners)})",
                f"witness quorum {self.quorum!r} not met (cosigned by {sorted(cosigners)})",
                where="checkpoint",
            )
        return note, checkpoint

    def format(self) -> str:
        """Return the policy text, one definition per line, ending in a newline.

        Example: `log L+...\\nwitness W1 w1+...\\ngroup g any W1\\nquorum g\\n`.
        """
        lines = [_join("log", log.verifier.vkey, log.url) for log in self.logs]
        lines += [_join("witness", w.name, w.verifier.vkey, w.url) for w in self.witnesses]
        lines += [_join("group", g.name, g.spelling, *g.members) for g in self.groups]
        lines.append(f"quorum {self.quorum}")
        return "".join(line + "\n" for line in lines)

    @classmethod
    def parse(cls, text: str | bytes) -> Policy:
        """Parse a policy file.

        Raises MalformedError with the line number for an unknown keyword, a wrong number of
        items, an invalid or duplicate vkey, a duplicate, reserved or undefined name, a bad
        threshold, a member listed twice, control characters, or not exactly one quorum line.
        Spec: C2SP tlog-policy §"Policy file syntax and structure".
        """
        body = _text.decode_utf8(text, "policy")
        builder = _Builder()
        for number, raw in enumerate(body.split("\n"), start=1):
            builder.line(raw, number)
        return builder.finish()


def _join(*items: str | None) -> str:
    return " ".join(item for item in items if item)


def _fail(number: int, message_id: str, message_en: str) -> MalformedError:
    return MalformedError(message_id, message_en, where=f"policy line {number}")


class _Builder:
    """Accumulate policy lines, checking each against what came before."""

    def __init__(self) -> None:
        self.logs: list[Log] = []
        self.witnesses: list[Witness] = []
        self.groups: dict[str, Group] = {}
        self.names: set[str] = set()
        self.keys: set[bytes] = set()
        self.quorum: str | None = None

    def line(self, raw: str, number: int) -> None:
        if any(c != "\t" and (ord(c) < 0x20 or c == "\x7f") for c in raw):
            raise _fail(number, "karakter kontrol tidak diizinkan", "control character")
        items = raw.replace("\t", " ").split()
        comment = next((i for i, item in enumerate(items) if item.startswith("#")), None)
        items = items[:comment]
        if not items:
            return
        if items[0] == "quorum" and self.quorum is not None:
            raise _fail(number, "baris quorum kedua", "a second quorum line")
        handlers = {"log": self.log, "witness": self.witness, "group": self.group}
        handler = handlers.get(items[0], self.quorum_line if items[0] == "quorum" else None)
        if handler is None:
            raise _fail(
                number, f"kata kunci tidak dikenal {items[0]!r}", f"unknown keyword {items[0]!r}"
            )
        handler(items[1:], number)

    def _key(self, verifier: Verifier, number: int) -> None:
        if verifier.public_key in self.keys:
            raise _fail(number, "kunci publik duplikat", "duplicate public key")
        self.keys.add(verifier.public_key)
        if len(self.keys) > MAX_ITEMS:
            raise _fail(number, "terlalu banyak kunci", "too many keys")

    def _vkey(self, kind: type[_V], vkey: str, number: int) -> _V:
        try:
            return kind.from_vkey(vkey)
        except MalformedError as exc:
            raise _fail(number, exc.message_id, exc.message_en) from exc

    def _name(self, name: str, number: int) -> None:
        if name in KEYWORDS or name in self.names or name.startswith("#"):
            raise _fail(
                number,
                f"nama {name!r} sudah dipakai atau dicadangkan",
                f"name {name!r} is already defined or reserved",
            )
        self.names.add(name)

    def log(self, args: Sequence[str], number: int) -> None:
        if len(args) not in (1, 2):
            raise _fail(number, "format: log <vkey> [<url>]", "expected: log <vkey> [<url>]")
        verifier = self._vkey(Verifier, args[0], number)
        self._key(verifier, number)
        self.logs.append(Log(verifier, args[1] if len(args) == 2 else None))

    def witness(self, args: Sequence[str], number: int) -> None:
        if len(args) not in (2, 3):
            raise _fail(
                number,
                "format: witness <nama> <vkey> [<url>]",
                "expected: witness <name> <vkey> [<url>]",
            )
        verifier = self._vkey(CosignatureVerifier, args[1], number)
        self._name(args[0], number)
        self._key(verifier, number)
        url = args[2] if len(args) == 3 else None
        self.witnesses.append(Witness(args[0], verifier, url))

    def group(self, args: Sequence[str], number: int) -> None:
        if len(args) < 3:
            raise _fail(
                number,
                "format: group <nama> <k|any|all> <anggota>...",
                "expected: group <name> <k|any|all> <member>...",
            )
        name, spelling, members = args[0], args[1], tuple(args[2:])
        for member in members:
            if member not in self.names:
                raise _fail(
                    number,
                    f"anggota {member!r} belum didefinisikan",
                    f"member {member!r} is not defined on a preceding line",
                )
        if len(set(members)) != len(members):
            raise _fail(number, "anggota tercantum dua kali", "a member is listed twice")
        threshold = _threshold(spelling, len(members), number)
        self._name(name, number)
        if len(self.groups) >= MAX_ITEMS:
            raise _fail(number, "terlalu banyak grup", "too many groups")
        self.groups[name] = Group(name, threshold, members, spelling)

    def quorum_line(self, args: Sequence[str], number: int) -> None:
        if len(args) != 1:
            raise _fail(number, "format: quorum <nama|none>", "expected: quorum <name|none>")
        if args[0] != NONE and args[0] not in self.names:
            raise _fail(
                number,
                f"quorum {args[0]!r} belum didefinisikan",
                f"quorum {args[0]!r} is not defined on a preceding line",
            )
        self.quorum = args[0]

    def finish(self) -> Policy:
        if self.quorum is None:
            raise MalformedError(
                "kebijakan harus punya tepat satu baris quorum",
                "policy must have exactly one quorum line",
                where="policy",
            )
        groups = tuple(self.groups.values())
        return Policy(tuple(self.logs), tuple(self.witnesses), groups, self.quorum)


def _threshold(spelling: str, members: int, number: int) -> int:
    if spelling == "any":
        return 1
    if spelling == "all":
        return members
    if spelling.isascii() and spelling.isdigit() and spelling == str(int(spelling)):
        k = int(spelling)
        if 1 <= k <= members:
            return k
    raise _fail(
        number,
        f"ambang {spelling!r} harus any, all atau 1..{members}",
        f"invalid threshold {spelling!r}: must be any, all or 1..{members}",
    )
