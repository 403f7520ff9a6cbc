"""Build one OCDS 1.1.5 release from one stage's data (the shape in docs/stage-data.md).

The builder is pure: it reads the stage data, a little about the process and the stage's
documents, and returns a release dict. It never reads a database; the caller supplies the
tags already published for the ocid (to choose `<stage>` or `<stage>Update`), a unique
release id and the release date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from terbuka.errors import ValidationError
from terbuka.ocds.codes import AMENDMENT_TAGS, METHODS, NPWP_SCHEME, STAGE_TAGS, STAGES
from terbuka.ocds.validate import raise_for_issues, validate_release

CURRENCY: Final = "IDR"
TIMEZONE_SUFFIX: Final = "T00:00:00+07:00"
PROGRESS_MILESTONE_ID: Final = "physical-progress"
FUNDING_SOURCES: Final = ("APBD", "APBN", "DAK", "DBH")

# Document kinds offered per stage (OCDS documentType codes; their Indonesian and English
# labels are in terbuka_web.contracting.labels).
STAGE_DOCUMENT_TYPES: Final[dict[str, tuple[str, ...]]] = {
    "planning": ("procurementPlan", "projectPlan", "needsAssessment"),
    "tender": ("technicalSpecifications", "biddingDocuments", "tenderNotice"),
    "award": ("awardNotice", "evaluationReports"),
    "contract": ("contractSigned", "contractSchedule"),
    "implementation": (
        "physicalProgressReport",
        "financialProgressReport",
        "completionCertificate",
    ),
}


def _need(data: Mapping[str, Any], key: str, stage: str) -> Any:
    """Return data[key], raising ValidationError when it is missing or empty."""
    value = data.get(key)
    if value is None or value == "" or value == []:
        raise ValidationError(
            f"data tahap {stage} tidak memuat '{key}'",
            f"{stage} stage data lacks '{key}'",
            where=f"/{key}",
        )
    return value


def _money(amount: Any, where: str) -> dict[str, Any]:
    """Return an OCDS Value for integer Rupiah amount, raising ValidationError otherwise."""
    if isinstance(amount, bool) or not isinstance(amount, int) or not 0 <= amount <= 10**15:
        raise ValidationError(
            f"nilai {amount!r} bukan bilangan bulat Rupiah antara 0 dan 10^15",
            f"amount {amount!r} is not an integer Rupiah between 0 and 10^15",
            where=where,
        )
    return {"amount": amount, "currency": CURRENCY}


def _date(value: Any, where: str) -> str:
    """Return the OCDS date-time of an ISO calendar date "YYYY-MM-DD" (Asia/Jakarta midnight)."""
    text = str(value)
    if len(text) != 10 or text[4] != "-" or text[7] != "-" or not text.replace("-", "").isdigit():
        raise ValidationError(
            f"tanggal {text!r} bukan format YYYY-MM-DD",
            f"date {text!r} is not in YYYY-MM-DD form",
            where=where,
        )
    return text + TIMEZONE_SUFFIX


def _period(data: Mapping[str, Any], stage: str) -> dict[str, str]:
    """Return the OCDS Period of data's period_start/period_end, refusing end before start."""
    start = _date(_need(data, "period_start", stage), "/period_start")
    end = _date(_need(data, "period_end", stage), "/period_end")
    if end < start:
        raise ValidationError(
            "tanggal selesai sebelum tanggal mulai",
            "the end date is before the start date",
            where="/period_end",
        )
    return {"startDate": start, "endDate": end}


def npwp_party(name: str, npwp16: str, role: str) -> dict[str, Any]:
    """Return the OCDS party of an organisation identified by its 16-digit NPWP.

    Example: npwp_party("CV Maju", "0012345678901000", "supplier") →
    {"id": "ID-DJP-0012345678901000", "name": "CV Maju", "roles": ["supplier"],
     "identifier": {"scheme": "ID-DJP", "id": "0012345678901000", "legalName": "CV Maju"}}.
    """
    digits = "".join(ch for ch in str(npwp16) if ch.isdigit())
    if len(digits) == 15:
        digits = "0" + digits
    return {
        "id": f"{NPWP_SCHEME}-{digits}",
        "name": name,
        "roles": [role],
        "identifier": {"scheme": NPWP_SCHEME, "id": digits, "legalName": name},
    }


def _documents(documents: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Return OCDS Documents, the SHA-256 shown in id and description (1.1.5 has no hash field).

    Each input has sha256, size, document_type, title, url and date (ISO date-time).
    """
    out = []
    for doc in documents:
        out.append(
            {
                "id": f"sha256-{doc['sha256']}",
                "documentType": doc["document_type"],
                "title": doc["title"],
                "description": f"SHA-256: {doc['sha256']}; {doc['size']} bytes",
                "url": doc["url"],
                "format": "application/pdf",
                "datePublished": doc["date"],
            }
        )
    return out


def _planning(data: Mapping[str, Any]) -> dict[str, Any]:
    """Return the planning section of a planning release.

    An optional data["budget_breakdown"] (the APBD lines of the budget_line sub-kegiatan:
    id, description, amount, classifications, measures) becomes budget.budgetBreakdown
    (OCDS Budget Breakdown and Budget and Spend extensions, terbuka.ocds.extensions).
    """
    source = _need(data, "funding_source", "planning")
    if source not in FUNDING_SOURCES:
        raise ValidationError(
            f"sumber dana {source!r} tidak dikenal (APBD, APBN, DAK, DBH)",
            f"unknown funding source {source!r} (APBD, APBN, DAK, DBH)",
            where="/funding_source",
        )
    budget = {
        "id": _need(data, "budget_line", "planning"),
        "description": f"Sumber dana: {source}",
        "amount": _money(_need(data, "amount", "planning"), "/amount"),
        "project": _need(data, "project", "planning"),
    }
    breakdown = data.get("budget_breakdown") or []
    if breakdown:
        budget["budgetBreakdown"] = [
            {
                "id": str(part["id"]),
                "description": str(part["description"]),
                "amount": _money(part["amount"], f"/budget_breakdown/{n}/amount"),
                "classifications": dict(part["classifications"]),
                "measures": dict(part.get("measures", {})),
            }
            for n, part in enumerate(breakdown)
        ]
    return {"rationale": _need(data, "rationale", "planning"), "budget": budget}


def _items(items: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Return OCDS Items (id = 1-based position) of the tender's item rows."""
    return [
        {
            "id": str(n),
            "description": item["description"],
            "quantity": item["quantity"],
            "unit": {
                "name": item["unit"],
                "value": _money(item["unit_value"], f"/items/{n - 1}/unit_value"),
            },
        }
        for n, item in enumerate(items, start=1)
    ]


def _category(category: str) -> dict[str, Any]:
    """Return the tender's mainProcurementCategory (consultancy: services + consultingServices)."""
    if category == "consultingServices":
        return {
            "mainProcurementCategory": "services",
            "additionalProcurementCategories": [category],
        }
    return {"mainProcurementCategory": category} if category else {}


def _tender(data: Mapping[str, Any], ocid: str, info: Mapping[str, Any]) -> dict[str, Any]:
    """Return the tender section of a tender release."""
    method = _need(data, "method", "tender")
    if method not in METHODS:
        raise ValidationError(
            f"metode pemilihan {method!r} tidak dikenal",
            f"unknown procurement method {method!r}",
            where="/method",
        )
    code, details = METHODS[method]
    counted = _tenderers(data.get("number_of_tenderers"))
    return {
        "id": f"{ocid}-tender",
        **_category(info.get("category") or ""),
        "title": info["title"],
        "status": "active",
        "procuringEntity": info["buyer"],
        "procurementMethod": code,
        "procurementMethodDetails": details,
        "tenderPeriod": _period(data, "tender"),
        "value": _money(_need(data, "hps", "tender"), "/hps"),
        "items": _items(_need(data, "items", "tender")),
    } | ({} if counted is None else {"numberOfTenderers": counted})


def _tenderers(value: Any) -> int | None:
    """Return the optional number of tenderers (a whole number 0–10,000), None when empty.

    Raises ValidationError (where "/number_of_tenderers") for anything else. Example: 3 → 3.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10_000:
        raise ValidationError(
            f"jumlah penawar {value!r} bukan bilangan bulat 0–10.000",
            f"number of tenderers {value!r} is not a whole number 0–10,000",
            where="/number_of_tenderers",
        )
    return value


def _award(data: Mapping[str, Any], ocid: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Return the award and its supplier parties."""
    suppliers = [
        npwp_party(s["name"], s["npwp"], "supplier") for s in _need(data, "suppliers", "award")
    ]
    award = {
        "id": f"{ocid}-award-1",
        "status": _need(data, "status", "award"),
        "date": _date(_need(data, "date", "award"), "/date"),
        "value": _money(_need(data, "value", "award"), "/value"),
        "suppliers": [{"id": p["id"], "name": p["name"]} for p in suppliers],
    }
    return award, suppliers


def _contract(data: Mapping[str, Any], ocid: str) -> dict[str, Any]:
    """Return the contract of a contract release, linked to the award by awardID."""
    number = _need(data, "number", "contract")
    return {
        "id": f"{ocid}-contract-1",
        "awardID": f"{ocid}-award-1",
        "title": f"Kontrak {number}",
        "description": f"Nomor kontrak: {number}",
        "status": "active",
        "value": _money(_need(data, "value", "contract"), "/value"),
        "period": _period(data, "contract"),
        "dateSigned": _date(_need(data, "date_signed", "contract"), "/date_signed"),
    }


def _progress_milestone(percent: Any, date: str) -> dict[str, Any]:
    """Return the physical-progress milestone (see docs/stage-data.md) of percent 0–100."""
    if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
        raise ValidationError(
            f"progres fisik {percent!r} bukan bilangan bulat 0–100",
            f"physical progress {percent!r} is not an integer 0–100",
            where="/physical_progress",
        )
    status = "scheduled" if percent == 0 else "met" if percent == 100 else "partiallyMet"
    return {
        "id": PROGRESS_MILESTONE_ID,
        "type": "reporting",
        "code": "physicalProgress",
        "title": f"Progres fisik {percent}%",
        "description": str(percent),
        "status": status,
        "dateModified": date,
    }


def _implementation(
    data: Mapping[str, Any], buyer: Mapping[str, str], date: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Return contracts[0].implementation and the payee parties of its transactions."""
    milestones = []
    for n, row in enumerate(data.get("milestones") or [], start=1):
        when = _date(row["date"], f"/milestones/{n - 1}/date")
        status = row["status"]
        milestone = {"id": f"milestone-{n}", "title": row["title"], "status": status}
        milestone["dueDate" if status == "scheduled" else "dateMet"] = when
        milestones.append(milestone)
    milestones.append(_progress_milestone(data.get("physical_progress"), date))
    payees: dict[str, dict[str, Any]] = {}
    transactions = []
    for n, row in enumerate(data.get("transactions") or [], start=1):
        payee = npwp_party(row["payee"], row["payee_npwp"], "supplier")
        payee["roles"] = ["supplier", "payee"]
        payees.setdefault(payee["id"], payee)
        transactions.append(
            {
                "id": f"transaction-{n}",
                "date": _date(row["date"], f"/transactions/{n - 1}/date"),
                "value": _money(row["amount"], f"/transactions/{n - 1}/amount"),
                "payer": dict(buyer),
                "payee": {"id": payee["id"], "name": payee["name"]},
            }
        )
    return {"milestones": milestones, "transactions": transactions}, list(payees.values())


def release_tags(stage: str, previous_tags: Sequence[str], amended: bool) -> list[str]:
    """Return the tag of a stage's release: the stage on first publication, else an update.

    A re-published tender or contract with an amendment rationale is an amendment
    (tenderAmendment, contractAmendment). Example: ("tender", ["planning", "tender"], False)
    → ["tenderUpdate"].
    """
    first, update = STAGE_TAGS[stage]
    published = {first, update, AMENDMENT_TAGS.get(stage, update)}
    if not published & set(previous_tags):
        return [first]
    if amended and stage in AMENDMENT_TAGS:
        return [AMENDMENT_TAGS[stage]]
    return [update]


def _amendment(data: Mapping[str, Any], release_id: str, date: str) -> dict[str, Any]:
    """Return the OCDS Amendment of an amended re-publication."""
    return {
        "id": f"amendment-{release_id}",
        "date": date,
        "rationale": data["amendment_rationale"],
        "releaseID": release_id,
    }


def _buyer_party(info: Mapping[str, Any]) -> tuple[dict[str, str], dict[str, Any]]:
    """Return the buyer's OrganizationReference and its party (buyer and procuring entity)."""
    buyer = info["buyer"]
    party = {"id": buyer["id"], "name": buyer["name"], "roles": ["buyer", "procuringEntity"]}
    return {"id": buyer["id"], "name": buyer["name"]}, party


def release_build(
    *,
    ocid: str,
    stage: str,
    data: Mapping[str, Any],
    previous_tags: Sequence[str],
    process_info: Mapping[str, Any],
    date: str,
    release_id: str,
    documents: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """Return the OCDS 1.1.5 release publishing stage's data for the process ocid.

    process_info holds {"title", "description", "buyer": {"id", "name"}}; date is the
    release's ISO date-time; documents are the stage's PDFs (see _documents). Raises
    ValidationError on an unknown stage or missing/invalid data (where = JSON pointer into
    the stage data). OCDS 1.1.5 release schema; docs/stage-data.md.
    Example: release_build(ocid="ocds-tbk352-1", stage="planning", ...) →
    {"ocid": "ocds-tbk352-1", "id": ..., "tag": ["planning"], "planning": {...}, ...}.
    """
    if stage not in STAGES:
        raise ValidationError(f"tahap {stage!r} tidak dikenal", f"unknown stage {stage!r}")
    buyer_ref, buyer_party = _buyer_party(process_info)
    info = {**process_info, "buyer": buyer_ref}
    amended = bool(data.get("amendment_rationale"))
    tags = release_tags(stage, previous_tags, amended)
    parties = [buyer_party]
    docs = _documents(documents)
    release: dict[str, Any] = {
        "ocid": ocid,
        "id": release_id,
        "date": date,
        "tag": tags,
        "initiationType": "tender",
        "language": "id",
        "buyer": buyer_ref,
    }
    if stage == "planning":
        release["planning"] = _planning(data) | ({"documents": docs} if docs else {})
    elif stage == "tender":
        release["tender"] = _tender(data, ocid, info) | ({"documents": docs} if docs else {})
        if tags == [AMENDMENT_TAGS["tender"]]:
            release["tender"]["amendments"] = [_amendment(data, release_id, date)]
    elif stage == "award":
        award, suppliers = _award(data, ocid)
        release["awards"] = [award | ({"documents": docs} if docs else {})]
        parties.extend(suppliers)
    elif stage == "contract":
        contract = _contract(data, ocid) | ({"documents": docs} if docs else {})
        if tags == [AMENDMENT_TAGS["contract"]]:
            contract["amendments"] = [_amendment(data, release_id, date)]
        release["contracts"] = [contract]
    else:
        implementation, payees = _implementation(data, buyer_ref, date)
        if docs:
            implementation["documents"] = docs
        release["contracts"] = [
            {"id": f"{ocid}-contract-1", "awardID": f"{ocid}-award-1"}
            | {"implementation": implementation}
        ]
        parties.extend(payees)
    release["parties"] = parties
    return release


def release_validate(release: Mapping[str, Any], *, prefixes: Sequence[str] | None = None) -> None:
    """Raise OcdsValidationError (a ValidationError) unless release passes OCDS 1.1.5 checks.

    Checks the schema and Terbuka's rules (terbuka.ocds.validate) except cross-release links:
    a stage's release alone need not hold the award its contract names.
    """
    raise_for_issues(validate_release(dict(release), prefixes=prefixes, links=False))
