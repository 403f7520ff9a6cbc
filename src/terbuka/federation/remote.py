"""Verify a remote Terbuka's log before harvesting it: pinned key, witnesses, consistency.

The harvesting instance pins the remote's tlog-policy (its log key and its witnesses) at the
first harvest, or is given the log key with `--key`, and remembers the last checkpoint it
accepted (size, root). Every later harvest must see a checkpoint signed by that key, cosigned
as the pinned policy demands, and consistent with the remembered tree (RFC 6962 consistency
proof over the remote's tiles). A smaller tree (rollback), another root at the same size or a
tree that does not contain the old one (fork) raises RemoteForkError.
Specs: C2SP tlog-checkpoint, tlog-policy, tlog-tiles; RFC 9162 §2.1.4.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from terbuka.errors import FormatError, TerbukaError
from terbuka.federation.errors import HarvestInputError, RemoteForkError, RemoteTrustError
from terbuka.tlog.checkpoint import Checkpoint
from terbuka.tlog.errors import MismatchError, ProofError, SignatureError
from terbuka.tlog.note import Verifier
from terbuka.tlog.origin_state import OriginState
from terbuka.tlog.policy import Policy
from terbuka.tlog.verify import Report, check_checkpoint, check_consistency_with_state
from terbuka.tlog.verify_source import HttpAnswer, HttpSource, LogSource

LOG_PATH = "log/"
POLICY_PATH = "log/saksi/kebijakan.txt"


@dataclass(frozen=True)
class Seen:
    """Hold the last checkpoint accepted from a remote: its size and root (None: never)."""

    size: int = 0
    root: bytes | None = None


@dataclass(frozen=True)
class Verified:
    """Hold a verified remote checkpoint, its note bytes and the witnesses that cosigned it."""

    checkpoint: Checkpoint
    note: bytes
    cosigners: tuple[str, ...]


class _MemoryState(OriginState):
    """Remember one origin's tree in memory only (the database keeps it for good)."""

    def put(self, origin: str, size: int, root: bytes) -> None:
        """Record (size, root) for origin without writing a file."""
        self._origins = {**self._origins, origin: (size, root)}


def base_url_check(url: str) -> str:
    """Return the instance's base URL ending in "/"; raise HarvestInputError unless http(s).

    Example: "http://127.0.0.1:8000" → "http://127.0.0.1:8000/".
    """
    if (
        not url.startswith(("http://", "https://"))
        or len(url) > 500
        or any(c in url for c in " \n")
    ):
        raise HarvestInputError(
            f"alamat {url[:100]!r} harus URL http:// atau https:// sebuah instansi Terbuka",
            f"address {url[:100]!r} must be the http:// or https:// URL of a Terbuka instance",
            where="URL",
        )
    return url if url.endswith("/") else url + "/"


def log_source(base_url: str, fetch: Callable[[str], HttpAnswer]) -> HttpSource:
    """Return the remote's log (C2SP tlog-tiles under BASE/log/) read through fetch."""
    return HttpSource(base_url + LOG_PATH, fetch)


def policy_pin(policy_text: bytes, key: str | None) -> tuple[str, str, str]:
    """Check the remote's policy file and return (policy text, log vkey, origin) to pin.

    key, when given (`--key`), is the log's verifier key learnt out of band: the policy's
    `log` line must name exactly it. Raises HarvestInputError for a key that does not parse,
    RemoteTrustError when the policy does not parse or names another log key.
    Example policy: "log demo.terbuka.example/log+1a2b3c4d+AbC...\\nquorum none\\n".
    """
    if key is not None:
        try:
            Verifier.from_vkey(key.strip())
        except TerbukaError as exc:
            raise HarvestInputError(
                f"--key bukan kunci verifikasi log: {exc.message_id}",
                f"--key is not a log verifier key: {exc.message_en}",
                where="--key",
            ) from exc
    try:
        text = policy_text.decode("utf-8")
        policy = Policy.parse(text)
    except (UnicodeDecodeError, FormatError) as exc:
        raise RemoteTrustError(
            f"kebijakan saksi instansi jauh tidak sah: {exc}",
            f"the remote's witness policy is malformed: {exc}",
            where=POLICY_PATH,
        ) from exc
    logs = policy.log_verifiers
    vkey = logs[0].vkey if len(logs) == 1 else ""
    if not vkey or (key is not None and vkey != key.strip()):
        raise RemoteTrustError(
            "kebijakan instansi jauh tidak menyebut kunci log yang dipercaya (--key)",
            "the remote's policy does not name the trusted log key (--key)",
            where=POLICY_PATH,
        )
    return text, vkey, logs[0].name


def checkpoint_verify(note: bytes, source: LogSource, policy_text: str, seen: Seen) -> Verified:
    """Verify a remote checkpoint note against the pinned policy and the tree seen last.

    Raises RemoteTrustError when the pinned log key did not sign it or the witness quorum is
    not met, RemoteForkError when it rolls back or forks the remembered tree, UnavailableError
    when tiles cannot be fetched.
    """
    policy = Policy.parse(policy_text)
    report = Report()
    try:
        checkpoint = check_checkpoint(note, policy, report)
    except SignatureError as exc:
        raise RemoteTrustError(
            f"checkpoint instansi jauh tidak sah: {exc.message_id}",
            f"the remote's checkpoint is not trusted: {exc.message_en}",
            where="checkpoint",
        ) from exc
    state = _MemoryState(Path(), {})
    if seen.root is not None:
        state.put(checkpoint.origin, seen.size, seen.root)
    try:
        check_consistency_with_state(checkpoint, source, state, report)
    except (MismatchError, ProofError) as exc:
        raise RemoteForkError(
            f"LOG INSTANSI JAUH BERCABANG ATAU MUNDUR: {exc.message_id}",
            f"REMOTE LOG FORKED OR ROLLED BACK: {exc.message_en}",
            where="checkpoint",
        ) from exc
    return Verified(checkpoint, note, report.cosigners)
