"""The governance app's dataset in the open-data catalogue: the consortium's decisions."""

from __future__ import annotations

from django.db.models import Max

from terbuka_web.catalog.providers import governments, walidata
from terbuka_web.catalog.registry import Dataset, Distribution
from terbuka_web.governance.models import Decision


def governance_datasets() -> list[Dataset]:
    """Return the consortium's decisions and the publication scope in force, once decided."""
    last = Decision.objects.aggregate(last=Max("decided_at"))["last"]
    if last is None:
        return []
    distributions = (
        Distribution(
            "decisions-json", "Keputusan (JSON)", "Decisions (JSON)",
            "/api/governance/decisions", "application/json", "JSON",
            "Setiap keputusan dengan hitungan suara dan nomor entri log.",
            "Every decision with its tally and log entry index.",
        ),
        Distribution(
            "decisions-atom", "Keputusan (Atom)", "Decisions (Atom feed)",
            "/konsorsium/keputusan.atom", "application/atom+xml", "ATOM",
        ),
        Distribution(
            "scope-json", "Cakupan publikasi (JSON)", "Publication scope (JSON)",
            "/api/governance/scope", "application/json", "JSON",
            "Kebijakan cakupan yang berlaku dan keputusan asalnya.",
            "The publication scope in force and the decision it comes from.",
        ),
    )  # fmt: skip
    return [
        Dataset(
            name="keputusan-konsorsium",
            title="Keputusan konsorsium",
            title_en="Consortium decisions",
            description=(
                "Keputusan anggota konsorsium dengan suara bertanda tangan dan kuorum, "
                "termasuk fase cakupan publikasi, tercatat di log transparansi."
            ),
            description_en=(
                "The consortium members' decisions, by signed votes and quorum, the "
                "publication scope's phases included, recorded in the transparency log."
            ),
            producer=walidata(),
            spatial=governments(),
            distributions=distributions,
            keywords=("konsorsium", "governance", "keputusan", "decisions", "cakupan"),
            themes=("GOVE",),
            modified=last,
        )
    ]
