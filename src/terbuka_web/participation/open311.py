"""Open311 GeoReport v2 over the citizens' reports: API keys, tokens, the spec's documents.

Service codes are the report categories. A request (a case) is shown only when the public
may see it (selectors.cases_public: verified, not rejected, not *rahasia*) and never with a
reporter's name or contact. A POST files a report like /lapor/baru/ (same checks, same rate
limits per client address and contact) and answers, to the poster only, the tracking ID
(`service_request_id`), a `token` (tokens/{token} gives the ID back) and the follow `secret`
(an extension field: with the tracking ID it follows, closes or reopens the case at
/lapor/lacak/). Both the key and the token are stored as their SHA-256.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from terbuka.errors import TerbukaError
from terbuka_web.participation.models import ApiKey, Case, CaseEvent, Category, RequestToken
from terbuka_web.participation.reports import ReportInput, category_get
from terbuka_web.participation.selectors import cases_public, secret_hash
from terbuka_web.participation.services import report_submit

MAX_RESULTS = 1000
DEFAULT_DAYS = 90
MAX_IDS = 100
CLOSED_STATES = (Case.State.CLOSED, Case.State.REJECTED)
KEY_PREFIX = "t311_"
DEMO_KEY = "demo-open311-terbuka-bukan-rahasia"  # documented in docs/demo.md: demo only
W3C = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?")
URL = re.compile(r"https?://[^\s<>\"']{1,2000}")


@dataclass
class Open311Error(Exception):
    """Carry one spec error: the HTTP status (400, 403, 404) and its description."""

    status: int
    description: str


def nul_refuse(*values: str) -> None:
    """Raise Open311Error 400 when a value holds a NUL character (no database stores one)."""
    if any("\x00" in value for value in values):
        raise Open311Error(400, "karakter NUL tidak diizinkan / NUL characters are not allowed")


@transaction.atomic
def apikey_create(*, name: str, key: str | None = None) -> str:
    """Create an API key for the application name; return the key (only its hash is kept).

    Raises TerbukaError for an empty name or a key already in use.
    """
    name = name.strip()[:100]
    if not name:
        raise TerbukaError("nama aplikasi kosong", "the application name is empty", where="name")
    key = key or KEY_PREFIX + secrets.token_urlsafe(24)
    if ApiKey.objects.filter(key_hash=secret_hash(key)).exists():
        raise TerbukaError("kunci sudah ada", "that key exists already", where="key")
    ApiKey.objects.create(name=name, key_hash=secret_hash(key), created_at=timezone.now())
    return key


@transaction.atomic
def apikey_revoke(*, name: str) -> int:
    """Revoke every active key of the application name; return how many were revoked."""
    keys = ApiKey.objects.filter(name=name.strip(), revoked_at__isnull=True)
    return keys.update(revoked_at=timezone.now())


def apikey_check(key: str) -> ApiKey:
    """Return the active API key key; raise Open311Error 403 when missing or not valid."""
    found = ApiKey.objects.filter(
        key_hash=secret_hash(key.strip()), revoked_at__isnull=True
    ).first()
    if not key.strip() or found is None:
        raise Open311Error(403, "api_key tidak ada atau tidak sah / api_key missing or invalid")
    return found


def discovery(base_url: str) -> dict[str, Any]:
    """Return the discovery document of this endpoint (base_url ends with "/open311/v2/")."""
    return {
        "changeset": "2026-12-05T00:00:00+07:00",
        "contact": "Lihat /lapor/ / see /lapor/",
        "key_service": "terbuka participation apikey NAME",
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base_url,
                "changeset": "2026-12-05T00:00:00+07:00",
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": f"{category.name} / {category.name_en}",
        "metadata": True,
        "type": "batch",
        "keywords": category.code.replace("-", ","),
        "group": category.agency.name if category.agency else "",
    }


def services() -> list[dict[str, Any]]:
    """Return the service list: one service per report category."""
    return [_service(c) for c in Category.objects.select_related("agency")]


def _values(pairs: Any) -> list[dict[str, str]]:
    return [{"key": str(key), "name": str(name)} for key, name in pairs]


YES_NO = (("false", "Tidak / No"), ("true", "Ya / Yes"))
ATTRIBUTES = (
    ("kind", "Jenis laporan / Kind of report", False, Case.Kind.choices),
    ("anonim", "Anonim: identitas disembunyikan dari petugas / hide my identity", False, YES_NO),
    ("rahasia", "Rahasia: seluruh laporan tidak dipublikasikan / keep it unpublished", False,
     YES_NO),
)  # fmt: skip


def service_definition(code: str) -> dict[str, Any]:
    """Return the definition (attributes) of service code; raise Open311Error 404 (400: NUL)."""
    nul_refuse(code)
    if not Category.objects.filter(code=code[:60]).exists():
        raise Open311Error(404, f"service_code {code[:60]!r} tidak ada / not found")
    attributes = [
        {
            "variable": True, "code": name, "datatype": "singlevaluelist", "required": required,
            "datatype_description": "", "order": order, "description": text,
            "values": _values(values),
        }
        for order, (name, text, required, values) in enumerate(ATTRIBUTES, start=1)
    ]  # fmt: skip
    return {"service_code": code, "attributes": attributes}


def _w3c(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).isoformat() if moment else ""


def _expected(case: Case) -> str:
    if case.due_on is None:
        return ""
    end = dt.datetime.combine(case.due_on, dt.time(23, 59, 59))
    return _w3c(timezone.make_aware(end))


def _notes(case: Case) -> str:
    notes = f"{case.get_state_display()} / {case.state}"
    return f"{notes}: {case.answer}" if case.answer else notes


def request_out(case: Case, updated: dt.datetime | None) -> dict[str, Any]:
    """Return the GeoReport v2 fields of a public case (never its reporter's identity)."""
    return {
        "service_request_id": case.tracking_id,
        "status": "closed" if case.state in CLOSED_STATES else "open",
        "status_notes": _notes(case),
        "service_name": case.category.name,
        "service_code": case.category.code,
        "description": case.text,
        "agency_responsible": case.agency.name if case.agency else "",
        "service_notice": "",
        "requested_datetime": _w3c(case.received_at),
        "updated_datetime": _w3c(updated or case.received_at),
        "expected_datetime": _expected(case),
        "address": case.service or (case.region.name if case.region else ""),
        "address_id": case.region_id or "",
        "zipcode": "",
        "lat": float(case.latitude) if case.latitude is not None else "",
        "long": float(case.longitude) if case.longitude is not None else "",
        "media_url": "",
    }


def _date(text: str, name: str) -> dt.datetime:
    """Parse a W3C datetime (a date is local midnight); raise Open311Error 400."""
    text = text.strip()
    if not W3C.fullmatch(text):
        raise Open311Error(400, f"{name} bukan tanggal W3C / is not a W3C datetime")
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise Open311Error(400, f"{name} bukan tanggal W3C / is not a W3C datetime") from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _with_updated(cases: QuerySet[Case]) -> list[dict[str, Any]]:
    public_steps = ~Q(events__kind=CaseEvent.Kind.REMINDER)  # reminders are internal
    rows = cases.annotate(updated=Max("events__at", filter=public_steps))
    return [request_out(case, case.updated) for case in rows]  # type: ignore[attr-defined]


def requests_find(params: dict[str, str]) -> list[dict[str, Any]]:
    """Return the public requests matching the spec's filters, newest first (≤ 1000).

    service_request_id (comma list, ≤ 100) overrides the other filters; else service_code
    (comma list), start_date/end_date (W3C; by default the last 90 days) and status
    (open, closed or both). Raises Open311Error 400 for a malformed filter.
    """
    nul_refuse(*params.values())
    cases = cases_public().select_related("category", "agency", "region")
    ids = [i.strip().upper()[:16] for i in params.get("service_request_id", "").split(",")]
    ids = [i for i in ids if i]
    if ids:
        if len(ids) > MAX_IDS:
            raise Open311Error(400, f"paling banyak {MAX_IDS} service_request_id / at most")
        return _with_updated(cases.filter(tracking_id__in=ids))
    codes = [c.strip()[:60] for c in params.get("service_code", "").split(",") if c.strip()]
    if codes:
        cases = cases.filter(category__code__in=codes)
    start, end = params.get("start_date", ""), params.get("end_date", "")
    end_at = _date(end, "end_date") if end else timezone.now()
    start_at = _date(start, "start_date") if start else end_at - dt.timedelta(DEFAULT_DAYS)
    if start_at > end_at:
        raise Open311Error(400, "start_date setelah end_date / start_date after end_date")
    cases = cases.filter(received_at__gte=start_at, received_at__lte=end_at)
    statuses = {s.strip() for s in params.get("status", "").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise Open311Error(400, "status harus open atau closed / status must be open or closed")
    if statuses == {"open"}:
        cases = cases.exclude(state__in=CLOSED_STATES)
    elif statuses == {"closed"}:
        cases = cases.filter(state__in=CLOSED_STATES)
    return _with_updated(cases.order_by("-received_at", "-id")[:MAX_RESULTS])


def request_get(service_request_id: str) -> list[dict[str, Any]]:
    """Return the one public request with that ID; raise Open311Error 404 (400: NUL)."""
    nul_refuse(service_request_id)
    found = _with_updated(cases_public().filter(tracking_id=service_request_id.upper()[:16]))
    if not found:
        raise Open311Error(404, "service_request_id tidak ditemukan / not found")
    return found


def token_get(token: str) -> list[dict[str, Any]]:
    """Return the service_request_id a token stands for; raise Open311Error 404 (400: NUL)."""
    nul_refuse(token)
    found = RequestToken.objects.filter(token_hash=secret_hash(token.strip()[:100])).first()
    if found is None or not token.strip():
        raise Open311Error(404, "token tidak ditemukan / not found")
    return [{"service_request_id": found.case.tracking_id, "token": token.strip()}]


def _text(params: dict[str, str], name: str, limit: int) -> str:
    value = params.get(name, "").strip()
    if len(value) > limit:
        raise Open311Error(400, f"{name} melebihi {limit} karakter / exceeds {limit} characters")
    return value


def _yes(params: dict[str, str], name: str) -> bool:
    value = params.get(f"attribute[{name}]", "false").strip().lower()
    if value not in ("true", "false"):
        raise Open311Error(400, f"attribute[{name}] harus true/false / must be true or false")
    return value == "true"


def _report(params: dict[str, str]) -> tuple[ReportInput, Category]:
    """Return the report a POST describes and its category; raise Open311Error 400 for a
    missing field."""
    code = _text(params, "service_code", 60)
    try:
        category = category_get(code)
    except TerbukaError:
        raise Open311Error(
            400, f"service_code {code!r} tidak dikenal / unknown service_code"
        ) from None
    description = _text(params, "description", 4000)
    address, address_id = _text(params, "address_string", 200), _text(params, "address_id", 20)
    lat, long = _text(params, "lat", 20), _text(params, "long", 20)
    if not ((lat and long) or address or address_id):
        raise Open311Error(400, "lokasi wajib / a location is required: lat+long, address_*")
    media = _text(params, "media_url", 2000)
    if media and not URL.fullmatch(media):
        raise Open311Error(400, "media_url bukan URL http(s) / media_url is not an http(s) URL")
    email, phone = _text(params, "email", 200), _text(params, "phone", 30)
    name = " ".join(_text(params, n, 70) for n in ("first_name", "last_name")).strip()
    kind = params.get("attribute[kind]", Case.Kind.COMPLAINT).strip()
    subject = Case.Subject.PLACE if address_id else Case.Subject.SERVICE
    first_line = description.splitlines()[0].strip() if description else ""
    report = ReportInput(
        kind=kind, category=code, subject=subject,
        title=first_line[:150] if len(first_line) >= 5 else category.name,
        text=description, service=address or category.name, region=address_id,
        latitude=lat, longitude=long, anonim=_yes(params, "anonim"),
        rahasia=_yes(params, "rahasia"), reporter_name=name,
        contact_preference="email" if email else ("phone" if phone else "none"),
        contact=email or phone,
    )  # fmt: skip
    return report, category


def request_post(*, params: dict[str, str], client_ip: str) -> list[dict[str, Any]]:
    """File the report a POST describes; return what only its poster sees (module doc).

    Raises Open311Error 403 (api_key missing, not valid or revoked) or 400 (a missing or
    invalid field, a refused report or a rate limit reached; nothing is written then).
    """
    nul_refuse(*params.values())
    api_key = apikey_check(params.get("api_key", ""))
    report, category = _report(params)
    token = secrets.token_urlsafe(18)
    try:
        with transaction.atomic():
            case, secret = report_submit(report=report, client_ip=client_ip, category=category)
            RequestToken.objects.create(case=case, api_key=api_key, token_hash=secret_hash(token))
    except TerbukaError as exc:
        raise Open311Error(400, f"{exc.where}: {exc.message_id} / {exc.message_en}") from None
    notice = (
        "Simpan kode rahasia: dengan nomor laporan ia melacak kasus di /lapor/lacak/ / "
        "keep the secret: with the tracking ID it follows the case at /lapor/lacak/"
    )
    return [
        {"service_request_id": case.tracking_id, "token": token, "service_notice": notice,
         "account_id": "", "secret": secret}
    ]  # fmt: skip
