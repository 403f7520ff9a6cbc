"""Generate signed-note keys: `terbuka keys generate` and `terbuka keys vkey`.

Keys follow C2SP signed-note. The private key file holds one Go-style line
`PRIVATE+KEY+name+hexid+base64(type||seed)` (mode 0600); the public verifier key
`name+hexid+base64(type||pk)` is printed, for example
`log.terbuka.example+1a2b3c4d+AS4Fd...`. `--witness` makes a cosignature/v1 key (type 0x04).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from terbuka.errors import TerbukaError
from terbuka.tlog.cosignature import CosignatureSigner
from terbuka.tlog.note import Signer


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `keys` command and its `generate` and `vkey` subcommands."""
    keys = subparsers.add_parser(
        "keys",
        help="buat dan baca kunci catatan bertanda tangan / generate and read signed-note keys",
    )
    sub = keys.add_subparsers(dest="keys_command", metavar="SUBCOMMAND", required=True)
    gen = sub.add_parser("generate", help="buat pasangan kunci / generate a key pair")
    gen.add_argument("--name", required=True, help="nama kunci, mis. origin log / key name")
    gen.add_argument("--out", required=True, type=Path, help="berkas kunci privat / skey file")
    gen.add_argument(
        "--witness",
        action="store_true",
        help="kunci kosignatur saksi (cosignature/v1, 0x04) / witness cosigner key",
    )
    gen.set_defaults(handler=generate_command)
    vkey = sub.add_parser("vkey", help="cetak kunci verifikasi / print the verifier key")
    vkey.add_argument("file", type=Path, help="berkas kunci privat / skey file")
    vkey.set_defaults(handler=vkey_command)


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


def generate_command(args: argparse.Namespace) -> int:
    """Write a fresh skey to --out with mode 0600 (never overwriting) and print its vkey."""
    try:
        kind = CosignatureSigner if args.witness else Signer
        signer = kind.generate(args.name)
    except TerbukaError as exc:
        return _fail(f"{exc.message_id} / {exc.message_en}")
    out: Path = args.out
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _fail(f"berkas {out} sudah ada, tidak ditimpa / file {out} exists, not overwritten")
    except OSError as exc:
        return _fail(f"tidak dapat menulis {out} / cannot write {out}: {exc.strerror}")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(signer.skey + "\n")
    print(signer.vkey)
    return 0


def vkey_command(args: argparse.Namespace) -> int:
    """Print the verifier key of the skey stored in FILE."""
    path: Path = args.file
    try:
        skey = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        return _fail(f"tidak dapat membaca {path} / cannot read {path}: {exc}")
    for kind in (Signer, CosignatureSigner):
        try:
            print(kind.from_skey(skey).vkey)
            return 0
        except TerbukaError as exc:
            error = exc
    return _fail(f"{path}: {error.message_id} / {error.message_en}")
