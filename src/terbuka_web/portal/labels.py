"""Name in words what the process story shows: release kinds and OCDS fields (statuses and
stages come from contracting.labels and portal.selectors).

Keys of FIELD_LABELS are terbuka.ocds.diff.FieldChange.field values (keys joined by "/");
fields neither labelled nor hidden are shown under their OCDS path.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

TAG_LABELS = {
    "planning": gettext_lazy("Rencana dan anggaran diterbitkan"),
    "planningUpdate": gettext_lazy("Rencana diperbarui"),
    "tender": gettext_lazy("Pemilihan penyedia diumumkan"),
    "tenderUpdate": gettext_lazy("Data pemilihan penyedia diperbarui"),
    "tenderAmendment": gettext_lazy("Pemilihan penyedia diubah (amandemen)"),
    "award": gettext_lazy("Pemenang ditetapkan"),
    "awardUpdate": gettext_lazy("Data pemenang diperbarui"),
    "contract": gettext_lazy("Kontrak ditandatangani"),
    "contractUpdate": gettext_lazy("Data kontrak diperbarui"),
    "contractAmendment": gettext_lazy("Kontrak diubah (adendum)"),
    "implementation": gettext_lazy("Laporan pelaksanaan pertama"),
    "implementationUpdate": gettext_lazy("Laporan pelaksanaan diperbarui"),
}
# Field (keys joined by "/", see terbuka.ocds.diff.FieldChange.field) → label. Fields not
# named here and not in HIDDEN_FIELDS are shown under their OCDS path.
FIELD_LABELS = {
    "title": gettext_lazy("Judul"),
    "description": gettext_lazy("Uraian"),
    "buyer/name": gettext_lazy("Pembeli"),
    "planning/rationale": gettext_lazy("Alasan kebutuhan"),
    "planning/budget/id": gettext_lazy("Kode rekening anggaran"),
    "planning/budget/description": gettext_lazy("Keterangan anggaran"),
    "planning/budget/amount/amount": gettext_lazy("Pagu anggaran"),
    "planning/budget/project": gettext_lazy("Kegiatan"),
    "tender/title": gettext_lazy("Judul pemilihan"),
    "tender/status": gettext_lazy("Status pemilihan"),
    "tender/procuringEntity/name": gettext_lazy("Pelaksana pengadaan"),
    "tender/procurementMethodDetails": gettext_lazy("Metode pemilihan"),
    "tender/tenderPeriod/startDate": gettext_lazy("Masa penawaran mulai"),
    "tender/tenderPeriod/endDate": gettext_lazy("Masa penawaran berakhir"),
    "tender/value/amount": gettext_lazy("Nilai HPS"),
    "tender/items/description": gettext_lazy("Barang/pekerjaan"),
    "tender/items/quantity": gettext_lazy("Volume"),
    "tender/items/unit/name": gettext_lazy("Satuan"),
    "tender/items/unit/value/amount": gettext_lazy("Harga satuan"),
    "tender/amendments/rationale": gettext_lazy("Alasan amandemen pemilihan"),
    "tender/amendments/date": gettext_lazy("Tanggal amandemen"),
    "awards/status": gettext_lazy("Status pemenang"),
    "awards/date": gettext_lazy("Tanggal penetapan pemenang"),
    "awards/value/amount": gettext_lazy("Nilai pemenang"),
    "awards/suppliers/name": gettext_lazy("Penyedia pemenang"),
    "contracts/title": gettext_lazy("Judul kontrak"),
    "contracts/description": gettext_lazy("Keterangan kontrak"),
    "contracts/status": gettext_lazy("Status kontrak"),
    "contracts/value/amount": gettext_lazy("Nilai kontrak"),
    "contracts/period/startDate": gettext_lazy("Kontrak mulai"),
    "contracts/period/endDate": gettext_lazy("Kontrak berakhir"),
    "contracts/dateSigned": gettext_lazy("Tanggal tanda tangan"),
    "contracts/amendments/rationale": gettext_lazy("Alasan adendum kontrak"),
    "contracts/amendments/date": gettext_lazy("Tanggal adendum"),
    "contracts/implementation/milestones/title": gettext_lazy("Tahapan pekerjaan"),
    "contracts/implementation/milestones/status": gettext_lazy("Status tahapan"),
    "contracts/implementation/milestones/dueDate": gettext_lazy("Tenggat tahapan"),
    "contracts/implementation/milestones/dateMet": gettext_lazy("Tahapan tercapai pada"),
    "contracts/implementation/milestones/description": gettext_lazy("Progres fisik (%)"),
    "contracts/implementation/transactions/date": gettext_lazy("Tanggal pembayaran"),
    "contracts/implementation/transactions/value/amount": gettext_lazy("Nilai pembayaran"),
    "contracts/implementation/transactions/payee/name": gettext_lazy("Penerima pembayaran"),
    "parties/name": gettext_lazy("Nama pihak"),
}
# Lifecycle sections in order; a field belongs to the longest prefix it starts with.
SECTION_LABELS = {
    "planning": gettext_lazy("Perencanaan dan anggaran"),
    "tender": gettext_lazy("Pemilihan penyedia"),
    "awards": gettext_lazy("Penawaran dan pemenang"),
    "contracts": gettext_lazy("Kontrak"),
    "contracts/implementation": gettext_lazy("Pelaksanaan"),
    "parties": gettext_lazy("Pihak"),
    "": gettext_lazy("Lainnya"),
}
# Identifiers and codes that repeat what a labelled field already says.
HIDDEN_FIELDS = frozenset(
    [
        "ocid",
        "initiationType",
        "language",
        "buyer/id",
        "tender/id",
        "tender/procuringEntity/id",
        "tender/procurementMethod",
        "tender/amendments/id",
        "tender/amendments/releaseID",
        "awards/id",
        "awards/suppliers/id",
        "contracts/id",
        "contracts/awardID",
        "contracts/amendments/id",
        "contracts/amendments/releaseID",
        "contracts/implementation/milestones/id",
        "contracts/implementation/milestones/type",
        "contracts/implementation/milestones/code",
        "contracts/implementation/milestones/dateModified",
        "contracts/implementation/transactions/id",
        "contracts/implementation/transactions/payer/id",
        "contracts/implementation/transactions/payer/name",
        "contracts/implementation/transactions/payee/id",
        "parties/id",
        "parties/roles",
        "parties/identifier/scheme",
        "parties/identifier/id",
        "parties/identifier/legalName",
    ]
)
DATE_KEYS = frozenset(
    ["date", "startDate", "endDate", "dateSigned", "dueDate", "dateMet", "datePublished"]
)

# What a release's summary on the process page lists first (the rest counts as "dan N lain").
SUMMARY_FIELDS = frozenset(
    [
        "planning/budget/amount/amount",
        "planning/budget/project",
        "tender/procurementMethodDetails",
        "tender/tenderPeriod/endDate",
        "tender/value/amount",
        "awards/suppliers/name",
        "awards/value/amount",
        "contracts/value/amount",
        "contracts/period/endDate",
        "contracts/dateSigned",
        "contracts/implementation/milestones/status",
        "contracts/implementation/milestones/description",
        "contracts/implementation/transactions/value/amount",
    ]
)
