"""Run the `terbuka` command line: core commands plus those that installed packages register.

The core registers what needs no database (`verify`, `witness`, `keys`, `flags`,
`governance`, `wallet`). The Django project
registers `serve`, `demo`, `ocds`, `log` through the "terbuka.commands" entry point group, so
that a citizen's install without Django still has a working `terbuka verify`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import entry_points

from terbuka.cli.parent import parent_watch

Registrar = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]

CORE_REGISTRARS: list[str] = [
    "terbuka.cli.flags",
    "terbuka.cli.governance",
    "terbuka.cli.keys",
    "terbuka.cli.verify",
    "terbuka.cli.wallet",
    "terbuka.cli.witness",
]


def build_parser() -> argparse.ArgumentParser:
    """Return the parser with every core and plug-in subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="terbuka",
        description="Terbuka: kontrak terbuka dan log transparansi / open contracting and "
        "transparency log",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module_name in CORE_REGISTRARS:
        module = __import__(module_name, fromlist=["register"])
        module.register(subparsers)
    for entry in entry_points(group="terbuka.commands"):
        try:
            register: Registrar = entry.load()
        except ImportError:
            continue  # the web extra is not installed: core commands still work
        register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse argv, run the chosen command and return its exit code."""
    parent_watch()
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
