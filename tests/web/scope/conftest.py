"""Fixtures of the scope tests: a consortium whose keys the test holds, an agency with its
operator and PPK, and helpers to publish stages on a chosen day and to decide a scope."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone

from terbuka.governance.keys import public_key_format
from terbuka.governance.vote import vote_sign
from terbuka.ocds.stage_examples import EXAMPLE_STAGE_DATA
from terbuka_web.accounts.models import Agency, Role, User
from terbuka_web.common.demo.pdf import pdf_render
from terbuka_web.contracting import services as contracting
from terbuka_web.contracting.models import Process, Release
from terbuka_web.contracting.services.checks import UnconfirmedWarnings
from terbuka_web.governance.models import Decision, Proposal
from terbuka_web.governance.services import (
    MemberSpec,
    consortium_found,
    proposal_create,
    vote_cast,
)
from terbuka_web.regions.models import Region
from terbuka_web.scope.services import process_scope_refresh

CLASSES = ["pemerintah", "auditor", "warga", "warga", "teknologi", "hukum", "pemerintah"]
POLICY: dict[str, Any] = {
    "format": "terbuka/scope/v1",
    "phase": "pilot",
    "rules": [{"name": "Tender pekerjaan konstruksi", "categories": ["works"],
               "methods": ["tender"]}],
    "deadlines": {"planning": 120, "tender": 3, "award": 5, "contract": 5, "implementation": 10},
}  # fmt: skip


@dataclass
class World:
    agency: Agency
    operator: User
    ppk: User
    keys: list[Ed25519PrivateKey]


@pytest.fixture
def world(db: None) -> World:
    return world_create()


def world_create() -> World:
    """Create an agency with its operator and PPK, and a seven-member consortium."""
    region = Region.objects.create(code="35.22", name="Bojonegoro", level="regency")
    agency = Agency.objects.create(
        code="3522-dpupr", name="Dinas PU Bina Marga", kind="dinas", government=region
    )
    operator = User.objects.create_user("operator1", role=Role.OPERATOR, agency=agency)
    ppk = User.objects.create_user("ppk1", role=Role.PPK, agency=agency)
    keys = [Ed25519PrivateKey.generate() for _ in CLASSES]
    specs = [
        MemberSpec(f"Anggota {n}", kind, public_key_format(k.public_key().public_bytes_raw()))
        for n, (kind, k) in enumerate(zip(CLASSES, keys, strict=True))
    ]
    consortium_found(actor=None, members=specs)
    return World(agency, operator, ppk, keys)


def process_new(world: World, title: str, category: str = "works") -> Process:
    process = contracting.process_create(
        user=world.operator, agency=world.agency, title=title, fiscal_year=2026,
        procurement_category=category,
    )  # fmt: skip
    contracting.document_upload(
        user=world.operator, process=process, stage="tender", document_type="tenderNotice",
        title="Pengumuman", stream=io.BytesIO(pdf_render(title="Pengumuman", lines=["Tender"])),
        filename="pengumuman.pdf",
    )  # fmt: skip
    return process


def draft(world: World, process: Process, stage: str, **changes: Any) -> None:
    """Save the stage's example data with changes through the service, confirming warnings."""
    data = {**EXAMPLE_STAGE_DATA[stage], **changes}
    try:
        contracting.stage_draft_save(user=world.operator, process=process, stage=stage, data=data)
    except UnconfirmedWarnings as exc:
        contracting.stage_draft_save(
            user=world.operator, process=process, stage=stage, data=data,
            confirmed=[w.key for w in exc.warnings],
        )  # fmt: skip


def publish(world: World, process: Process, stage: str, on: dt.date | None = None) -> None:
    """Publish process's stage draft; with on, record it as first published that day."""
    contracting.stage_publish(user=world.ppk, process=process, stage=stage)
    if on is not None:
        moment = timezone.make_aware(dt.datetime.combine(on, dt.time(10)))
        Release.objects.filter(process=process, stage=stage).update(published_at=moment)
        process_scope_refresh(process_ids=[process.pk])


def scope_propose(
    policy: dict[str, Any] | None = None, effective: dt.datetime | None = None
) -> Proposal:
    return proposal_create(
        actor=None, type="scope_change", title="Cakupan fase pilot", body="Fase pilot.",
        payload={"policy": policy or POLICY}, deadline=timezone.now() + dt.timedelta(days=7),
        effective_from=effective,
    )  # fmt: skip


def scope_decide(
    world: World, policy: dict[str, Any] | None = None, effective: dt.datetime | None = None
) -> Decision:
    """Propose the policy, have the members vote yes until decided; return the decision."""
    proposal = scope_propose(policy, effective)
    for key in world.keys:
        if Decision.objects.filter(proposal=proposal).exists():
            break
        vote_cast(proposal=proposal, signed=vote_sign(key, proposal.hash, "yes").format().decode())
    return Decision.objects.get(proposal=proposal)


def jakarta(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))
