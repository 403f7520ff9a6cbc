"""Build real logs for tests: tiles, entry bundles and cosigned checkpoints in export layout,
and run witnesses as separate `terbuka witness serve` processes on loopback.

Only core functions are used (hashing, tiles, note, cosignature), exactly what the sequencer
and the witnesses do, so a verifier that accepts these accepts the real thing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from terbuka.canonical import canonical_json
from terbuka.tlog.checkpoint import Checkpoint
from terbuka.tlog.cosignature import CosignatureSigner
from terbuka.tlog.hashing import leaf_hash
from terbuka.tlog.note import Signer, sign_note
from terbuka.tlog.proof import Receipt
from terbuka.tlog.tiles import (
    TileHashReader,
    append_leaves,
    bundles_for_size,
    format_entry_bundle,
    tile_path,
)
from terbuka.tlog.tree import prove_consistency, prove_inclusion
from terbuka.tlog.verify_source import http_call

REPO = Path(__file__).resolve().parents[3]
ORIGIN = "terbuka.test/log"
# The well-known graphene test key pair (never funded on any chain).
TEST_WIF = "5KQwrPbwdL6PhXujxW37FSSQZ1JiwsST4cqQzDeyXtP79zkvFD3"
TEST_PUB = "STM6MRyAjQq8ud7hVNYcfnVPJqcVpscN5So8BhtHuGYqET5GDW5CV"
OTHER_PUB = "STM7xS31nva6QPsSdoPqmfrWMn7juxJERNKjmPPMetSvAcavCQZjV"
GROUPS = {"pemerintah": 2, "auditor": 1, "warga": 1}  # stakeholder group → members


def release_entry(i: int) -> bytes:
    """Return the canonical log entry of a small OCDS release number i."""
    release = {"ocid": f"ocds-tbk352-{i:04d}", "id": f"r{i}", "tag": ["tender"], "date": "2026"}
    return canonical_json({"kind": "ocds.release", "release": release})


@dataclass
class Consortium:
    """Hold a log key and witness keys grouped by stakeholder class."""

    log: Signer
    witnesses: dict[str, list[CosignatureSigner]] = field(default_factory=dict)

    @classmethod
    def generate(cls, groups: dict[str, int] = GROUPS) -> Consortium:
        """Return fresh keys: the log's and n witnesses per group."""
        witnesses = {
            group: [CosignatureSigner.generate(f"saksi-{group}-{i}.test") for i in range(n)]
            for group, n in groups.items()
        }
        return cls(Signer.generate(ORIGIN), witnesses)

    @property
    def all_witnesses(self) -> list[CosignatureSigner]:
        return [w for members in self.witnesses.values() for w in members]

    def policy(self, quorum_groups: int | None = None) -> str:
        """Return the tlog-policy text: majority per group, quorum over the groups."""
        lines = [f"log {self.log.vkey}"]
        lines += [f"witness {w.name} {w.vkey}" for w in self.all_witnesses]
        for group, members in self.witnesses.items():
            names = " ".join(w.name for w in members)
            lines.append(f"group {group} {len(members) // 2 + 1} {names}")
        k = len(self.witnesses) if quorum_groups is None else quorum_groups
        lines.append(f"group konsorsium {k} {' '.join(self.witnesses)}")
        lines.append("quorum konsorsium")
        return "\n".join(lines) + "\n"


def export_log(
    directory: Path,
    entries: Sequence[bytes],
    consortium: Consortium,
    cosigners: Sequence[CosignatureSigner] | None = None,
) -> bytes:
    """Write entries as a log in export layout under directory; return the checkpoint note.

    The checkpoint is signed by the log and cosigned by cosigners (default: every witness).
    """
    hashes = [leaf_hash(e) for e in entries]
    tiles, root = append_leaves(0, hashes, lambda ref: b"")
    for ref, data in tiles.items():
        write(directory / tile_path(ref), data)
    for ref in bundles_for_size(len(entries)):
        start = ref.index * 256
        write(directory / tile_path(ref), format_entry_bundle(entries[start : start + ref.width]))
    text = Checkpoint(consortium.log.name, len(entries), root).format()
    signers = consortium.all_witnesses if cosigners is None else cosigners
    note = sign_note(text, [consortium.log, *signers])
    write(directory / "checkpoint", note)
    return note


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


@dataclass
class WitnessProcess:
    """A `terbuka witness serve` child process and the URL it listens on."""

    process: subprocess.Popen[str]
    url: str
    signer: CosignatureSigner

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        assert self.process.stdout is not None
        self.process.stdout.close()


def start_witness(
    signer: CosignatureSigner, log_vkey: str | None, directory: Path, *extra: str
) -> WitnessProcess:
    """Start a witness process with its own 0600 key file and state file; wait until it listens.

    log_vkey is the trusted log (None: give `--policy FILE` in extra instead).
    """
    directory.mkdir(parents=True, exist_ok=True)
    key = directory / "witness.key"
    fd = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(signer.skey + "\n")
    command = [sys.executable, "-m", "terbuka.cli.main", "witness", "serve", "--port", "0"]
    command += ["--key", str(key), "--state", str(directory / "state.json")]
    command += [*(["--log", log_vkey] if log_vkey else []), *extra]
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("listening on "):
        process.kill()
        raise RuntimeError(f"witness did not start: {line!r}")
    return WitnessProcess(process, line.split()[-1], signer)


def consistency_proof(directory: Path, new_size: int, old_size: int) -> tuple[bytes, ...]:
    """Return the consistency proof old_size → new_size read from an exported log's tiles."""
    reader = TileHashReader(new_size, lambda ref: (directory / tile_path(ref)).read_bytes())
    return tuple(prove_consistency(new_size, old_size, reader))


def add_checkpoint(url: str, body: bytes) -> tuple[int, str, bytes]:
    """POST body to url/add-checkpoint; return (status, content type, body)."""
    answer = http_call(url + "/add-checkpoint", body)
    return answer.status, answer.content_type, answer.body


def receipt_for(directory: Path, index: int, note: bytes, size: int) -> bytes:
    """Return a tlog-proof receipt for entry index of the log exported in directory."""
    reader = TileHashReader(size, lambda ref: (directory / tile_path(ref)).read_bytes())
    return Receipt(None, index, tuple(prove_inclusion(size, index, reader)), note).format()
