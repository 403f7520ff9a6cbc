"""Re-verify a published decision from its log entry alone: votes, tally and quorum.

A decision entry is canonical JSON (RFC 8785), e.g.

    {"kind": "decision", "proposal_hash": "9f86…0a08", "type": "member_admit",
     "rule": {"yes_above": [1, 2], "classes": {"auditor": 1, "warga": 1}},
     "members": {"56475aa75463474c": {"class": "auditor", "public_key": "O2on…2ik="}, …},
     "recused": ["…"], "votes": ["terbuka/governance-vote/v1\\nproposal …\\n…"],
     "tally": {"yes": 5, "no": 1, "abstain": 0, "recused": 1},
     "decided_at": "2026-12-04T22:00:00Z", "effective_from": "2026-12-04T22:00:00Z"}

decision_verify checks every signature over proposal_hash, refuses replays and recused
votes, recomputes the tally and tests the rule, as `terbuka governance verify-decision` does.
"""

from __future__ import annotations

from typing import Any

from terbuka.governance.errors import GovernanceError, VoteRefused
from terbuka.governance.keys import key_id_of, public_key_parse
from terbuka.governance.proposal import hash_check
from terbuka.governance.quorum import Outcome, quorum_evaluate, quorum_rule_parse
from terbuka.governance.vote import SignedVote, votes_check


def _members(data: Any) -> tuple[dict[str, str], dict[str, bytes]]:
    """Return ({key id: class}, {key id: raw public key}) of an entry's members object."""
    if not isinstance(data, dict):
        raise GovernanceError("members harus objek", "members must be an object", where="members")
    classes: dict[str, str] = {}
    keys: dict[str, bytes] = {}
    for key_id, member in data.items():
        where = f"members.{key_id}"
        if not isinstance(member, dict) or not isinstance(member.get("public_key"), str):
            raise GovernanceError(
                "anggota tanpa public_key", "member lacks public_key", where=where
            )
        raw = public_key_parse(member["public_key"], where)
        if key_id_of(raw) != key_id:
            raise GovernanceError(
                "id kunci tidak cocok dengan kunci publik",
                "the key id does not match the public key",
                where=where,
            )
        classes[key_id], keys[key_id] = str(member.get("class", "")), raw
    return classes, keys


def decision_verify(entry: dict[str, Any]) -> Outcome:
    """Return the recomputed Outcome of a decision entry after checking all of it.

    Raises GovernanceError for a malformed entry, a tally that differs from the votes or an
    unmet rule; VoteRefused for a bad, replayed, recused or foreign vote.
    """
    if entry.get("kind") != "decision":
        raise GovernanceError("entri bukan keputusan", "the entry is not a decision", where="kind")
    digest = hash_check(str(entry.get("proposal_hash", "")), "proposal_hash")
    classes, keys = _members(entry.get("members"))
    recused = set(entry.get("recused") or [])
    texts = entry.get("votes") or []
    votes = [SignedVote.parse(str(text).encode("utf-8")) for text in texts]
    voting = {k: v for k, v in keys.items() if k not in recused}
    for vote in votes:
        if vote.statement.member in recused:
            raise VoteRefused(
                f"suara anggota {vote.statement.member} yang mengundurkan diri dicatat",
                f"a vote of recused member {vote.statement.member} is recorded",
                where="votes",
            )
    choices = votes_check(votes, proposal_hash=digest, public_keys=voting)
    rule = quorum_rule_parse(entry.get("rule"))
    outcome = quorum_evaluate(rule, members=classes, choices=choices, recused=recused)
    if outcome.tally.as_data() != entry.get("tally"):
        raise GovernanceError(
            f"penghitungan tercatat {entry.get('tally')} berbeda dari suara "
            f"{outcome.tally.as_data()}",
            f"the recorded tally {entry.get('tally')} differs from the votes "
            f"{outcome.tally.as_data()}",
            where="tally",
        )
    if not outcome.met:
        raise GovernanceError(
            "kuorum tidak terpenuhi: " + "; ".join(i for i, _ in outcome.missing),
            "quorum not met: " + "; ".join(e for _, e in outcome.missing),
            where="rule",
        )
    return outcome
