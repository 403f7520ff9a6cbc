"""Register the Django-backed `terbuka` subcommands (serve, demo, ocds, log) with the core CLI.

Each subcommand forwards to a Django management command, so the logic lives once, in services.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from collections.abc import Sequence
from typing import Any


def run_django(argv: Sequence[str]) -> int:
    """Set up Django and run the management command argv; return 0 on success.

    A configuration mistake (a variable with a bad value, a key file others may read, a
    witness list that does not parse, a database that cannot be reached) prints one line
    naming the variable on standard error, without a traceback, and returns 2
    (terbuka_web.config.problems).
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terbuka_web.config.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    from terbuka_web.config.problems import DatabaseWatch, config_problem

    watch = DatabaseWatch()
    try:
        settings.INSTALLED_APPS  # noqa: B018  # load the settings: Django would hide their error
        execute_from_command_line(["terbuka", *argv])
    except Exception as exc:
        problem = config_problem(exc, watch)
        if problem is None:
            raise
        print(f"terbuka: {problem}", file=sys.stderr)
        return 2
    return 0


def forward(*prefix: str) -> Any:
    """Return a handler that runs the management command prefix plus the parsed rest."""

    def handler(args: argparse.Namespace) -> int:
        return run_django([*prefix, *args.rest])

    return handler


def add_forwarder(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    help_text: str,
    *command: str,
) -> None:
    """Add subcommand name forwarding its remaining arguments to management command."""
    # No option prefix: every argument, "--flag" included, goes to the management command
    # (argparse.REMAINDER alone does not capture a leading option, bpo-17050).
    parser = subparsers.add_parser(name, help=help_text, add_help=False, prefix_chars="\0")
    parser.add_argument("rest", nargs=argparse.REMAINDER)
    parser.set_defaults(handler=forward(*command))


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register the Django-backed subcommands, when Django is installed.

    A citizen's core-only install (`pip install terbuka`, no `web` extra) then lists only
    the commands that work there: verify, witness, keys.
    """
    if importlib.util.find_spec("django") is None:
        return
    add_forwarder(subparsers, "serve", "jalankan server web / run the web server", "terbuka_serve")
    add_forwarder(subparsers, "demo", "isi data demo / seed demo data", "terbuka_demo")
    add_forwarder(
        subparsers, "regions", "muat wilayah Kemendagri / load the regions", "terbuka_regions"
    )
    add_forwarder(subparsers, "budget", "anggaran APBD/APBDes / budgets", "terbuka_budget")
    add_forwarder(subparsers, "ocds", "impor/ekspor OCDS / OCDS import and export", "terbuka_ocds")
    add_forwarder(subparsers, "log", "log transparansi / transparency log", "terbuka_log")
    add_forwarder(
        subparsers, "harvest", "panen instansi lain / harvest another instance", "terbuka_harvest"
    )
    add_forwarder(
        subparsers, "documents", "berkas PDF unggahan / uploaded PDF files", "terbuka_documents"
    )
    add_forwarder(
        subparsers,
        "ledger",
        "periksa buku besar uang / re-check the money ledger",
        "terbuka_ledger",
    )
    add_forwarder(subparsers, "scope", "cakupan publikasi / publication scope", "terbuka_scope")
    add_forwarder(
        subparsers, "participation", "laporan warga / citizens' reports", "terbuka_participation"
    )
    add_forwarder(
        subparsers, "benefits", "program bantuan / benefit programmes", "terbuka_benefits"
    )
    add_forwarder(subparsers, "notify", "kirim pemberitahuan / send notices", "terbuka_notify")
    add_forwarder(subparsers, "wallets", "dompet warga di server / wallets", "terbuka_wallets")
    add_forwarder(subparsers, "manage", "perintah Django / any Django command")
    from terbuka.cli import wallet_server

    # `terbuka wallet merchants` without --server reads this install's database.
    wallet_server.LOCAL["merchants"] = lambda argv: run_django(
        ["terbuka_wallets", "merchants", *argv]
    )
