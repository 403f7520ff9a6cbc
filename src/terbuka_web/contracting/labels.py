"""Name every OCDS code people see in words: stages, release tags, document types, methods,
statuses. Pages never show a raw code; templates use the `label` filter (terbuka_words).

Each list maps a code to a translatable Indonesian label (English through the catalogue). A
code of the OCDS 1.1.5 codelists that Terbuka itself never writes (imported data) falls back to
the codelist's English title, and a code outside the codelists to itself.
Example: code_label("procurementPlan", "documentType") → "DPA (Dokumen Pelaksanaan Anggaran)".
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from terbuka.ocds.rules import codelist_titles
from terbuka_web.common.bilingual import in_both
from terbuka_web.contracting.models import Category, Method, Stage
from terbuka_web.flags.words import TITLES as FLAG_TITLES

_STATUS = {
    "planning": _("Direncanakan"),
    "planned": _("Dijadwalkan"),
    "pending": _("Menunggu"),
    "active": _("Aktif"),
    "cancelled": _("Dibatalkan"),
    "unsuccessful": _("Gagal"),
    "complete": _("Selesai"),
    "withdrawn": _("Ditarik"),
    "terminated": _("Diputus"),
}

LABELS: dict[str, dict[str, Promise]] = {
    "flag": FLAG_TITLES,  # red-flag indicator codes (R018, ID001…)
    "stage": {s.value: s.label for s in Stage},
    "method": {m.value: m.label for m in Method},
    "category": {c.value: c.label for c in Category},
    "procurementMethod": {
        "open": _("Terbuka untuk umum"),
        "selective": _("Selektif"),
        "limited": _("Terbatas"),
        "direct": _("Langsung"),
    },
    "releaseTag": {
        "planning": _("Perencanaan"),
        "planningUpdate": _("Pembaruan perencanaan"),
        "tender": _("Pemilihan Penyedia"),
        "tenderUpdate": _("Pembaruan pemilihan penyedia"),
        "tenderAmendment": _("Perubahan pemilihan penyedia"),
        "tenderCancellation": _("Pembatalan pemilihan penyedia"),
        "award": _("Pemenang"),
        "awardUpdate": _("Pembaruan pemenang"),
        "awardCancellation": _("Pembatalan pemenang"),
        "contract": _("Kontrak"),
        "contractUpdate": _("Pembaruan kontrak"),
        "contractAmendment": _("Adendum kontrak"),
        "contractTermination": _("Pemutusan kontrak"),
        "implementation": _("Implementasi"),
        "implementationUpdate": _("Pembaruan implementasi"),
        "compiled": _("Rilis gabungan"),
    },
    "documentType": {
        "procurementPlan": _("DPA (Dokumen Pelaksanaan Anggaran)"),
        "projectPlan": _("Renja SKPD"),
        "needsAssessment": _("KAK perencanaan"),
        "technicalSpecifications": _("KAK pelaksanaan"),
        "biddingDocuments": _("Dokumen pemilihan"),
        "tenderNotice": _("Pengumuman"),
        "awardNotice": _("Pengumuman pemenang"),
        "evaluationReports": _("Berita acara hasil evaluasi"),
        "contractSigned": _("Kontrak / SPK"),
        "contractSchedule": _("Jadwal kegiatan"),
        "physicalProgressReport": _("Laporan kemajuan fisik"),
        "financialProgressReport": _("Laporan keuangan"),
        "completionCertificate": _("Berita acara serah terima"),
    },
    "tenderStatus": _STATUS,
    "awardStatus": _STATUS,
    "contractStatus": _STATUS,
    "milestoneStatus": {
        "scheduled": _("Terjadwal"),
        "met": _("Tercapai"),
        "partiallyMet": _("Tercapai sebagian"),
        "notMet": _("Tidak tercapai"),
    },
}

# Lists whose codes come from an OCDS 1.1.5 codelist (the fallback's English titles).
CODELISTS = {
    "procurementMethod": "method.csv",
    "releaseTag": "releaseTag.csv",
    "documentType": "documentType.csv",
    "tenderStatus": "tenderStatus.csv",
    "awardStatus": "awardStatus.csv",
    "contractStatus": "contractStatus.csv",
    "milestoneStatus": "milestoneStatus.csv",
}


def code_label(code: Any, kind: str) -> str:
    """Return the label of code in the list kind (a key of LABELS), in the active language.

    Unknown codes fall back to their OCDS codelist title, then to the code itself; a list of
    codes gives its labels joined by ", ". Raises KeyError for an unknown kind.
    Example: code_label(["tender", "tenderAmendment"], "releaseTag") →
    "Pemilihan Penyedia, Perubahan pemilihan penyedia".
    """
    labels = LABELS[kind]
    if isinstance(code, list | tuple):
        return ", ".join(code_label(c, kind) for c in code)
    if code in labels:
        return str(labels[code])
    titles = codelist_titles(CODELISTS[kind]) if kind in CODELISTS else {}
    return titles.get(code, "" if code is None else str(code))


def choices_of(kind: str, codes: tuple[str, ...]) -> list[tuple[str, Promise]]:
    """Return (code, label) form choices for codes of the list kind, in that order."""
    return [(code, LABELS[kind][code]) for code in codes]


def label_pair(code: Any, kind: str) -> tuple[str, str]:
    """Return code's label in Bahasa Indonesia and in English, for a bilingual message.

    Example: label_pair("planning", "stage") → ("Perencanaan", "Planning").
    """
    return in_both(lambda: code_label(code, kind))
