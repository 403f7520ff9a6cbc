"""Sign votes offline and re-verify decisions: `terbuka governance keygen|sign|verify-decision`.

Needs no database and no server: a member keeps the private key on their own machine.
`sign` prints a signed vote (terbuka.governance.vote) to paste into the proposal's page or
send to the secretariat; `verify-decision FILE` re-checks a decision entry from the log.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from terbuka.errors import TerbukaError
from terbuka.governance.decision import decision_verify
from terbuka.governance.keys import (
    key_id_of,
    private_key_generate,
    private_key_load,
    public_key_parse,
)
from terbuka.governance.proposal import hash_check, proposal_hash
from terbuka.governance.vote import CHOICES, vote_sign


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `governance` command with keygen, sign and verify-decision."""
    gov = subparsers.add_parser(
        "governance", help="suara konsorsium luring / consortium votes offline"
    )
    sub = gov.add_subparsers(dest="governance_command", metavar="SUBCOMMAND", required=True)
    gen = sub.add_parser("keygen", help="buat kunci tanda tangan keputusan / make a signing key")
    gen.add_argument("--out", required=True, type=Path, help="berkas kunci privat (0600)")
    gen.set_defaults(handler=keygen_command)
    sign = sub.add_parser("sign", help="tandatangani suara / sign a vote")
    sign.add_argument("--key", required=True, type=Path, help="berkas kunci privat / key file")
    what = sign.add_mutually_exclusive_group(required=True)
    what.add_argument("--proposal", type=Path, help="JSON usulan / the proposal's JSON file")
    what.add_argument("--hash", help="hash usulan (64 hex) / the proposal hash")
    sign.add_argument("--choice", required=True, choices=CHOICES, help="yes, no, abstain")
    sign.set_defaults(handler=sign_command)
    check = sub.add_parser(
        "verify-decision", help="periksa entri keputusan / re-verify a decision entry"
    )
    check.add_argument("file", type=Path, help="entri log keputusan (JSON) / decision entry")
    check.set_defaults(handler=verify_command)


def _fail(exc: TerbukaError | OSError | ValueError) -> int:
    if isinstance(exc, TerbukaError):
        print(f"{exc.where}: {exc.message_id} / {exc.message_en}", file=sys.stderr)
    else:
        print(f"terbuka governance: {exc}", file=sys.stderr)
    return 2


def keygen_command(args: argparse.Namespace) -> int:
    """Write a new private key to --out (0600, never overwriting); print public key and id."""
    pem, public = private_key_generate()
    try:
        fd = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        return _fail(exc)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    print(f"public_key {public}\nkey_id {key_id_of(public_key_parse(public))}")
    return 0


def sign_command(args: argparse.Namespace) -> int:
    """Print the signed vote of --key on the proposal (file or hash) with --choice."""
    try:
        key = private_key_load(args.key.read_bytes(), str(args.key))
        if args.proposal is not None:
            digest = proposal_hash(json.loads(args.proposal.read_text(encoding="utf-8")))
        else:
            digest = hash_check(args.hash, "--hash")
        sys.stdout.write(vote_sign(key, digest, args.choice).format().decode("ascii"))
    except (TerbukaError, OSError, ValueError) as exc:
        return _fail(exc)
    return 0


def verify_command(args: argparse.Namespace) -> int:
    """Re-verify a decision entry's votes, tally and quorum; print the tally when all hold."""
    try:
        outcome = decision_verify(json.loads(args.file.read_text(encoding="utf-8")))
    except (TerbukaError, OSError, ValueError) as exc:
        return _fail(exc)
    print(f"OK {json.dumps(outcome.tally.as_data(), sort_keys=True)}")
    return 0
