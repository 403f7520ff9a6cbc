"""Evaluate a quorum rule, given as data, over the members' verified votes.

A rule is JSON, e.g. {"yes_above": [1, 2], "classes": {"auditor": 1, "warga": 1}}: more than
1/2 of the eligible members vote yes, AND at least one auditor AND one citizen representative
(warga) vote yes. Eligible members are the voting members that are not recused; recused
members are counted apart (tally "recused") and their votes are refused, never counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from terbuka.governance.errors import GovernanceError, VoteRefused

CLASSES = ("pemerintah", "auditor", "warga", "teknologi", "hukum")
DEFAULT_RULE: dict[str, Any] = {"yes_above": [1, 2], "classes": {"auditor": 1, "warga": 1}}


@dataclass(frozen=True)
class QuorumRule:
    """Hold a rule: yes votes above numerator/denominator of the eligible, and per-class yeses."""

    numerator: int
    denominator: int
    classes: tuple[tuple[str, int], ...] = ()

    def as_data(self) -> dict[str, Any]:
        """Return the rule as JSON data (quorum_rule_parse reads it back)."""
        return {"yes_above": [self.numerator, self.denominator], "classes": dict(self.classes)}


def _bad_rule(why_id: str, why_en: str) -> GovernanceError:
    return GovernanceError(
        f"aturan kuorum tidak sah: {why_id}", f"invalid quorum rule: {why_en}", where="rule"
    )


def quorum_rule_parse(data: Any) -> QuorumRule:
    """Return the QuorumRule of JSON data; raise GovernanceError naming what is wrong.

    yes_above is [n, d] with 0 <= n < d <= 100; classes maps a stakeholder class to 1..50.
    """
    if not isinstance(data, dict) or set(data) - {"yes_above", "classes"}:
        raise _bad_rule(
            "harus objek {yes_above, classes}", "must be an object {yes_above, classes}"
        )
    fraction = data.get("yes_above")
    if (
        not isinstance(fraction, list)
        or len(fraction) != 2
        or not all(type(n) is int for n in fraction)
        or not 0 <= fraction[0] < fraction[1] <= 100
    ):
        raise _bad_rule("yes_above harus [n, d], 0 <= n < d <= 100", "yes_above must be [n, d]")
    classes = data.get("classes", {})
    if not isinstance(classes, dict) or not all(
        name in CLASSES and type(k) is int and 1 <= k <= 50 for name, k in classes.items()
    ):
        raise _bad_rule(
            f"classes memetakan kelas ({', '.join(CLASSES)}) ke 1..50",
            f"classes maps a class ({', '.join(CLASSES)}) to 1..50",
        )
    return QuorumRule(fraction[0], fraction[1], tuple(sorted(classes.items())))


@dataclass(frozen=True)
class Tally:
    """Count the votes: yes, no, abstain, recused members, and eligible (non-recused) voters."""

    yes: int = 0
    no: int = 0
    abstain: int = 0
    recused: int = 0
    eligible: int = 0

    def as_data(self) -> dict[str, int]:
        """Return the four published counts: yes, no, abstain, recused."""
        return {"yes": self.yes, "no": self.no, "abstain": self.abstain, "recused": self.recused}


@dataclass(frozen=True)
class Outcome:
    """Hold the tally, whether the rule is met, and why not (bilingual pairs)."""

    tally: Tally
    met: bool
    missing: list[tuple[str, str]] = field(default_factory=list)


def quorum_evaluate(
    rule: QuorumRule,
    *,
    members: Mapping[str, str],
    choices: Mapping[str, str],
    recused: set[str],
) -> Outcome:
    """Tally choices {key id: choice} of members {key id: class} and test rule.

    Raises VoteRefused when a vote comes from a recused member or a non-member: neither is
    ever counted.
    """
    for member in choices:
        if member in recused:
            raise VoteRefused(
                f"anggota {member} mengundurkan diri (konflik kepentingan); "
                "suaranya tidak dihitung",
                f"member {member} is recused (conflict of interest); the vote is not counted",
                where="vote.member",
            )
        if member not in members:
            raise VoteRefused(
                f"kunci {member} bukan anggota",
                f"key {member} is not a member",
                where="vote.member",
            )
    counts = {c: sum(1 for v in choices.values() if v == c) for c in ("yes", "no", "abstain")}
    eligible = len([m for m in members if m not in recused])
    tally = Tally(recused=len(recused & set(members)), eligible=eligible, **counts)
    missing: list[tuple[str, str]] = []
    if tally.yes * rule.denominator <= rule.numerator * eligible:
        missing.append(
            (
                f"suara setuju {tally.yes} dari {eligible} anggota belum melebihi "
                f"{rule.numerator}/{rule.denominator}",
                f"{tally.yes} yes votes of {eligible} members do not exceed "
                f"{rule.numerator}/{rule.denominator}",
            )
        )
    for name, needed in rule.classes:
        got = sum(1 for m, v in choices.items() if v == "yes" and members[m] == name)
        if got < needed:
            missing.append(
                (
                    f"butuh {needed} suara setuju dari kelas {name}, baru {got}",
                    f"needs {needed} yes votes from class {name}, has {got}",
                )
            )
    return Outcome(tally, not missing, missing)
