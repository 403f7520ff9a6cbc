"""The budget app's dataset in the open-data catalogue: APBD and APBDes lines per year."""

from __future__ import annotations

from datetime import date

from terbuka_web.budget import selectors
from terbuka_web.catalog.providers import walidata
from terbuka_web.catalog.registry import Dataset, Distribution

FDP_SPEC = "https://specs.frictionlessdata.io/fiscal-data-package/"


def _year_distributions(year: int) -> tuple[Distribution, ...]:
    base = f"/anggaran/data/{year}"
    return (
        Distribution(
            f"fdp-{year}", f"Fiscal Data Package {year}", f"Fiscal Data Package {year}",
            f"{base}/datapackage.json", "application/json", "JSON",
            f"Deskriptor Fiscal Data Package baris anggaran {year} (sumber: CSV di sebelahnya).",
            f"Fiscal Data Package descriptor of the {year} budget lines (the CSV beside it).",
            conforms_to=FDP_SPEC,
        ),
        Distribution(
            f"csv-{year}", f"Baris anggaran {year} (CSV)", f"Budget lines {year} (CSV)",
            f"{base}/anggaran.csv", "text/csv", "CSV",
            f"Setiap baris APBD dan APBDes yang berlaku tahun {year}, nilai dalam rupiah.",
            f"Every current APBD and APBDes line of {year}, amounts in Rupiah.",
        ),
    )  # fmt: skip


def budget_datasets() -> list[Dataset]:
    """Return the budget dataset, with a CSV and a Fiscal Data Package per fiscal year."""
    years = selectors.export_years()
    if not years:
        return []
    distributions = tuple(d for year in years for d in _year_distributions(year))
    return [
        Dataset(
            name="anggaran-apbd-apbdes",
            title="Anggaran daerah dan desa (APBD, APBDes)",
            title_en="Regional and village budgets (APBD, APBDes)",
            description=(
                "Baris anggaran pemerintah daerah (Permendagri 90/2019) dan desa (Permendagri "
                "20/2018): RKA, DPA, perubahan dan realisasi berdampingan, serta ringkasan DJPK."
            ),
            description_en=(
                "Budget lines of regional (Permendagri 90/2019) and village (Permendagri "
                "20/2018) governments: RKA, DPA, amended and realised side by side, and the "
                "DJPK summaries."
            ),
            producer=walidata(),
            distributions=distributions,
            keywords=("anggaran", "budget", "APBD", "APBDes", "fiscal data package"),
            themes=("ECON", "GOVE"),
            modified=selectors.export_modified(),
            temporal=(date(years[-1], 1, 1), date(years[0], 12, 31)),
            spatial=selectors.export_regions(),
            frequency="IRREG",
            conforms_to=FDP_SPEC,
        )
    ]
