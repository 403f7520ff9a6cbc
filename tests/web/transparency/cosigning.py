"""Configure a log key and consortium witnesses, and store their cosignatures, for page tests.

The cosignatures are real (the witnesses' keys sign the checkpoint), stored as the sequencer
stores what a witness answers; no witness process is needed to show them.
"""

from __future__ import annotations

import datetime as dt
import json

from pytest_django.fixtures import Settings

from terbuka.tlog.cosignature import CosignatureSigner
from terbuka.tlog.note import generate_key
from terbuka_web.transparency.models import Checkpoint, WitnessCosignature

ORIGIN = "test.terbuka.example/log"


def witnesses_configure(
    settings: Settings, *groups: str, domain: str = "test"
) -> list[CosignatureSigner]:
    """Configure a fresh log key and one witness per group (saksi-<group>.<domain>); return
    their signers, in the order of groups."""
    skey, _ = generate_key(ORIGIN)
    signers = [CosignatureSigner.generate(f"saksi-{group}.{domain}") for group in groups]
    config = [
        {"name": s.name, "vkey": s.vkey, "url": "http://127.0.0.1:9", "group": group}
        for s, group in zip(signers, groups, strict=True)
    ]
    settings.TERBUKA = {
        **settings.TERBUKA,
        "LOG_ORIGIN": ORIGIN,
        "LOG_KEY": skey,
        "WITNESSES": json.dumps(config),
    }
    return signers


def cosignature_store(
    checkpoint: Checkpoint, signer: CosignatureSigner, group: str, *, at: int = 1_780_000_000
) -> WitnessCosignature:
    """Cosign checkpoint with signer at Unix time at and store it as the sequencer would."""
    text = checkpoint.note.split("\n\n")[0] + "\n"
    return WitnessCosignature.objects.create(
        checkpoint=checkpoint,
        witness=signer.name,
        group=group,
        line=signer.cosign(text, at).line(),
        cosigned_at=dt.datetime.fromtimestamp(at, tz=dt.UTC),
    )
