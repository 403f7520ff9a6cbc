"""The benefits app's dataset in the open-data catalogue: per-village totals of each cycle.

Never a registrant: only programme, cycle and village totals (the acceptance API's shape).
"""

from __future__ import annotations

from django.db.models import Max

from terbuka_web.benefits.models import Cycle, Programme
from terbuka_web.catalog.providers import walidata
from terbuka_web.catalog.registry import Dataset, Distribution


def _cycle_distribution(programme: str, number: int) -> Distribution:
    return Distribution(
        f"{programme}-{number}", f"{programme} siklus {number}", f"{programme} cycle {number}",
        f"/api/benefits/programmes/{programme}/cycles/{number}/villages",
        "application/json", "JSON",
        "Dialokasikan, dikreditkan, dibelanjakan, ditarik kembali dan ditolak per desa.",
        "Allocated, credited, spent, clawed back and refused per village.",
    )  # fmt: skip


def _regions() -> tuple[str, ...]:
    """Return the region codes the programmes cover."""
    covered = Programme.objects.values_list("regions", flat=True)
    return tuple(sorted({code for codes in covered for code in codes}))


def benefits_datasets() -> list[Dataset]:
    """Return the benefit programmes with a distribution per finished cycle, once one exists."""
    done = Cycle.objects.filter(status=Cycle.Status.DONE)
    cycles = done.order_by("programme__slug", "number").values_list("programme__slug", "number")
    if not cycles:
        return []
    programmes = Distribution(
        "programmes-json", "Program bantuan (JSON)", "Benefit programmes (JSON)",
        "/api/benefits/programmes", "application/json", "JSON",
        "Program, hash aturan yang berlaku dan nomor siklusnya.",
        "Programmes, the hash of the rules in force and their cycle numbers.",
    )  # fmt: skip
    return [
        Dataset(
            name="bantuan-per-desa",
            title="Penyaluran bantuan per desa",
            title_en="Benefit disbursements per village",
            description=(
                "Total per desa setiap siklus penyaluran; dapat diperiksa ulang dari log "
                "transparansi dengan `terbuka verify --programme P --cycle C`. Tanpa identitas."
            ),
            description_en=(
                "Per-village totals of every disbursement cycle, re-checkable from the "
                "transparency log with `terbuka verify --programme P --cycle C`. No identity."
            ),
            producer=walidata(),
            spatial=_regions(),
            distributions=(programmes, *(_cycle_distribution(p, n) for p, n in cycles)),
            keywords=("bantuan sosial", "social assistance", "penyaluran", "desa"),
            themes=("SOCI", "GOVE"),
            modified=done.aggregate(last=Max("finished_at"))["last"],
            frequency="MONTHLY",
        )
    ]
