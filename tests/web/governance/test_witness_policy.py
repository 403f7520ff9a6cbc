"""Test that the log's witness policy follows the membership, from a stated checkpoint on."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from pytest_django.fixtures import Settings

from terbuka.tlog.cosignature import CosignatureSigner
from terbuka.tlog.note import generate_key
from terbuka.tlog.policy import Policy
from terbuka_web.governance.models import Member
from terbuka_web.governance.services import vote_cast
from terbuka_web.transparency.services import log_sequence

from .conftest import Seat, propose, spec_new


def _policy() -> str:
    out = StringIO()
    call_command("terbuka_log", "policy", stdout=out)
    return out.getvalue()


def test_admitting_and_removing_a_witness_changes_the_policy(
    seats: list[Seat], settings: Settings
) -> None:
    skey, _ = generate_key("test.terbuka.example/log")
    settings.TERBUKA = {
        **settings.TERBUKA,
        "LOG_ORIGIN": "test.terbuka.example/log",
        "LOG_KEY": skey,
    }
    assert "witness " not in _policy()
    spec, _ = spec_new("Lab Forensik Digital UGM", "teknologi")
    witness = CosignatureSigner.generate("saksi-ugm.example")
    data = {**spec.as_data(), "witness_vkey": witness.vkey, "witness_url": "https://ugm.example/"}
    admit = propose(type="member_admit", title="Terima UGM sebagai saksi", payload=data)
    for seat in seats[:4]:
        vote_cast(proposal=admit, signed=seat.vote(admit))
    member = Member.objects.get(name="Lab Forensik Digital UGM")
    text = _policy()
    assert f"witness saksi-{member.key_id} {witness.vkey} https://ugm.example/" in text
    assert "not yet sequenced" in text
    checkpoint = log_sequence()
    text = _policy()
    assert f"in force from checkpoint size {checkpoint.size} on" in text
    policy = Policy.parse(text)
    assert policy.quorum == "konsorsium" and policy.groups[0].name == "teknologi"
    remove = propose(type="member_remove", title="Keluarkan UGM", payload={"member": member.key_id})
    for seat in seats[:5]:  # 5 of 8 now
        vote_cast(proposal=remove, signed=seat.vote(remove))
    assert f"saksi-{member.key_id}" not in _policy()
    assert Policy.parse(_policy()).quorum == "none"
