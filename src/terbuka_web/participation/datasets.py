"""The participation app's dataset in the open-data catalogue: citizens' reports.

Only what the public pages show: no *rahasia* case, no *anonim* reporter.
"""

from __future__ import annotations

from django.db.models import Max

from terbuka_web.catalog.providers import governments, walidata
from terbuka_web.catalog.registry import Dataset, Distribution
from terbuka_web.participation.models import CaseEvent


def participation_datasets() -> list[Dataset]:
    """Return the citizens' reports and their statistics, once a public case exists."""
    public = CaseEvent.objects.filter(case__rahasia=False)
    last = public.aggregate(last=Max("at"))["last"]
    if last is None:
        return []
    distributions = (
        Distribution(
            "requests-json", "Laporan (Open311, JSON)", "Reports (Open311, JSON)",
            "/open311/v2/requests.json", "application/json", "JSON",
            "Laporan publik dalam GeoReport v2.", "Public reports in GeoReport v2.",
            conforms_to="http://wiki.open311.org/GeoReport_v2",
        ),
        Distribution(
            "requests-xml", "Laporan (Open311, XML)", "Reports (Open311, XML)",
            "/open311/v2/requests.xml", "text/xml", "XML",
            conforms_to="http://wiki.open311.org/GeoReport_v2",
        ),
        Distribution(
            "statistics-json", "Statistik tindak lanjut (JSON)", "Follow-up statistics (JSON)",
            "/api/lapor/statistics", "application/json", "JSON",
            "Diterima, diteruskan dan ditindaklanjuti tepat waktu, eskalasi, median hari.",
            "Received, forwarded and answered on time, escalated, median days.",
        ),
    )  # fmt: skip
    return [
        Dataset(
            name="laporan-warga",
            title="Laporan warga (LAPOR!)",
            title_en="Citizens' reports (LAPOR!)",
            description=(
                "Pengaduan, aspirasi dan permintaan layanan warga yang tidak rahasia, dengan "
                "status dan tenggat hari kerja; identitas pelapor anonim tidak pernah ada."
            ),
            description_en=(
                "Citizens' complaints, aspirations and service requests that are not "
                "confidential, with their state and working-day deadlines; never an anonymous "
                "reporter's identity."
            ),
            producer=walidata(),
            spatial=governments(),
            distributions=distributions,
            keywords=("pengaduan", "complaints", "LAPOR", "Open311", "partisipasi"),
            themes=("GOVE", "SOCI"),
            modified=last,
            frequency="CONT",
        )
    ]
