"""Test terbuka.rules: compile errors with positions, canonical form and hash (golden),
evaluation per registrant with refusals, failures naming the row, dry runs and their diff."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terbuka.rules.compile import rule_compile
from terbuka.rules.dryrun import dry_run, dry_run_diff
from terbuka.rules.environment import Registrant
from terbuka.rules.errors import RuleError, RuleEvaluationError
from terbuka.rules.evaluate import CompiledRules, Outcome, Refusal, context_for, evaluate
from terbuka.rules.ruleset import RuleSet, ruleset_parse

TODAY = dt.date(2027, 1, 15)
CASH = {
    "eligibility": "desil <= p.max_desil",
    "entitlement": "p.base",
    "parameters": {"max_desil": 3, "base": 300000},
}
GOLDEN_BYTES = (
    b'{"eligibility":"desil <= p.max_desil","entitlement":"p.base",'
    b'"parameters":{"base":300000,"max_desil":3}}'
)
GOLDEN_HASH = "3475d1b446f2dd43d2daeb8bc6d67f6666eef52c56df10df949fc97f20141527"


def _compiled(data: dict[str, object]) -> CompiledRules:
    rules = ruleset_parse(data)
    return CompiledRules(rules, context_for(rules, TODAY))


def test_canonical_bytes_and_hash_are_golden() -> None:
    rules = ruleset_parse(CASH)
    assert rules.canonical() == GOLDEN_BYTES
    assert rules.hash() == GOLDEN_HASH == hashlib.sha256(GOLDEN_BYTES).hexdigest()
    reordered = {"parameters": {"base": 300000, "max_desil": 3}, **CASH}
    assert ruleset_parse(reordered).hash() == GOLDEN_HASH
    assert ruleset_parse({**CASH, "eligibility": "  desil <= p.max_desil\n"}).hash() == GOLDEN_HASH


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("desil <=", "eligibility:1:7"),
        ("desil > 3 &&\n  )", "eligibility:2:3"),
        ("nik == 'x'", "eligibility:1:1"),
        ("desil > 1 &&\n nama == 'x'", "eligibility:2:2"),
        ("", "eligibility"),
    ],
)
def test_a_bad_expression_is_refused_with_its_position(text: str, where: str) -> None:
    with pytest.raises(RuleError) as caught:
        ruleset_parse({**CASH, "eligibility": text})
    assert caught.value.where == where
    assert caught.value.message_id != caught.value.message_en  # bilingual


def test_macro_variables_and_declared_names_compile() -> None:
    rule_compile('disaster_zones.exists(z, region.startsWith(z + "."))', name="eligibility")
    rule_compile("today >= '2027-01-01' && !meninggal && household > 0", name="eligibility")


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"eligibility": "true"},
        {**CASH, "parameters": {"bad name": 1}},
        {**CASH, "parameters": {"x": 1.5}},
        {**CASH, "parameters": {"x": 2**60}},
        {**CASH, "extra": 1},
    ],
)
def test_bad_rule_sets_are_refused(data: object) -> None:
    with pytest.raises(RuleError):
        ruleset_parse(data)


def test_evaluate_refuses_deceased_and_duplicates_before_the_rules() -> None:
    compiled = _compiled(CASH)
    assert evaluate(compiled, Registrant("r1", "35.22.01.2001", 2, 4)) == Outcome(True, 300000)
    assert evaluate(compiled, Registrant("r2", "35.22.01.2001", 7, 4)) == Outcome(False, 0)
    dead = Registrant("r3", "35.22.01.2001", 1, 4, meninggal=True)
    assert evaluate(compiled, dead) == Outcome(False, 0, Refusal.DECEASED)
    twice = Registrant("r4", "35.22.01.2001", 1, 4, duplicate=True)
    assert evaluate(compiled, twice).refusal is Refusal.DUPLICATE


def test_disaster_zones_come_from_the_parameters() -> None:
    compiled = _compiled(
        {
            "eligibility": 'disaster_zones.exists(z, region.startsWith(z + "."))',
            "entitlement": "p.base + p.per_member * household",
            "parameters": {"disaster_zones": ["35.22.11"], "base": 750000, "per_member": 150000},
        }
    )
    assert evaluate(compiled, Registrant("a", "35.22.11.2001", 5, 3)).amount == 1200000
    assert not evaluate(compiled, Registrant("b", "35.22.12.2001", 5, 3)).eligible


@pytest.mark.parametrize(
    ("eligibility", "entitlement"),
    [("desil / (household - 3) > 0", "1"), ("desil", "1"), ("true", "'banyak'"), ("true", "-5")],
)
def test_an_evaluation_failure_names_the_registrant_row(eligibility: str, entitlement: str) -> None:
    compiled = _compiled({"eligibility": eligibility, "entitlement": entitlement})
    rows = [Registrant("impor 1 baris 2", "35.22.01.2001", 1, 2)]
    rows.append(Registrant("impor 1 baris 3", "35.22.01.2001", 1, 3))
    with pytest.raises(RuleEvaluationError) as caught:
        dry_run(compiled, rows)
    assert caught.value.where in {"impor 1 baris 2", "impor 1 baris 3"}
    assert caught.value.where in caught.value.message_en


registrants = st.builds(
    Registrant,
    row=st.text(min_size=1, max_size=5),
    region=st.sampled_from(["35.22.01.2001", "35.22.01.2002", "35.22.11.2003"]),
    desil=st.integers(1, 10),
    household=st.integers(1, 30),
    disabilitas=st.booleans(),
    lansia=st.booleans(),
    meninggal=st.booleans(),
    duplicate=st.booleans(),
)


@given(st.lists(registrants, max_size=25), st.integers(1, 10), st.integers(0, 10**7))
def test_dry_run_matches_a_plain_python_reading_of_the_rules(
    rows: list[Registrant], max_desil: int, base: int
) -> None:
    compiled = _compiled(
        {
            "eligibility": "desil <= p.max_desil",
            "entitlement": "p.base * household",
            "parameters": {"max_desil": max_desil, "base": base},
        }
    )
    totals = dry_run(compiled, rows)
    paid = [r for r in rows if not r.meninggal and not r.duplicate and r.desil <= max_desil]
    assert sum(t.eligible for t in totals.values()) == len(paid)
    assert sum(t.amount for t in totals.values()) == sum(base * r.household for r in paid)
    counted = sum(t.eligible + t.ineligible + t.deceased + t.duplicate for t in totals.values())
    assert counted == len(rows)
    assert dry_run_diff(totals, totals) == []


@given(st.dictionaries(st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True),
                       st.integers(-(2**53) + 1, 2**53 - 1), max_size=6))  # fmt: skip
def test_the_hash_depends_only_on_the_content(parameters: dict[str, int]) -> None:
    one = RuleSet("true", "0", dict(parameters))
    two = RuleSet("true", "0", dict(reversed(list(parameters.items()))))
    assert one.hash() == two.hash() == ruleset_parse(one.as_data()).hash()


@given(st.text(max_size=60))
def test_any_text_compiles_or_is_refused_with_a_rule_error(text: str) -> None:
    try:
        rule_compile(text, name="eligibility")
    except RuleError as error:
        assert error.where.startswith("eligibility")


def test_a_name_read_from_the_root_counts_as_read() -> None:
    assert rule_compile(".desil <= 3", name="eligibility").names == {"desil"}
    with pytest.raises(RuleError) as caught:
        rule_compile("desil > 1 && .nik == 'x'", name="eligibility")
    assert caught.value.where == "eligibility:1:15"
    compiled = _compiled({**CASH, "eligibility": ".desil <= p.max_desil"})
    rows = [Registrant("a", "35.22.01.2001", 2, 4), Registrant("b", "35.22.01.2001", 9, 4)]
    assert [evaluate(compiled, r).eligible for r in rows] == [True, False]


CONDITIONS = st.sampled_from([
    "desil <= 3", ".desil > 5", "household >= 5", "disabilitas", "lansia", "!meninggal",
    'region.startsWith("35.22.01.")', 'disaster_zones.exists(z, region.startsWith(z + "."))',
    "p.max_desil >= desil", "today >= '2027-01-01'", "true",
])  # fmt: skip
AMOUNTS = st.sampled_from([
    "p.base", "p.base * household", "(household > 4 ? 50000 * (household - 4) : 0)",
    "desil * 1000", "(disabilitas || lansia ? 100000 : 0)", "p.base / (household - 3)",
    '(region.endsWith("2") ? 7 : 0)',
])  # fmt: skip
eligibilities = st.recursive(
    CONDITIONS,
    lambda inner: st.tuples(inner, st.sampled_from([" && ", " || "]), inner).map(
        lambda t: f"({t[0]}{t[1]}{t[2]})"
    ),
    max_leaves=4,
)
entitlements = st.lists(AMOUNTS, min_size=1, max_size=3).map(" + ".join)
few_registrants = st.builds(
    Registrant,
    row=st.integers(1, 10**6).map(lambda n: f"impor 1 baris {n}"),
    region=st.sampled_from(["35.22.01.2001", "35.22.01.2002", "35.22.11.2003"]),
    desil=st.integers(1, 10),
    household=st.integers(1, 8),
    disabilitas=st.booleans(),
    lansia=st.booleans(),
    meninggal=st.integers(0, 9).map(lambda n: n == 0),  # refused before the rules: rarely
    duplicate=st.integers(0, 9).map(lambda n: n == 0),
)


def _outcomes(rules: dict[str, object], rows: list[Registrant], *, memo: bool) -> list[object]:
    """Return each row's Outcome under rules, ending with the failing row's name if one fails;
    memo: one CompiledRules for all rows (its cache shared), else a fresh one per row."""
    shared = _compiled(rules)
    results: list[object] = []
    for row in rows:
        try:
            results.append(evaluate(shared if memo else _compiled(rules), row))
        except RuleEvaluationError as error:
            results.append(error.where)
            break
    return results


@settings(max_examples=300, deadline=None)  # a shared machine: timing is not the point
@given(eligibilities, entitlements, st.lists(few_registrants, max_size=30))
def test_memoised_evaluation_equals_plain_per_row_evaluation(
    eligibility: str, entitlement: str, rows: list[Registrant]
) -> None:
    rules = {
        "eligibility": eligibility,
        "entitlement": entitlement,
        "parameters": {"max_desil": 4, "base": 300000, "disaster_zones": ["35.22.11"]},
    }
    assert _outcomes(rules, rows, memo=True) == _outcomes(rules, rows, memo=False)
