"""The openness app's dataset in the open-data catalogue: the openness index per agency."""

from __future__ import annotations

from terbuka_web.catalog.providers import governments, walidata
from terbuka_web.catalog.registry import Dataset, Distribution
from terbuka_web.openness import selectors


def openness_datasets() -> list[Dataset]:
    """Return the openness index (per agency and year, each component), once computable."""
    if not selectors.years():
        return []
    distribution = Distribution(
        "index-json", "Indeks keterbukaan (JSON)", "Openness index (JSON)",
        "/api/openness", "application/json", "JSON",
        "Skor per perangkat daerah dan tahun dengan setiap komponen (pembilang, penyebut).",
        "Score per agency and year with every component (numerator, denominator).",
    )  # fmt: skip
    return [
        Dataset(
            name="indeks-keterbukaan",
            title="Indeks keterbukaan perangkat daerah",
            title_en="Openness index of agencies",
            description=(
                "Cakupan, kelengkapan lima tahap, ketepatan waktu, dokumen, tanda bahaya dan "
                "tanggapan laporan warga; rumus terbuka (docs/openness.md)."
            ),
            description_en=(
                "Coverage, completeness of the five stages, timeliness, documents, red flags "
                "and answers to citizens' reports; an open formula (docs/openness.md)."
            ),
            producer=walidata(),
            spatial=governments(),
            distributions=(distribution,),
            keywords=("keterbukaan", "openness", "indeks", "index"),
            themes=("GOVE",),
            frequency="DAILY",
        )
    ]
