"""Check a citizen's report before it is filed: fields, subject, attachments, rate limits.

Attachments are PDFs checked like contract documents (contracting.uploads.pdf_check) or JPEG
and PNG photos, sniffed by their bytes and stripped of EXIF/XMP/text (terbuka.participation
.photos). Limits are per client address and per contact, counted over the last hour, high
enough for a family sharing a phone or a village office sharing a connection.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import re
import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import connection
from django.db.models.signals import post_delete, post_save

from terbuka.errors import TerbukaError, ValidationError
from terbuka.human import size_over_words
from terbuka.participation.photos import photo_sniff, photo_strip
from terbuka_web.contracting.uploads import filename_check, pdf_check
from terbuka_web.participation.models import Case, Category, Level
from terbuka_web.portal.selectors import process_public_get
from terbuka_web.regions.selectors import region_get

PER_CLIENT_PER_HOUR = 20
PER_CONTACT_PER_HOUR = 5
MAX_ATTACHMENTS = 3
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
PERSONAL_NUMBER = re.compile(r"(?<!\d)\d{16}(?!\d)")
PHONE = re.compile(r"\+?[0-9][0-9 -]{7,18}[0-9]")
LATITUDE, LONGITUDE = (Decimal(-11), Decimal(6)), (Decimal(94), Decimal(142))  # Indonesia
CATEGORY_TTL = 10.0  # seconds a worker reuses a category row it read (category_get)
_categories: dict[str, tuple[float, Category]] = {}  # code → (read at, row), this worker's


@dataclass(frozen=True)
class ReportInput:
    """Carry what a citizen typed into the report form (or an API client sent)."""

    kind: str
    category: str
    subject: str
    title: str
    text: str
    ocid: str = ""
    service: str = ""
    region: str = ""
    latitude: str = ""
    longitude: str = ""
    anonim: bool = False
    rahasia: bool = False
    reporter_name: str = ""
    contact_preference: str = Case.Contact.NONE
    contact: str = ""
    attachments: list[tuple[str, bytes]] = field(default_factory=list)


@dataclass
class CheckedReport:
    """Hold the model fields of a checked report and its cleaned attachments."""

    fields: dict[str, Any]
    attachments: list[dict[str, Any]]


class ReportRefused(ValidationError):
    """Report a report that cannot be filed as it is (field named in where)."""

    code = "report_refused"


def _refuse(message_id: str, message_en: str, where: str) -> ReportRefused:
    return ReportRefused(message_id, message_en, where=where)


def client_key(value: str) -> str:
    """Return the SHA-256 of value keyed by SECRET_KEY: rate limits without storing it."""
    return hashlib.sha256(f"{settings.SECRET_KEY}|{value}".encode()).hexdigest()


def report_check(
    *, report: ReportInput, client_ip: str, now: dt.datetime, category: Category | None = None
) -> CheckedReport:
    """Return the model fields and attachments of report, or raise ReportRefused naming the
    field: an unknown kind, category or region, a short text, a NIK-like number in the text,
    a contact that is not an e-mail or phone number, an attachment refused, a rate limit.
    category: report.category's row when the caller has read it already (category_get)."""
    fields: dict[str, Any] = {"kind": _choice(report.kind, Case.Kind, "kind")}
    fields["category"] = category if category is not None else category_get(report.category)
    fields["subject"] = _choice(report.subject, Case.Subject, "subject")
    fields["title"] = _length(report.title, "title", 5, 150)
    fields["text"] = _length(report.text, "text", 20, 4000)
    for name in ("title", "text"):
        if PERSONAL_NUMBER.search(fields[name]):
            raise _refuse(
                "teks memuat angka 16 digit (NIK/KK?); jangan tulis data pribadi di laporan",
                "the text holds a 16-digit number (a NIK/KK?); keep personal data out of it",
                name,
            )
    fields.update(_subject(report, fields["subject"]))
    fields.update(_identity(report))
    fields["client_hash"] = client_key(client_ip) if client_ip else ""
    _rate_check(fields, now)
    return CheckedReport(fields, _attachments(report.attachments))


def _choice(value: str, choices: Any, where: str) -> str:
    if value not in choices.values:
        raise _refuse(f"pilihan {value!r} tidak dikenal", f"unknown choice {value!r}", where)
    return value


def _length(value: str, where: str, low: int, high: int) -> str:
    value = value.strip()
    if not low <= len(value) <= high:
        raise _refuse(
            f"isian harus {low}–{high} karakter (kini {len(value)})",
            f"must be {low}–{high} characters (now {len(value)})",
            where,
        )
    return value


def category_get(code: str) -> Category:
    """Return the category with code; raise ReportRefused (where "category") when unknown.

    A worker reuses a category row it read for CATEGORY_TTL seconds (a change made by another
    process shows within it; one made in this process at once, categories_forget): a report
    then costs no read of its category. Unknown codes are not kept.
    """
    now = time.monotonic()
    kept = _categories.get(code)
    if kept is None or now - kept[0] >= CATEGORY_TTL:
        category = Category.objects.filter(code=code).first()
        if category is None:
            raise _refuse(
                f"kategori {code!r} tidak dikenal", f"unknown category {code!r}", "category"
            )
        kept = _categories[code] = (now, category)
    return copy.copy(kept[1])  # the caller's own instance: its related rows load on it only


def categories_forget(**_: object) -> None:
    """Drop this worker's kept category rows (a signal receiver)."""
    _categories.clear()


post_save.connect(categories_forget, sender=Category, dispatch_uid="participation-categories")
post_delete.connect(categories_forget, sender=Category, dispatch_uid="participation-cat-del")


def _subject(report: ReportInput, subject: str) -> dict[str, Any]:
    """Return the subject fields: an ocid that is published, a service name, a place."""
    found: dict[str, Any] = {"level": Level.KABUPATEN}
    if subject == Case.Subject.PROCESS:
        process = process_public_get(report.ocid.strip())
        if process is None:
            raise _refuse(
                "paket pengadaan dengan OCID itu tidak ditemukan",
                "no published contracting process has that OCID",
                "ocid",
            )
        found["ocid"] = process.ocid
        found["region"] = process.agency.government
    elif subject == Case.Subject.SERVICE:
        found["service"] = _length(report.service, "service", 3, 200)
    if report.region.strip():
        try:
            found["region"] = region_get(code=report.region.strip())
        except TerbukaError as exc:
            raise _refuse(exc.message_id, exc.message_en, "region") from None
    elif subject == Case.Subject.PLACE:
        raise _refuse("pilih wilayah tempatnya", "choose the place's region", "region")
    region = found.get("region")
    if region is not None and region.level in ("village", "district"):
        found["level"] = Level.DESA if region.level == "village" else Level.KECAMATAN
    found.update(_coordinates(report.latitude, report.longitude))
    return found


def _coordinates(latitude: str, longitude: str) -> dict[str, Decimal]:
    if not latitude.strip() and not longitude.strip():
        return {}
    try:
        lat, lon = Decimal(latitude.strip()), Decimal(longitude.strip())
    except InvalidOperation:
        raise _refuse(
            "koordinat bukan angka", "the coordinates are not numbers", "latitude"
        ) from None
    if not (LATITUDE[0] <= lat <= LATITUDE[1] and LONGITUDE[0] <= lon <= LONGITUDE[1]):
        raise _refuse(
            "koordinat di luar Indonesia", "the coordinates lie outside Indonesia", "latitude"
        )
    return {"latitude": round(lat, 6), "longitude": round(lon, 6)}


def _identity(report: ReportInput) -> dict[str, Any]:
    """Return name, contact preference, contact and its key; check the contact's form."""
    preference = _choice(report.contact_preference, Case.Contact, "contact_preference")
    contact = report.contact.strip()
    if preference != Case.Contact.NONE and not contact:
        raise _refuse("isi kontak Anda", "fill in your contact", "contact")
    if contact and preference == Case.Contact.EMAIL:
        try:
            validate_email(contact)
        except DjangoValidationError:
            raise _refuse(
                "alamat surel tidak sah", "not a valid e-mail address", "contact"
            ) from None
    elif contact and not PHONE.fullmatch(contact):
        raise _refuse("nomor telepon tidak sah", "not a valid phone number", "contact")
    normal = contact.lower().replace(" ", "").replace("-", "")
    return {
        "anonim": report.anonim,
        "rahasia": report.rahasia,
        "reporter_name": report.reporter_name.strip()[:150],
        "contact_preference": preference,
        "contact": contact,
        "contact_hash": client_key(normal) if normal else "",
    }


LIMITS = (  # the hash field, its limit per hour, who it is (Indonesian, English)
    ("client_hash", PER_CLIENT_PER_HOUR, "alamat jaringan ini", "this network address"),
    ("contact_hash", PER_CONTACT_PER_HOUR, "kontak ini", "this contact"),
)
# Per limit, its reports of the last hour counted up to the limit: at most limit index entries
# of (hash, received_at) read, however busy the address; both limits in one statement.
RECENT_SQL = "SELECT " + ", ".join(
    f"(SELECT COUNT(*) FROM (SELECT 1 FROM {Case._meta.db_table} WHERE {name} = %s "
    f"AND received_at > %s LIMIT %s) AS recent_{name})"
    for name, *_ in LIMITS
)


def _rate_check(fields: dict[str, Any], now: dt.datetime) -> None:
    """Raise ReportRefused when the client or the contact filed too many reports this hour
    (RECENT_SQL; an empty hash counts nothing)."""
    since = connection.ops.adapt_datetimefield_value(now - dt.timedelta(hours=1))
    params: list[Any] = []
    for name, limit, *_ in LIMITS:
        params += [fields[name], since, limit if fields[name] else 0]
    with connection.cursor() as cursor:
        cursor.execute(RECENT_SQL, params)
        counts = cursor.fetchone()
    for (name, limit, who_id, who_en), count in zip(LIMITS, counts, strict=True):
        if fields[name] and count >= limit:
            raise _refuse(
                f"{who_id} sudah mengirim {limit} laporan dalam satu jam; coba lagi nanti",
                f"{who_en} has sent {limit} reports within an hour; try again later",
                "text" if name == "client_hash" else "contact",
            )


def _attachments(files: list[tuple[str, bytes]]) -> list[dict[str, Any]]:
    """Return the attachments' model fields after checking each one (PDF or photo)."""
    if len(files) > MAX_ATTACHMENTS:
        raise _refuse(
            f"paling banyak {MAX_ATTACHMENTS} lampiran", f"at most {MAX_ATTACHMENTS} files", "file"
        )
    checked = []
    for name, data in files:
        if len(data) > MAX_ATTACHMENT_BYTES:
            over_id, over_en = size_over_words(len(data), MAX_ATTACHMENT_BYTES)
            raise _refuse(f"berkas {over_id}", f"the file of {over_en}", "file")
        if photo_sniff(data):
            try:
                kind, data = photo_strip(data)
            except TerbukaError as exc:
                raise _refuse(exc.message_id, exc.message_en, "file") from None
            content_type, name = f"image/{kind}", f"foto-{len(checked) + 1}.{kind[:3]}"
        else:
            name = filename_check(name)
            pdf_check(io.BytesIO(data))
            content_type = "application/pdf"
        digest = hashlib.sha256(data).hexdigest()
        checked.append(
            {"content_type": content_type, "name": name, "sha256": digest, "size": len(data)}
            | {"data": data}
        )
    return checked
