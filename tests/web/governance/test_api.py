"""Test the governance API: the acceptance surface, votes posted as signed text, refusals."""

from __future__ import annotations

from django.test import Client

from terbuka_web.governance.models import Decision
from terbuka_web.governance.services import interest_declare
from terbuka_web.transparency.services import log_sequence

from .conftest import Seat, propose


def _post_vote(client: Client, uid: str, text: str) -> tuple[int, dict[str, object]]:
    response = client.post(
        f"/api/governance/proposals/{uid}/votes", {"vote": text}, content_type="application/json"
    )
    return response.status_code, response.json()


def test_decisions_list_is_the_acceptance_surface(seats: list[Seat], client: Client) -> None:
    proposal = propose()
    for seat in seats[:5] + seats[6:]:
        status, body = _post_vote(client, proposal.uid, seat.vote(proposal))
        assert status == 201, body
    assert body["decision_id"] == Decision.objects.get().pk
    (item,) = client.get("/api/governance/decisions").json()
    assert set(item) == {"id", "type", "decided_at", "effective_from", "proposal_hash", "tally",
                         "log_index"}  # fmt: skip
    assert item["proposal_hash"] == proposal.hash and item["type"] == "charter_amend"
    assert item["tally"] == {"yes": 6, "no": 0, "abstain": 0, "recused": 0}
    assert item["log_index"] is None  # pending until sequenced
    log_sequence()
    index = client.get("/api/governance/decisions").json()[0]["log_index"]
    assert isinstance(index, int)
    entry = client.get(f"/log/receipt/{index}")
    assert entry.status_code == 200


def test_refusals_have_the_one_error_shape_in_both_languages(
    seats: list[Seat], client: Client
) -> None:
    proposal = propose()
    signed = seats[0].vote(proposal)
    status, body = _post_vote(client, proposal.uid, signed.replace("choice yes", "choice no"))
    assert status == 422 and body["error"]["code"] == "vote_refused"
    assert "tidak sah" in body["error"]["message"]
    assert "invalid" in body["error"]["message_en"]
    assert _post_vote(client, proposal.uid, signed)[0] == 201
    status, body = _post_vote(client, proposal.uid, signed)
    assert status == 422 and "replayed" in body["error"]["message_en"]
    response = client.post(f"/api/governance/proposals/{proposal.uid}/decide")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "quorum_not_met"
    assert not Decision.objects.exists()
    assert client.get("/api/governance/proposals/nope").status_code == 404
    canonical = client.get(f"/api/governance/proposals/{proposal.uid}").json()
    assert canonical["proposal_hash"] == proposal.hash


def test_api_refuses_a_recused_members_vote_in_both_languages(
    seats: list[Seat], client: Client
) -> None:
    interest_declare(actor=None, member=seats[2].member, kind="region", value="35.22")
    proposal = propose(touches={"regions": ["35.22"]})
    status, body = _post_vote(client, proposal.uid, seats[2].vote(proposal))
    assert status == 422 and body["error"]["code"] == "vote_refused"
    assert "konflik kepentingan (region: 35.22)" in body["error"]["message"]
    assert "conflict of interest (region: 35.22)" in body["error"]["message_en"]


def test_pages_switch_to_english(seats: list[Seat], client: Client) -> None:
    client.cookies["django_language"] = "en"
    html = client.get("/konsorsium/").content.decode()
    assert "Governance consortium" in html and "Register of interests" in html
