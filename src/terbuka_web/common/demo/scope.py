"""Seed the demo's publication scope through the demo consortium's decisions.

The pilot phase was decided earlier (the story: proposed, voted and decided DECIDED_AGO days
ago, in force from a few days later), so the coverage page shows stages on time, late and
missing. The clock is set back for those service calls only (unittest.mock on
django.utils.timezone.now), the services themselves unchanged: a version still exists only
through its decision. Then an open proposal for the expansion phase, with its dry run.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone

from terbuka_web.common.demo.votes import vote_until_decided
from terbuka_web.governance.services import minutes_add, proposal_create

DECIDED_AGO = 320  # days
DEADLINES = {"planning": 10, "tender": 5, "award": 10, "contract": 10, "implementation": 15}
PILOT_RULE: dict[str, Any] = {
    "name": "Pengadaan langsung dan e-purchasing barang/jasa s.d. Rp200 juta",
    "categories": ["goods", "services"],
    "methods": ["pengadaan_langsung", "e_purchasing"],
    "value_max": 200_000_000,
}
PILOT: dict[str, Any] = {
    "format": "terbuka/scope/v1",
    "phase": "pilot",
    "rules": [PILOT_RULE],
    "deadlines": DEADLINES,
}
EXPANSION: dict[str, Any] = {
    "format": "terbuka/scope/v1",
    "phase": "expansion",
    "rules": [
        PILOT_RULE,
        {"name": "Pekerjaan konstruksi (infrastruktur)", "categories": ["works"]},
        {"name": "Tender dan seleksi di atas Rp2,5 miliar", "methods": ["tender", "seleksi"],
         "value_min": 2_500_000_000},
    ],
    "deadlines": DEADLINES,
}  # fmt: skip


def demo_scope_create(keys: dict[str, Ed25519PrivateKey], voters: list[str]) -> None:
    """Decide the pilot scope (in the story's past) and open the expansion proposal."""
    now = timezone.now()
    then = now - dt.timedelta(days=DECIDED_AGO)
    with mock.patch("django.utils.timezone.now", return_value=then):
        pilot = proposal_create(
            actor=None, type="scope_change", title="Cakupan publikasi fase pilot",
            body="Fase pilot: pengadaan bernilai kecil (alat tulis kantor, peralatan kecil, jasa "
            "sederhana) wajib dipublikasikan dengan tenggat dalam hari kerja.",
            payload={"policy": PILOT}, deadline=then + dt.timedelta(days=7),
            effective_from=then + dt.timedelta(days=10),
        )  # fmt: skip
        vote_until_decided(pilot, keys, voters)
        minutes_add(
            actor=None, decision=pilot.decision,
            text="Rapat pleno: cakupan fase pilot disetujui, berlaku sepuluh hari kemudian.",
        )  # fmt: skip
    proposal_create(
        actor=None, type="scope_change", title="Cakupan publikasi fase perluasan",
        body="Fase perluasan: pekerjaan konstruksi dan pengadaan bernilai besar ikut wajib. "
        "Uji coba pada data terbit saat ini menyertai usulan ini.",
        payload={"policy": EXPANSION}, deadline=now + dt.timedelta(days=14),
        effective_from=now + dt.timedelta(days=60),
    )  # fmt: skip
