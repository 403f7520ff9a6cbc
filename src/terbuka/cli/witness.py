"""Register `terbuka witness serve`: run a consortium member's witness (no Django, no database).

    terbuka witness serve --key witness.key --state witness-state.json \\
        --log 'terbuka.example/log+1234abcd+AX...' --port 7380

The key is a cosignature skey read from a file that only its owner may read (mode 0600) or
from TERBUKA_WITNESS_KEY; the trusted logs come from --log flags or the `log` lines of a
tlog-policy file (--policy).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from terbuka.errors import TerbukaError
from terbuka.secrets import read_secret_file
from terbuka.tlog.cosignature import CosignatureSigner
from terbuka.tlog.errors import MalformedError
from terbuka.tlog.note import Verifier
from terbuka.tlog.origin_state import OriginState, default_state_path
from terbuka.tlog.policy import Policy
from terbuka.tlog.witness import WitnessCore
from terbuka.tlog.witness_server import (
    MAX_CONNECTIONS,
    TIMEOUT_SECONDS,
    Witness,
    origin_verifiers,
    witness_serve,
)

KEY_ENV = "TERBUKA_WITNESS_KEY"


def read_secret_key(path: Path | None) -> str:
    """Return the witness skey from path (mode 0600 or stricter) or from TERBUKA_WITNESS_KEY.

    Raises MalformedError when neither is given, SecretFileError when the file is
    accessible to group or others or cannot be read.
    """
    if path is None:
        value = os.environ.get(KEY_ENV, "").strip()
        if not value:
            raise MalformedError(
                f"kunci saksi tidak diberikan: pakai --key BERKAS atau {KEY_ENV}",
                f"no witness key given: use --key FILE or {KEY_ENV}",
                where="--key",
            )
        return value
    return read_secret_file(path, where="--key")


def trusted_logs(vkeys: list[str], policy_path: Path | None) -> list[Verifier]:
    """Return the log verifiers from --log vkeys and the policy file's `log` lines.

    Raises MalformedError for a bad vkey or an unreadable or malformed policy file.
    """
    verifiers = [Verifier.from_vkey(vkey) for vkey in vkeys]
    if policy_path is not None:
        try:
            text = policy_path.read_text(encoding="utf-8")
        except OSError as exc:
            raise MalformedError(
                f"berkas kebijakan {policy_path} tidak dapat dibaca: {exc.strerror}",
                f"policy file {policy_path} cannot be read: {exc.strerror}",
                where="--policy",
            ) from exc
        verifiers.extend(Policy.parse(text).log_verifiers)
    return verifiers


def run_serve(args: argparse.Namespace) -> int:
    """Start the witness and serve until interrupted; return 2 on a configuration error."""
    try:
        signer = CosignatureSigner.from_skey(read_secret_key(args.key))
        logs = origin_verifiers(trusted_logs(args.log, args.policy))
        state = OriginState.load(args.state or default_state_path("witness-state.json"))
    except TerbukaError as exc:
        print(f"galat: {exc.message_id}\nerror: {exc.message_en}", file=sys.stderr)
        return 2
    witness = Witness(WitnessCore(logs, signer), state, signer.vkey)
    try:
        server = witness_serve(
            witness,
            host=args.host,
            port=args.port,
            timeout=args.timeout,
            max_connections=args.max_connections,
        )
    except OSError as exc:
        print(
            f"galat: tidak dapat membuka {args.host}:{args.port}: {exc.strerror}\n"
            f"error: cannot listen on {args.host}:{args.port}: {exc.strerror}",
            file=sys.stderr,
        )
        return 2
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `terbuka witness serve`."""
    parser = subparsers.add_parser("witness", help="jalankan saksi / run a witness")
    commands = parser.add_subparsers(dest="witness_command", metavar="COMMAND", required=True)
    serve = commands.add_parser(
        "serve", help="layani POST /add-checkpoint / serve POST /add-checkpoint"
    )
    serve.add_argument("--key", type=Path, help=f"skey file, mode 0600 (or {KEY_ENV})")
    serve.add_argument(
        "--state", type=Path, help="state file (default ~/.local/state/terbuka/witness-state.json)"
    )
    serve.add_argument("--log", action="append", default=[], metavar="VKEY", help="trusted log")
    serve.add_argument("--policy", type=Path, help="tlog-policy file whose log lines to trust")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=7380, help="0 picks a free port")
    serve.add_argument(
        "--timeout",
        type=float,
        default=TIMEOUT_SECONDS,
        help="seconds a connection may wait to send or receive before it is dropped",
    )
    serve.add_argument(
        "--max-connections",
        type=int,
        default=MAX_CONNECTIONS,
        help="connections served at once; more are answered 503",
    )
    serve.set_defaults(handler=run_serve)
