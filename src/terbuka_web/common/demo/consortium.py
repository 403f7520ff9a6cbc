"""Seed the demo governance consortium: seven members over the five stakeholder classes.

Five founding members, then two admitted by signed decisions; declared interests; an open
proposal with a recused member; a citizen's dispute resolved by a decision; minutes; the
pilot scope's decision and the open expansion proposal (demo/scope.py). Every
member's decision-signing key is made here and kept in DATA_DIR/demo-consortium/ (mode 0600),
like the demo witness keys: the server's own rows hold only public keys, and in real use each
member keeps its key on its own device (docs/demo.md). Runs only on a consortium-less database.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.utils import timezone

from terbuka.governance.keys import private_key_generate, private_key_load, public_key_format
from terbuka.governance.vote import vote_sign
from terbuka_web.common.demo.road import TITLE as ROAD_TITLE
from terbuka_web.common.demo.scope import demo_scope_create
from terbuka_web.common.demo.votes import vote_until_decided
from terbuka_web.contracting.models import Release
from terbuka_web.governance.models import Member
from terbuka_web.governance.services import (
    MemberSpec,
    consortium_found,
    dispute_open,
    interest_declare,
    minutes_add,
    proposal_create,
    vote_cast,
)
from terbuka_web.transparency.models import LogEntry

FOUNDERS = (
    ("pemda", "Diskominfo Kabupaten Bojonegoro", "pemerintah"),
    ("inspektorat", "Inspektorat Kabupaten Bojonegoro", "auditor"),
    ("bi", "Bojonegoro Institute", "warga"),
    ("lab-ti", "Laboratorium Keamanan Informasi Universitas Bojonegoro", "teknologi"),
    ("lbh", "LBH Bojonegoro", "hukum"),
)
ADMITTED = (
    ("bpk", "BPK Perwakilan Provinsi Jawa Timur", "auditor"),
    ("forum-warga", "Forum Warga Peduli Anggaran", "warga"),
)


def _key(directory: Path, slug: str) -> Ed25519PrivateKey:
    """Return the demo member's key from directory/slug.pem, making it (0600) when missing."""
    path = directory / f"{slug}.pem"
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        pem, _public = private_key_generate()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
    return private_key_load(path.read_bytes(), str(path))


def _spec(slug: str, name: str, kind: str, keys: dict[str, Ed25519PrivateKey]) -> MemberSpec:
    return MemberSpec(name, kind, public_key_format(keys[slug].public_key().public_bytes_raw()))


def _disputed_record() -> str:
    """Return the record the demo citizen disputes: the road story's ocid, else the first
    published process's, else (a consortium seeded alone) the first logged admission's ref."""
    published = Release.objects.order_by("id")
    chosen = published.filter(process__title=ROAD_TITLE).first() or published.first()
    if chosen is not None:
        return chosen.ocid
    return str(LogEntry.objects.exclude(ref="").order_by("id").values_list("ref", flat=True)[0])


def demo_consortium_create() -> int | None:
    """Seed the demo consortium; return its number of members, or None when one exists."""
    if Member.objects.exists():
        return None
    directory = Path(settings.DATA_DIR) / "demo-consortium"
    slugs = [s for s, _n, _k in FOUNDERS + ADMITTED]
    keys = {slug: _key(directory, slug) for slug in slugs}
    consortium_found(actor=None, members=[_spec(s, n, k, keys) for s, n, k in FOUNDERS])
    week = timezone.now() + dt.timedelta(days=7)
    voters = [s for s, _n, _k in FOUNDERS]
    for slug, name, kind in ADMITTED:
        admit = proposal_create(
            actor=None, type="member_admit", title=f"Terima {name} sebagai anggota",
            body=f"Usulan penerimaan {name} (kelas {kind}).",
            payload=_spec(slug, name, kind, keys).as_data(), deadline=week,
        )  # fmt: skip
        vote_until_decided(admit, keys, voters)
        voters.append(slug)
        minutes_add(actor=None, decision=admit.decision, text=f"Rapat pleno: {name} diterima.")
    members = {m.name: m for m in Member.objects.all()}
    interest_declare(
        actor=None, member=members["Bojonegoro Institute"], kind="agency", value="dinsos"
    )
    interest_declare(
        actor=None, member=members["LBH Bojonegoro"], kind="family",
        value="Sepupu ketua LBH bekerja di Dinas Sosial",
    )  # fmt: skip
    dispute = dispute_open(
        opener="warga", record=_disputed_record(),
        description="Nilai kontrak di portal berbeda dengan SPK yang ditempel di kantor desa.",
    )  # fmt: skip
    resolve = proposal_create(
        actor=None, type="dispute_resolve", title=f"Selesaikan sengketa {dispute.code}",
        body="Telaah: nilai di portal salah ketik; PPK menerbitkan koreksi sebagai rilis baru.",
        payload={"dispute": dispute.code, "outcome": "Diterima: nilai dikoreksi lewat rilis baru "
                 "(koreksi, bukan suntingan).", "correction": "rilis koreksi tahap kontrak"},
        deadline=week,
    )  # fmt: skip
    vote_until_decided(resolve, keys, voters)
    minutes_add(actor=None, decision=resolve.decision, text="Rapat pleno: sengketa selesai.")
    pending = proposal_create(
        actor=None, type="charter_amend", title="Piagam: Dinas Sosial melapor tiap triwulan",
        body="Usulan amandemen piagam: Dinas Sosial melapor penyaluran bantuan tiap triwulan.",
        payload={"text": "Dinas Sosial menyampaikan laporan penyaluran bantuan sosial kepada "
                 "konsorsium setiap triwulan, dengan angka per desa."},
        touches={"agencies": ["dinsos"]}, deadline=week,
    )  # fmt: skip
    vote_cast(
        proposal=pending, signed=vote_sign(keys["pemda"], pending.hash, "yes").format().decode()
    )
    demo_scope_create(keys, voters)
    return Member.objects.count()
