"""Register `terbuka flags`: red-flag indicators over compiled releases (no Django needed).

    terbuka flags compute rilis.jsonl [--settings pengaturan.ini]   # Cardinal's result object
    terbuka flags prepare rilis.jsonl [--settings pengaturan.ini]   # corrected JSON lines

FILE holds one compiled release per line ("-" reads standard input); the settings file uses
Cardinal's INI format (docs/cli.md). Exit codes: 0 done, 2 bad input or settings (one line
on standard error naming the file and line, in Indonesian and English; nothing written on
standard output).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterator
from pathlib import Path

from terbuka.errors import TerbukaError
from terbuka.flags.compute import flags_compute_lines, results_json
from terbuka.flags.jsonl import dumps_line, read_objects
from terbuka.flags.prepare import Preparer
from terbuka.flags.registry import settings_default, settings_load
from terbuka.flags.settings import Settings

EXIT_OK, EXIT_INPUT = 0, 2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `flags` command and its `compute` and `prepare` subcommands."""
    flags = subparsers.add_parser(
        "flags", help="indikator tanda bahaya (Cardinal) / red-flag indicators (Cardinal)"
    )
    sub = flags.add_subparsers(dest="flags_command", metavar="SUBCOMMAND", required=True)
    compute = sub.add_parser(
        "compute",
        help="hitung indikator, cetak satu objek JSON / compute indicators, print one JSON object",
    )
    prepare = sub.add_parser(
        "prepare",
        help="perbaiki data sebelum dihitung / correct data before computing "
        "(issues as CSV on stderr)",
    )
    for parser in (compute, prepare):
        parser.add_argument(
            "file",
            metavar="FILE",
            help="rilis terkompilasi, satu per baris; - = stdin / "
            "compiled releases, one per line; - = stdin",
        )
        parser.add_argument(
            "--settings", type=Path, metavar="FILE.ini",
            help="pengaturan format INI Cardinal; tanpa ini semua indikator aktif / Cardinal's "
            "INI settings; without it every indicator runs with its defaults",
        )  # fmt: skip
    compute.set_defaults(handler=compute_command)
    prepare.set_defaults(handler=prepare_command)


def _fail(exc: TerbukaError) -> int:
    where = f"{exc.where}: " if exc.where else ""
    print(f"galat / error: {where}{exc.message_id} / {exc.message_en}", file=sys.stderr)
    return EXIT_INPUT


def _settings(path: Path | None) -> Settings:
    """Return the settings in path (every indicator on, when path is None)."""
    if path is None:
        return settings_default()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TerbukaError(
            f"pengaturan {path} tidak dapat dibaca: {exc}",
            f"settings {path} cannot be read: {exc}",
            where=str(path),
        ) from None
    return settings_load(text, source=str(path))


def _lines(name: str) -> Iterator[bytes]:
    """Yield the byte lines of the named file, or of standard input for "-"."""
    if name == "-":
        yield from sys.stdin.buffer
        return
    try:
        with Path(name).open("rb") as handle:
            yield from handle
    except OSError as exc:
        raise TerbukaError(
            f"berkas {name} tidak dapat dibaca: {exc.strerror}",
            f"file {name} cannot be read: {exc.strerror}",
            where=name,
        ) from None


def compute_command(args: argparse.Namespace) -> int:
    """Print the indicators' results over FILE as one JSON object."""
    try:
        results = flags_compute_lines(_lines(args.file), _settings(args.settings), source=args.file)
    except TerbukaError as exc:
        return _fail(exc)
    print(results_json(results))
    return EXIT_OK


def prepare_command(args: argparse.Namespace) -> int:
    """Print FILE's releases corrected, one per line; write the issues as CSV on stderr."""
    try:
        preparer = Preparer(_settings(args.settings))
        lines, issues = [], []
        for number, release in read_objects(_lines(args.file), source=args.file):
            issues.extend(preparer.prepare(release, number))
            lines.append(dumps_line(release))
    except TerbukaError as exc:
        return _fail(exc)
    sys.stdout.write("".join(line + "\n" for line in lines))
    csv.writer(sys.stderr, lineterminator="\n").writerows(issues)
    return EXIT_OK
