"""Map Terbuka's stages and Indonesian procurement methods to OCDS 1.1.5 codes.

Stages follow Bojonegoro's Open Data Kontrak; methods follow Perpres 16/2018 (Pengadaan
Barang/Jasa Pemerintah) and its amendment Perpres 12/2021.
"""

from __future__ import annotations

import re
from typing import Final

from terbuka.errors import ValidationError

# A registered ocid prefix: "ocds-" and 6 lowercase letters or digits, assigned by the Open
# Contracting Partnership (OCDS 1.1.5 §Open Contracting ID (ocid), "Registered prefix").
OCID_PREFIX_PATTERN: Final = re.compile(r"ocds-[a-z0-9]{6}")

STAGES: Final = ("planning", "tender", "award", "contract", "implementation")

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


def ocid_prefixes_parse(text: str, *, name: str) -> list[str]:
    """Return the comma-separated registered ocid prefixes in text, stripped, in order.

    Raises ValidationError (where = name) for an entry that is not "ocds-" + 6 lowercase
    letters or digits (OCDS 1.1.5 §Open Contracting ID (ocid)).
    Example: ("ocds-213czf, ocds-b5fd17", name="X") → ["ocds-213czf", "ocds-b5fd17"].
    """
    prefixes = [part.strip() for part in text.split(",") if part.strip()]
    for prefix in prefixes:
        if not OCID_PREFIX_PATTERN.fullmatch(prefix):
            raise ValidationError(
                f"{name}: {prefix!r} bukan prefiks ocid terdaftar ('ocds-' + 6 huruf kecil/angka)",
                f"{name}: {prefix!r} is not a registered ocid prefix "
                "('ocds-' + 6 lowercase letters/digits)",
                where=name,
            )
    return prefixes


# org-id.guide's code for the NPWP register of the Direktorat Jenderal Pajak (confirmed,
# primary list; https://org-id.guide/list/ID-DJP).
NPWP_SCHEME: Final = "ID-DJP"
