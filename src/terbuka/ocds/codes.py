"""Map Terbuka's stages and Indonesian procurement methods to OCDS 1.1.5 codes.

Stages follow Bojonegoro's Open Data Kontrak; methods follow Perpres 16/2018 (Pengadaan
Barang/Jasa Pemerintah) and its amendment Perpres 12/2021.
"""

from __future__ import annotations

from typing import Final

STAGES: Final = ("planning", "tender", "award", "contract", "implementation")

STAGE_LABELS_ID: Final = {
    "planning": "Perencanaan",
    "tender": "Pemilihan Penyedia",
    "award": "Pemenang",
    "contract": "Kontrak",
    "implementation": "Implementasi",
}

# First publication of a stage uses the stage tag; later publications use the update tag.
STAGE_TAGS: Final = {stage: (stage, f"{stage}Update") for stage in STAGES}
AMENDMENT_TAGS: Final = {"tender": "tenderAmendment", "contract": "contractAmendment"}

# Indonesian method → (OCDS procurementMethod, procurementMethodDetails).
METHODS: Final = {
    "tender": ("open", "Tender"),
    "seleksi": ("open", "Seleksi"),
    "pengadaan_langsung": ("limited", "Pengadaan Langsung"),
    "penunjukan_langsung": ("direct", "Penunjukan Langsung"),
    "e_purchasing": ("selective", "E-Purchasing"),
}
METHOD_BY_DETAILS: Final = {details: code for code, (_, details) in METHODS.items()}


def stage_of_tags(tags: list[str]) -> str | None:
    """Return the stage a release's tags belong to (the latest stage named), or None."""
    found = None
    for stage in STAGES:
        for tag in tags:
            if tag.startswith(stage):
                found = stage
                break
    return found


# org-id.guide's code for the NPWP register of the Direktorat Jenderal Pajak (confirmed,
# primary list; https://org-id.guide/list/ID-DJP).
NPWP_SCHEME: Final = "ID-DJP"
