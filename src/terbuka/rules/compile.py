"""Compile one CEL expression against the declared environment, refusing it with a position.

A syntax error and a name the environment does not declare are both refused at compile time
(that is, at proposal and adoption), as "line:column" in the error's where, e.g.
"eligibility:2:7". Macro variables (`zones.exists(z, region.startsWith(z))`) are allowed; a
name read from the root (`.desil`) counts as read like `desil`. A text is compiled once per
process (the last 128 are kept): checking rules and then evaluating them compiles them once.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from typing import Any

import celpy
from celpy.celparser import CELParseError
from lark import Token, Tree

from terbuka.rules.environment import DECLARED
from terbuka.rules.errors import RuleError

MACROS = frozenset({"all", "exists", "exists_one", "map", "filter"})
MAX_LENGTH = 4000

# The transpiled runner is about five times faster than the tree interpreter. celpy logs each
# evaluation error it raises; evaluate.py reports them itself (naming the row), so quiet it.
_ENVIRONMENT = celpy.Environment(runner_class=celpy.CompiledRunner)
logging.getLogger("celpy").setLevel(logging.CRITICAL)


@dataclass(frozen=True)
class Expression:
    """Hold a compiled expression and the declared names it reads (for caching outcomes)."""

    runner: Any
    names: frozenset[str]


@functools.lru_cache(maxsize=128)
def rule_compile(text: str, *, name: str) -> Expression:
    """Return the compiled Expression of text (named name in errors, e.g. "eligibility").

    Raises RuleError with where "name:line:column" for a syntax error or an undeclared name,
    and where name for empty or over-long text (over 4000 characters).
    Example: rule_compile("desil <= p.max_desil", name="eligibility").
    """
    if not text.strip() or len(text) > MAX_LENGTH:
        raise RuleError(
            f"ekspresi {name} harus berisi 1–{MAX_LENGTH} karakter",
            f"the {name} expression must hold 1–{MAX_LENGTH} characters",
            where=name,
        )
    try:
        tree = _ENVIRONMENT.compile(text)
    except CELParseError as exc:
        line, column = exc.line or 1, exc.column or 1
        raise RuleError(
            f"ekspresi {name} tidak sah pada baris {line} kolom {column}",
            f"the {name} expression is not valid at line {line} column {column}",
            where=f"{name}:{line}:{column}",
        ) from exc
    names = _names_check(tree, name)
    return Expression(_ENVIRONMENT.program(tree), names)


def _bound(tree: Tree[Any]) -> set[str]:
    """Return the variables that macros in tree bind (their first argument)."""
    names: set[str] = set()
    for node in tree.iter_subtrees():
        if node.data != "member_dot_arg" or len(node.children) < 3:
            continue
        method, arguments = node.children[1], node.children[2]
        if str(method) in MACROS and isinstance(arguments, Tree) and arguments.children:
            first = arguments.children[0]
            if isinstance(first, Tree):
                names |= {str(t) for t in first.scan_values(lambda v: isinstance(v, Token))}
    return names


def _names_check(tree: Tree[Any], name: str) -> frozenset[str]:
    """Return the declared names tree reads; raise RuleError at the first identifier neither
    declared nor bound by a macro (`name` and `.name` alike)."""
    allowed = set(DECLARED) | _bound(tree)
    idents = [
        node.children[0]
        for node in tree.iter_subtrees()
        if node.data in ("ident", "dot_ident") and isinstance(node.children[0], Token)
    ]
    for token in sorted(idents, key=lambda t: (t.line or 0, t.column or 0)):
        if str(token) not in allowed:
            raise RuleError(
                f"nama {str(token)!r} tidak dikenal dalam ekspresi {name} pada baris "
                f"{token.line} kolom {token.column}; yang dikenal: {', '.join(DECLARED)}",
                f"unknown name {str(token)!r} in the {name} expression at line {token.line} "
                f"column {token.column}; known: {', '.join(DECLARED)}",
                where=f"{name}:{token.line}:{token.column}",
            )
    return frozenset(str(t) for t in idents) & frozenset(DECLARED)
