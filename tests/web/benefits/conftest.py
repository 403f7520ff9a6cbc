"""Fixtures of the benefits tests: Bojonegoro's regions and agencies, a consortium whose keys
the test holds, a registry CSV builder and a programme with rules adopted by decision."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone

from terbuka.governance.keys import public_key_format
from terbuka.governance.vote import vote_sign
from terbuka_web.accounts.models import Agency
from terbuka_web.accounts.services import agencies_seed
from terbuka_web.benefits.models import Programme
from terbuka_web.benefits.services import programme_create, programme_rules_propose
from terbuka_web.governance.models import Decision, Proposal
from terbuka_web.governance.services import MemberSpec, consortium_found, vote_cast

HEADER = "nik,no_kk,nama,alamat,kode_desa,anggota_keluarga,desil,disabilitas,lansia,meninggal"
CASH = {
    "eligibility": "desil <= p.max_desil",
    "entitlement": "p.base + (household > 4 ? p.extra : 0)",
    "parameters": {"max_desil": 3, "base": 300000, "extra": 100000},
}
CASH_TEXT = "Keluarga desil 1–3 menerima Rp 300.000, ditambah Rp 100.000 bila lebih dari empat."


def person(n: int, village: str = "35.22.01.2001", **fields: Any) -> dict[str, Any]:
    """Return the CSV fields of fictional person n (valid-format NIK of village's district)."""
    district = village[:8].replace(".", "")
    row = {
        "nik": f"{district}{(n % 28) + 1:02d}0385{n + 1:04d}",
        "no_kk": f"{district}0101{n + 1:06d}",
        "nama": f"Warga Fiktif {n} Sukamaju",
        "alamat": f"Dusun Uji {n} RT 0{n % 9 + 1}",
        "kode_desa": village,
        "anggota_keluarga": 4,
        "desil": 2,
        "disabilitas": 0,
        "lansia": 0,
        "meninggal": 0,
    }
    row.update(fields)
    return row


def registry_bytes(people: list[dict[str, Any]]) -> bytes:
    """Return a registry CSV of people (dicts from person)."""
    lines = [HEADER] + [",".join(str(p[c]) for c in HEADER.split(",")) for p in people]
    return ("\n".join(lines) + "\n").encode()


@dataclass
class Consortium:
    """The members and the keys only the test holds."""

    keys: dict[int, Ed25519PrivateKey]

    def adopt(self, proposal: Proposal) -> Decision:
        """Vote yes with every non-recused member until the proposal is decided."""
        recused = set(proposal.recusals.values_list("member_id", flat=True))
        for member_id, key in self.keys.items():
            if Decision.objects.filter(proposal=proposal).exists():
                break
            if member_id not in recused:
                signed = vote_sign(key, proposal.hash, "yes").format().decode()
                vote_cast(proposal=proposal, signed=signed)
        return Decision.objects.get(proposal=proposal)


@pytest.fixture
def region(bojonegoro: str) -> list[Agency]:
    """Load Bojonegoro's regions and agencies."""
    return agencies_seed(actor=None)


@pytest.fixture
def consortium(db: None) -> Consortium:
    """Found a five-member consortium over the five classes."""
    keys = [Ed25519PrivateKey.generate() for _ in range(5)]
    classes = ["pemerintah", "auditor", "warga", "teknologi", "hukum"]
    specs = [
        MemberSpec(f"Anggota {c}", c, public_key_format(k.public_key().public_bytes_raw()))
        for c, k in zip(classes, keys, strict=True)
    ]
    members = consortium_found(actor=None, members=specs)
    return Consortium({m.pk: k for m, k in zip(members, keys, strict=True)})


def dinsos() -> Agency:
    return Agency.objects.get(code="3522-dinsos")


def programme_new(slug: str = "blt-uji", **fields: Any) -> Programme:
    """Create a programme of Dinas Sosial over Bojonegoro for this year."""
    values: dict[str, Any] = {
        "actor": None, "slug": slug, "name": "Bantuan Tunai Uji", "description": "Uji.",
        "budget": 1_000_000_000, "period_start": dt.date(2026, 1, 1),
        "period_end": dt.date(2026, 12, 31), "regions": ["35.22"], "agency": dinsos(),
    }  # fmt: skip
    values.update(fields)
    return programme_create(**values)


def propose(programme: Programme, rules: dict[str, Any] | None = None) -> Proposal:
    return programme_rules_propose(
        actor=None, programme=programme, rules=rules or CASH, text=CASH_TEXT,
        deadline=timezone.now() + dt.timedelta(days=7),
    )  # fmt: skip
