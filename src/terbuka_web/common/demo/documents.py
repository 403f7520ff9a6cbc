"""Write the text of each demo stage document (DPA, Renja, KAK, jadwal…) as a real PDF."""

from __future__ import annotations

import datetime as dt
from typing import Any

from terbuka_web.common.demo.generate import DocumentSpec, ProcessSpec
from terbuka_web.common.demo.pdf import pdf_render

HEADER = ("PEMERINTAH KABUPATEN BOJONEGORO",)
FOOTER = (
    "",
    "Dokumen contoh (data demo Terbuka), bukan dokumen resmi Pemerintah Kabupaten Bojonegoro.",
)
HEADINGS = {
    "procurementPlan": "DOKUMEN PELAKSANAAN ANGGARAN (DPA)",
    "projectPlan": "RENCANA KERJA (RENJA) PERANGKAT DAERAH - KUTIPAN",
    "needsAssessment": "KERANGKA ACUAN KERJA (KAK) PERENCANAAN",
    "technicalSpecifications": "KERANGKA ACUAN KERJA (KAK)",
    "biddingDocuments": "DOKUMEN PEMILIHAN",
    "tenderNotice": "PENGUMUMAN PEMILIHAN PENYEDIA",
    "awardNotice": "PENGUMUMAN PEMENANG",
    "evaluationReports": "BERITA ACARA HASIL EVALUASI",
    "contractSigned": "SURAT PERJANJIAN / SPK",
    "contractSchedule": "JADWAL PELAKSANAAN KEGIATAN",
    "physicalProgressReport": "LAPORAN KEMAJUAN FISIK",
    "financialProgressReport": "LAPORAN KEUANGAN KEGIATAN",
    "completionCertificate": "BERITA ACARA SERAH TERIMA PEKERJAAN",
}


def rupiah(amount: int) -> str:
    """Return amount in Indonesian notation, e.g. rupiah(1500000) == "Rp1.500.000"."""
    return "Rp" + f"{amount:,}".replace(",", ".")


def document_pdf(spec: ProcessSpec, document: DocumentSpec) -> bytes:
    """Return the PDF bytes of document, filled in from spec's stage data."""
    body = _BODIES.get(document.document_type, _generic)(spec, spec.stages)
    lines = [
        *HEADER,
        spec.agency_name.upper(),
        "",
        f"Kegiatan      : {spec.title}",
        f"Tahun anggaran: {spec.fiscal_year}",
        "",
        *body,
        *FOOTER,
    ]
    heading = HEADINGS.get(document.document_type, document.title)
    return pdf_render(title=heading, lines=lines, subject=document.title)


def _dpa(spec: ProcessSpec, data: dict[str, Any]) -> list[str]:
    plan = data["planning"]
    return [
        f"Kode sub kegiatan : {plan['budget_line']}",
        f"Sumber dana       : {plan['funding_source']}",
        f"Pagu anggaran     : {rupiah(plan['amount'])}",
        "",
        "Rincian belanja:",
        f"  5.1.02 Belanja barang dan jasa / 5.2 Belanja modal ... {rupiah(plan['amount'])}",
        "",
        f"Latar belakang: {plan['rationale']}",
    ]


def _renja(spec: ProcessSpec, data: dict[str, Any]) -> list[str]:
    plan = data["planning"]
    return [
        f"Program/kegiatan: {plan['project']}",
        "Indikator keluaran: tersedianya barang/pekerjaan sesuai spesifikasi (100%).",
        f"Lokasi: Kabupaten Bojonegoro. Pagu indikatif: {rupiah(plan['amount'])}.",
        f"Sumber dana: {plan['funding_source']}.",
    ]


def _kak(spec: ProcessSpec, data: dict[str, Any]) -> list[str]:
    plan = data["planning"]
    tender = data.get("tender", {})
    lines = [
        "1. Latar belakang",
        f"   {plan['rationale']}",
        "2. Maksud dan tujuan",
        f"   Terlaksananya kegiatan {spec.title} secara tepat mutu, waktu dan biaya.",
        "3. Ruang lingkup pekerjaan",
    ]
    for item in tender.get("items", []):
        lines.append(
            f"   - {item['description']}: {item['quantity']} {item['unit']} "
            f"x {rupiah(item['unit_value'])}"
        )
    lines += [
        "4. Sumber dana dan perkiraan biaya",
        f"   {plan['funding_source']}, pagu {rupiah(plan['amount'])}"
        + (f", HPS {rupiah(tender['hps'])}" if tender else ""),
        "5. Jangka waktu pelaksanaan: sesuai kontrak.",
    ]
    return lines


def _tender(spec: ProcessSpec, data: dict[str, Any]) -> list[str]:
    tender = data["tender"]
    return [
        f"Metode pemilihan : {tender['method'].replace('_', ' ').title()}",
        f"Nilai HPS        : {rupiah(tender['hps'])}",
        f"Jadwal pemilihan : {_tanggal(tender['period_start'])} s.d. "
        f"{_tanggal(tender['period_end'])}",
        "Kualifikasi: penyedia berbadan usaha, memiliki NIB dan NPWP yang sah.",
    ]


def _award(spec: ProcessSpec, data: dict[str, Any]) -> list[str]:
    award = data["award"]
    lines = ["Berdasarkan hasil evaluasi, ditetapkan sebagai pemenang:"]
    lines += [f"  {s['name']} (NPWP {_npwp15(s['npwp'])})" for s in award["suppliers"]]
    lines += [
        f"Nilai penawaran terkoreksi: {rupiah(award['value'])}",
        f"Tanggal penetapan: {_tanggal(award['date'])}",
    ]
    return lines


def _contract(spec: ProcessSpec, data: dict[str, Any]) -> list[str]:
    contract = data["contract"]
    return [
        f"Nomor       : {contract['number']}",
        f"Nilai       : {rupiah(contract['value'])}",
        f"Ditandatangani: {_tanggal(contract['date_signed'])}",
        f"Masa pelaksanaan: {_tanggal(contract['period_start'])} s.d. "
        f"{_tanggal(contract['period_end'])}",
        f"Penyedia    : {data['award']['suppliers'][0]['name']}",
    ]


def _schedule(spec: ProcessSpec, data: dict[str, Any]) -> list[str]:
    contract = data["contract"]
    start = dt.date.fromisoformat(contract["period_start"])
    end = dt.date.fromisoformat(contract["period_end"])
    weeks = max(1, (end - start).days // 7)
    lines = [f"Nomor kontrak: {contract['number']}", "", "Minggu | Periode | Kegiatan"]
    tasks = ("Persiapan dan mobilisasi", "Pelaksanaan pekerjaan utama", "Penyelesaian dan PHO")
    for week in range(weeks):
        first = start + dt.timedelta(days=7 * week)
        task = tasks[min(2, 3 * week // weeks)]
        lines.append(f"{week + 1:>6} | {_tanggal(first.isoformat())} | {task}")
    return lines


def _progress(spec: ProcessSpec, data: dict[str, Any]) -> list[str]:
    work = data["implementation"]
    lines = [f"Progres fisik: {work['physical_progress']}%", "", "Tahapan:"]
    lines += [
        f"  - {m['title']}: {m['status']} ({_tanggal(m['date'])})" for m in work["milestones"]
    ]
    lines += ["", "Pembayaran:"]
    lines += [f"  - {_tanggal(t['date'])}: {rupiah(t['amount'])}" for t in work["transactions"]]
    return lines


def _generic(spec: ProcessSpec, data: dict[str, Any]) -> list[str]:
    return [spec.description]


_BODIES = {
    "procurementPlan": _dpa,
    "projectPlan": _renja,
    "needsAssessment": _kak,
    "technicalSpecifications": _kak,
    "biddingDocuments": _tender,
    "tenderNotice": _tender,
    "awardNotice": _award,
    "evaluationReports": _award,
    "contractSigned": _contract,
    "contractSchedule": _schedule,
    "physicalProgressReport": _progress,
    "financialProgressReport": _progress,
    "completionCertificate": _progress,
}
BULAN = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
         "September", "Oktober", "November", "Desember")  # fmt: skip


def _tanggal(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"


def _npwp15(npwp16: str) -> str:
    d = npwp16[1:] if len(npwp16) == 16 else npwp16
    return f"{d[0:2]}.{d[2:5]}.{d[5:8]}.{d[8]}-{d[9:12]}.{d[12:15]}"
