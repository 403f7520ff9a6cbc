"""Seed the demo benefit programmes: a fictional registry and two programmes adopted by the
demo consortium's signed decisions.

The registry: 5–10 fictional households in each of Bojonegoro's villages, with synthetic NIKs
of valid format (the village's district, a real birth date, a serial) that belong to nobody,
a few flagged deceased and two NIK duplicates; imported through registry_import as an
operator's CSV would be. The programmes: a monthly cash transfer by income decile, and flood
relief for four kecamatan along the Bengawan Solo (on_disaster), whose cycle the benefits tick
starts from the flood declared over them, with completed disbursement cycles. Each
rule set is proposed as a programme_rules proposal and voted by the demo members' keys in
DATA_DIR/demo-consortium (made by consortium.py), recused members abstaining. Runs only once
(no programme yet) and only after the demo consortium exists.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from terbuka.governance.keys import private_key_load
from terbuka.governance.vote import vote_sign
from terbuka_web.accounts.models import Agency
from terbuka_web.benefits.cycles import cycle_run
from terbuka_web.benefits.disasters import disaster_declare
from terbuka_web.benefits.models import Programme
from terbuka_web.benefits.registry import registry_import
from terbuka_web.benefits.schedule import benefits_tick
from terbuka_web.benefits.services import programme_create, programme_rules_propose
from terbuka_web.common.demo.consortium import ADMITTED, FOUNDERS
from terbuka_web.common.demo.seed import GOVERNMENT
from terbuka_web.governance.models import Decision, Member, Proposal
from terbuka_web.governance.services import vote_cast
from terbuka_web.regions.models import Region

FLOOD_DISTRICTS = ("35.22.10", "35.22.11", "35.22.15", "35.22.23")  # Baureno, Kanor, Kota, Trucuk
FIRST = (
    "Siti",
    "Sri",
    "Sumarni",
    "Suparmi",
    "Wartini",
    "Endang",
    "Sulastri",
    "Budi",
    "Slamet",
    "Sugeng",
    "Joko",
    "Paijo",
    "Sutrisno",
    "Mulyadi",
    "Warsito",
    "Rukmini",
    "Kasmi",
    "Darmaji",
)
LAST = (
    "Rahayu",
    "Lestari",
    "Wahyuni",
    "Santoso",
    "Purnomo",
    "Hartono",
    "Widodo",
    "Susanto",
    "Prasetyo",
    "Handayani",
    "Setiawan",
    "Kurniawati",
    "Sudarsono",
    "Wibowo",
)
DUSUN = ("Krajan", "Ngablak", "Sidomulyo", "Tegalrejo", "Karangasem", "Ngampel", "Jatirejo")
CASH_RULES = {
    "eligibility": "desil <= p.max_desil",
    "entitlement": "p.base + (household > 4 ? p.per_member * (household - 4) : 0)"
    " + (disabilitas || lansia ? p.care : 0)",
    "parameters": {"max_desil": 3, "base": 300000, "per_member": 50000, "care": 100000},
}
CASH_TEXT = (
    "Keluarga pada desil pendapatan 1–3 menerima Rp 300.000 per bulan, ditambah Rp 50.000 per "
    "anggota keluarga di atas empat orang dan Rp 100.000 bila ada anggota penyandang "
    "disabilitas atau lansia. Penerima meninggal dan NIK ganda selalu ditolak."
)
FLOOD_RULES = {
    "eligibility": 'desil <= p.max_desil && disaster_zones.exists(z, region.startsWith(z + "."))',
    "entitlement": "p.base + p.per_member * household",
    "parameters": {"max_desil": 6, "base": 750000, "per_member": 150000},
}  # fmt: skip
FLOOD_TITLE = "Banjir Bengawan Solo"
FLOOD_DAYS = 30
FLOOD_TEXT = (
    "Keluarga desil 1–6 di kecamatan Baureno, Kanor, Bojonegoro dan Trucuk yang dilanda banjir "
    "Bengawan Solo menerima sekali Rp 750.000 ditambah Rp 150.000 per anggota keluarga."
)


def _nik(rng: random.Random, village: str, serial: int) -> str:
    """Return a synthetic NIK of valid format for a resident of village (belongs to nobody)."""
    born = dt.date(1945, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 60))
    day = born.day + (40 if rng.random() < 0.5 else 0)
    return f"{village[:8].replace('.', '')}{day:02d}{born:%m%y}{serial:04d}"


def registry_csv(villages: list[str], *, seed: int = 2026) -> bytes:
    """Return a demo registry CSV: 5–10 fictional households per village, a few deceased,
    and the first two NIKs repeated (duplicates the import flags)."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["nik", "no_kk", "nama", "alamat", "kode_desa", "anggota_keluarga", "desil",
                     "disabilitas", "lansia", "meninggal"])  # fmt: skip
    serial, rows = 1, []
    for village in villages:
        for _ in range(rng.randint(5, 10)):
            serial += 1
            kk = f"{village[:8].replace('.', '')}{rng.randint(10**9, 10**10 - 1)}"
            rows.append([
                _nik(rng, village, serial % 9999 + 1), kk,
                f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                f"Dusun {rng.choice(DUSUN)} RT {rng.randint(1, 9):02d}/RW {rng.randint(1, 5):02d}",
                village, rng.randint(1, 8), rng.choices(range(1, 11), weights=range(10, 0, -1))[0],
                int(rng.random() < 0.05), int(rng.random() < 0.15), int(rng.random() < 0.02),
            ])  # fmt: skip
    rows += [[rows[0][0], *rows[0][1:4], rows[5][4], *rows[5][5:]], list(rows[1])]
    writer.writerows(rows)
    return out.getvalue().encode()


def _adopt(proposal: Proposal) -> None:
    """Vote yes with the demo members' keys (recused ones abstain from voting) until decided."""
    directory = Path(settings.DATA_DIR) / "demo-consortium"
    recused = set(proposal.recusals.values_list("member_id", flat=True))
    names = {name: slug for slug, name, _kind in FOUNDERS + ADMITTED}
    for member in Member.objects.filter(status=Member.Status.ACTIVE).order_by("id"):
        if Decision.objects.filter(proposal=proposal).exists():
            return
        if member.pk in recused or member.name not in names:
            continue
        path = directory / f"{names[member.name]}.pem"
        key = private_key_load(path.read_bytes(), str(path))
        vote_cast(proposal=proposal, signed=vote_sign(key, proposal.hash, "yes").format().decode())


def demo_benefits_create(*, seed: int = 2026) -> int | None:
    """Seed the demo registry and programmes; return the registrants imported, or None when
    programmes exist already or there is no demo consortium to decide their rules."""
    if Programme.objects.exists() or not Member.objects.exists():
        return None
    villages = list(
        Region.objects.filter(level=Region.Level.VILLAGE, code__startswith=f"{GOVERNMENT}.")
        .order_by("code")
        .values_list("code", flat=True)
    )
    source = registry_import(actor=None, filename="demo-dtsen.csv", data=registry_csv(villages))
    dinsos = Agency.objects.get(code=f"{GOVERNMENT.replace('.', '')}-dinsos")
    today = timezone.localdate()
    week = timezone.now() + dt.timedelta(days=7)
    year = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    specs = [
        ("blt-desil", "Bantuan Langsung Tunai Daerah", "Bantuan tunai bulanan bagi keluarga "
         "berpendapatan terendah.", 12_000_000_000, year, CASH_RULES, CASH_TEXT),
        ("banjir-bengawan-solo", "Bantuan Korban Banjir Bengawan Solo", "Bantuan sekali bagi "
         "keluarga terdampak banjir.", 2_500_000_000, (today, today + dt.timedelta(days=90)),
         FLOOD_RULES, FLOOD_TEXT),
    ]  # fmt: skip
    demo_flood_declare(today)  # before the relief's rules: their village totals see its zones
    for slug, name, about, budget, (start, end), rules, text in specs:
        with transaction.atomic():
            programme = programme_create(
                actor=None, slug=slug, name=name, description=about, budget=budget,
                period_start=start, period_end=end, regions=[GOVERNMENT], agency=dinsos,
                on_disaster=rules is FLOOD_RULES,
            )  # fmt: skip
            proposal = programme_rules_propose(
                actor=None, programme=programme, rules=rules, text=text, deadline=week
            )
            _adopt(proposal)
    demo_cycles_run()
    return source.rows


def demo_flood_declare(today: dt.date) -> None:
    """Declare the Bengawan Solo flood over FLOOD_DISTRICTS from today (a benefit.disaster log
    entry): its zones are in the flood relief's rules while it is in force."""
    disaster_declare(
        actor=None, title=FLOOD_TITLE, regions=list(FLOOD_DISTRICTS), starts_on=today,
        ends_on=today + dt.timedelta(days=FLOOD_DAYS),
    )  # fmt: skip


def demo_cycles_run() -> None:
    """Run completed disbursement cycles of the demo programmes whose rules were adopted: the
    flood relief's, started by the benefits tick from the declared flood as `terbuka serve`
    would, and two monthly cycles of the cash programme (started as an officer would)."""
    benefits_tick(today=timezone.localdate())
    cash = Programme.objects.filter(slug="blt-desil", current__isnull=False).first()
    for _ in range(2 if cash is not None else 0):
        cycle_run(programme=cash)  # type: ignore[arg-type]
