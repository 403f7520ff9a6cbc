"""Test quorum rules as data, their evaluation with recused members, and interest matching."""

from __future__ import annotations

import pytest

from terbuka.governance.errors import GovernanceError, VoteRefused
from terbuka.governance.interests import Interest, conflicts_find, touches_check
from terbuka.governance.quorum import DEFAULT_RULE, quorum_evaluate, quorum_rule_parse

MEMBERS = {
    "a1": "pemerintah",
    "a2": "pemerintah",
    "b1": "auditor",
    "c1": "warga",
    "c2": "warga",
    "d1": "teknologi",
    "e1": "hukum",
}
RULE = quorum_rule_parse(DEFAULT_RULE)


def test_majority_with_auditor_and_citizen_is_met() -> None:
    choices = {"a1": "yes", "b1": "yes", "c1": "yes", "d1": "yes", "e1": "no"}
    outcome = quorum_evaluate(RULE, members=MEMBERS, choices=choices, recused=set())
    assert outcome.met
    assert outcome.tally.as_data() == {"yes": 4, "no": 1, "abstain": 0, "recused": 0}


def test_majority_without_auditor_is_not_met() -> None:
    choices = {"a1": "yes", "a2": "yes", "c1": "yes", "d1": "yes", "b1": "no"}
    outcome = quorum_evaluate(RULE, members=MEMBERS, choices=choices, recused=set())
    assert not outcome.met
    assert any("class auditor" in en for _, en in outcome.missing)


def test_half_is_not_a_majority_and_recused_shrink_the_base() -> None:
    choices = {"b1": "yes", "c1": "yes", "d1": "yes"}
    outcome = quorum_evaluate(RULE, members=MEMBERS, choices=choices, recused=set())
    assert not outcome.met  # 3 of 7
    outcome = quorum_evaluate(RULE, members=MEMBERS, choices=choices, recused={"a1", "a2"})
    assert outcome.met  # 3 of 5 eligible
    assert outcome.tally.recused == 2


def test_recused_members_vote_is_refused_not_counted() -> None:
    with pytest.raises(VoteRefused, match="recused") as info:
        quorum_evaluate(RULE, members=MEMBERS, choices={"a1": "yes"}, recused={"a1"})
    assert "mengundurkan diri" in info.value.message_id


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"yes_above": [1, 1]},
        {"yes_above": [1, 2], "classes": {"presiden": 1}},
        {"yes_above": [1, 2], "classes": {"auditor": 0}},
        {"yes_above": [1, 2], "extra": 1},
        {"yes_above": [1.0, 2]},
    ],
)
def test_bad_rules_are_refused(data: object) -> None:
    with pytest.raises(GovernanceError, match="invalid quorum rule"):
        quorum_rule_parse(data)


def test_rule_round_trips_as_data() -> None:
    assert quorum_rule_parse(RULE.as_data()) == RULE


def test_interests_match_npwp_digits_names_and_codes_not_family() -> None:
    interests = [
        Interest("supplier_npwp", "01.234.567.8-901.000"),
        Interest("supplier_name", "CV  Maju Jaya"),
        Interest("agency", "dinas-pu"),
        Interest("family", "adik ipar direktur CV Maju Jaya"),
    ]
    touches = touches_check(
        {"suppliers_npwp": ["012345678901000"], "suppliers_name": ["cv maju jaya"]}
    )
    assert conflicts_find(interests, touches) == [
        "supplier_npwp: 01.234.567.8-901.000",
        "supplier_name: CV  Maju Jaya",
    ]
    assert conflicts_find(interests, {"agencies": ["dinas-kesehatan"]}) == []
    assert conflicts_find(interests, {"agencies": ["dinas-pu"]}) == ["agency: dinas-pu"]


def test_unknown_touched_field_is_refused() -> None:
    with pytest.raises(GovernanceError, match="unknown touched field"):
        touches_check({"families": ["x"]})
