"""Fail when an option of `terbuka verify` or `terbuka witness serve` is undocumented."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from terbuka.cli.main import build_parser

DOCS = Path(__file__).resolve().parents[3] / "docs"


def subparser(parser: argparse.ArgumentParser, *names: str) -> argparse.ArgumentParser:
    for name in names:
        action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = action.choices[name]
    return parser


@pytest.mark.parametrize(
    ("command", "doc"),
    [(("verify",), "verify.md"), (("witness", "serve"), "witness.md")],
)
def test_every_option_is_documented(command: tuple[str, ...], doc: str) -> None:
    parser = subparser(build_parser(), *command)
    options = {
        option
        for action in parser._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    }
    text = (DOCS / doc).read_text(encoding="utf-8")
    assert options, command
    assert sorted(o for o in options if o not in text) == []
