"""Evaluate a rule set for registrants: eligible or not, and the entitlement in Rupiah.

Refusals come before the rules: a registrant flagged deceased (meninggal) or holding a NIK
that appears more than once in the registry (duplicate) is refused from every cycle, whatever
the rules say, and counted. An expression that fails or returns the wrong type for one
registrant raises RuleEvaluationError naming that registrant's row: the whole evaluation
stops, so nobody is paid by a partial run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from operator import attrgetter
from typing import Any

from celpy import celtypes
from celpy.evaluation import CELEvalError

from terbuka.rules.compile import Expression, rule_compile
from terbuka.rules.environment import Context, Registrant, activation
from terbuka.rules.errors import RuleEvaluationError
from terbuka.rules.ruleset import RuleSet

MAX_ENTITLEMENT = 10**12  # one trillion Rupiah per registrant: beyond it, a rule is wrong
ATTRIBUTES = ("region", "desil", "household", "disabilitas", "lansia", "meninggal")


class Refusal(StrEnum):
    """Name why a registrant is refused before the rules run."""

    DECEASED = "deceased"
    DUPLICATE = "duplicate"


@dataclass(frozen=True, slots=True)
class Outcome:
    """Hold one registrant's result: eligible, amount (0 unless eligible), refusal if any."""

    eligible: bool
    amount: int
    refusal: Refusal | None = None


@dataclass
class CompiledRules:
    """Hold a rule set's two compiled expressions, its shared context values, and the results
    already computed, keyed by the registrant attributes each expression reads (an expression
    that reads only desil is evaluated once per decile, not once per registrant).

    Exact: an expression's value depends only on the activation, whose other entries (today,
    disaster_zones, p) are the same for every registrant of one CompiledRules; so it depends
    only on the registrant attributes it names, and equal names give an equal value. The
    results held are at most one per distinct tuple of those attributes, never one per row.
    """

    rules: RuleSet
    context: Context
    eligibility: Expression = field(init=False)
    entitlement: Expression = field(init=False)
    shared: dict[str, Any] = field(init=False)
    seen: dict[str, dict[Any, Any]] = field(init=False)
    reads: dict[str, Callable[[Registrant], Any]] = field(init=False)

    def __post_init__(self) -> None:
        self.eligibility = rule_compile(self.rules.eligibility, name="eligibility")
        self.entitlement = rule_compile(self.rules.entitlement, name="entitlement")
        self.shared = self.context.shared()
        self.seen = {"eligibility": {}, "entitlement": {}}
        self.reads = {
            "eligibility": _reader(self.eligibility),
            "entitlement": _reader(self.entitlement),
        }


def _reader(expression: Expression) -> Callable[[Registrant], Any]:
    """Return a function of a registrant giving the attributes expression reads (its memo key)."""
    names = [a for a in ATTRIBUTES if a in expression.names]
    if not names:
        return lambda _registrant: ()
    return attrgetter(*names)


def context_for(rules: RuleSet, today: Any, declared: Iterable[str] = ()) -> Context:
    """Return the Context of rules on today: the zones declared (disasters in force on today)
    and the rules' disaster_zones parameter, if any, as disaster_zones (sorted, once each)."""
    zones = {*rules.parameters.get("disaster_zones", []), *declared}
    return Context(today=today, disaster_zones=tuple(sorted(zones)), parameters=rules.parameters)


def _failure(registrant: Registrant, name: str, detail: str) -> RuleEvaluationError:
    return RuleEvaluationError(
        f"ekspresi {name} gagal untuk penerima baris {registrant.row}: {detail}; "
        "seluruh evaluasi dibatalkan",
        f"the {name} expression failed for the registrant on row {registrant.row}: {detail}; "
        "the whole evaluation is refused",
        where=registrant.row,
    )


def _detail(exc: BaseException) -> str:
    """Return the innermost message of a celpy error: ("evaluation error", CELEvalError,
    ("divide by zero", …)) → "divide by zero"."""
    args = exc.args
    while len(args) >= 3 and args[1] is CELEvalError and isinstance(args[2], tuple) and args[2]:
        args = args[2]
    return str(args[0]) if args else str(exc)


def _run(compiled: CompiledRules, name: str, registrant: Registrant) -> Any:
    """Return the value of compiled's expression name for registrant (cached by what it reads)."""
    seen = compiled.seen[name]
    key = compiled.reads[name](registrant)
    if key in seen:
        return seen[key]
    expression: Expression = getattr(compiled, name)
    try:
        value = expression.runner.evaluate(activation(registrant, compiled.shared))
    except CELEvalError as exc:
        raise _failure(registrant, name, _detail(exc)) from exc
    seen[key] = value
    return value


def evaluate(compiled: CompiledRules, registrant: Registrant) -> Outcome:
    """Return registrant's Outcome under compiled; raise RuleEvaluationError naming its row.

    Example: eligibility "desil <= 4", entitlement "300000" → Outcome(True, 300000) for a
    registrant of desil 2.
    """
    if registrant.meninggal:
        return Outcome(False, 0, Refusal.DECEASED)
    if registrant.duplicate:
        return Outcome(False, 0, Refusal.DUPLICATE)
    eligible = _run(compiled, "eligibility", registrant)
    if not isinstance(eligible, celtypes.BoolType):
        raise _failure(registrant, "eligibility", f"hasil bukan bool / not a bool: {eligible!r}")
    if not eligible:
        return Outcome(False, 0)
    amount = _run(compiled, "entitlement", registrant)
    if (
        isinstance(amount, celtypes.BoolType)
        or not isinstance(amount, celtypes.IntType | celtypes.UintType)
        or not 0 <= int(amount) <= MAX_ENTITLEMENT
    ):
        raise _failure(
            registrant, "entitlement", f"hasil bukan Rupiah bulat 0–10^12 / not 0–10^12: {amount!r}"
        )
    return Outcome(True, int(amount))
