"""Selectors of the portal app: public search, the process page and the completeness dashboard.

Only published processes (at least one release) are public; a process with only stage drafts
never appears, and documents appear only once a release has published them.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_delete, post_save
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from terbuka.errors import ValidationError
from terbuka.flags.registry import LOCAL_CODES
from terbuka.ocds.codes import STAGES
from terbuka.words import npwp_digits, root_forms
from terbuka_web.accounts.models import Agency
from terbuka_web.common.cache import cache_through
from terbuka_web.contracting.models import Document, Method, Process, Release, Stage
from terbuka_web.flags.models import ProcessFlag
from terbuka_web.transparency.selectors import entry_id_latest

STAGE_LABELS = dict(Stage.choices)

MAX_VALUE = 10**15
MAX_TERMS = 8
COUNT_CAP = 1_000
RANK_WINDOW = COUNT_CAP  # relevance orders at most this many newest matches (see _ordered)
OPTIONS_TTL = 300.0  # seconds an in-process copy of the filter choices may live
STAMP_TTL = 1.0  # seconds a worker reuses the publication stamp before asking again
LIST_FIELDS = (
    "ocid",
    "title",
    "buyer_name",
    "fiscal_year",
    "method",
    "stage_reached",
    "stages_published",
    "value_idr",
    "first_published_at",
    "last_published_at",
    "agency__code",
    "agency__name",
)
_WORD = re.compile(r"[^\W_]+")
FTS_TITLE_WEIGHT = 10.0  # SQLite bm25: a word of the title counts as ten elsewhere
SORTS = {
    "relevance": _("Paling relevan"),
    "newest": _("Terbaru"),
    "value_desc": _("Nilai tertinggi"),
    "value_asc": _("Nilai terendah"),
    "title": _("Judul (A–Z)"),
}
ORDERS: dict[str, tuple[Any, ...]] = {  # relevance: see _ordered
    "newest": ("-last_published_at", "-id"),
    "value_desc": (F("value_idr").desc(nulls_last=True), "-id"),
    "value_asc": (F("value_idr").asc(nulls_last=True), "-id"),
    "title": ("title", "-id"),
}


class SearchPaginator(Paginator):
    """Paginate the public search for filters: rows are dicts of LIST_FIELDS in filters.sort.

    Counting stops at cap matches (counting 100k rows costs most of a search); .capped tells
    that more exist than the pages reach. The count and each page are kept in the cache for
    TERBUKA["SEARCH_CACHE_SECONDS"] under a key holding publication_stamp(), so a publication
    anywhere shows at once in a fresh key while repeated searches cost no query (a change
    that publishes nothing, such as an agency renamed, shows when the entry expires).
    """

    def __init__(self, filters: ProcessFilters, per_page: int, cap: int = COUNT_CAP):
        super().__init__((), per_page)  # the query is built only on a cache miss (matches)
        self.filters, self.cap = filters, cap
        seed = f"{publication_stamp()}|{filters!r}|{per_page}|{cap}"
        self.key = "portal-search:" + hashlib.sha256(seed.encode()).hexdigest()[:32]

    @cached_property
    def matches(self) -> QuerySet[Process, dict[str, Any]]:
        """Return the query of every match, as LIST_FIELDS rows (the count chooses the plan of
        a ranked search: see _ordered)."""
        return process_search(self.filters, matches=self._counted).values(*LIST_FIELDS)

    @cached_property
    def _counted(self) -> int:
        return int(cache_through(f"{self.key}:count", self._count_query))

    def _count_query(self) -> int:
        """Count the matches up to cap + 1, in the newest order (no relevance window: _ordered);
        the query is built only on a cache miss."""
        unranked = process_search(replace(self.filters, sort="newest")).order_by().values("pk")
        return unranked[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        """Return the number of matches, at most cap."""
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        """Report whether more than cap processes match."""
        return self._counted > self.cap

    def page(self, number: int | str) -> Page:
        """Return page number (1-based) of the results; raises InvalidPage when out of range."""
        valid = self.validate_number(number)
        bottom, top = (valid - 1) * self.per_page, valid * self.per_page
        rows = cache_through(f"{self.key}:p{valid}", lambda: list(self.matches[bottom:top]))
        return self._get_page(rows, valid, self)


def list_row(process: Process) -> dict[str, Any]:
    """Return process as a search result row: the LIST_FIELDS dict SearchPaginator pages hold."""
    row = {name: getattr(process, name) for name in LIST_FIELDS if "__" not in name}
    agency = process.agency
    row["agency__code"] = agency.code if agency else None
    row["agency__name"] = agency.name if agency else None
    return row


def cached_html(key: str, render: Callable[[], str]) -> str:
    """Return the HTML that render() makes, kept in the search cache under key, which must hold
    everything the HTML depends on (a SearchPaginator key holds the publication stamp); the
    filter choices' copy (agency_options) is added here, so a rebuilt copy renders anew."""
    agency_options()
    seed = f"{key}|{_choices.built_at}"
    found: str = cache_through("portal-html:" + hashlib.sha256(seed.encode()).hexdigest(), render)
    return found


@dataclass(frozen=True)
class ProcessFilters:
    """Hold the public search filters; every field empty means "no filter"."""

    q: str = ""
    agency: str = ""
    stage: str = ""
    year: int | None = None
    method: str = ""
    value_min: int | None = None
    value_max: int | None = None
    sort: str = ""  # a key of SORTS; "" is relevance with q, else newest
    flag: str = ""  # a stored red-flag code (terbuka.flags.registry.LOCAL_CODES), ?tanda=

    def active(self) -> bool:
        """Report whether any filter is set (the order is not a filter)."""
        return any(v not in ("", None) for k, v in self.__dict__.items() if k != "sort")


def _int_param(raw: str, name: str, low: int, high: int) -> int | None:
    text = raw.strip().replace(".", "")
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
        raise ValidationError(
            f"harus bilangan bulat antara {low} dan {high}, bukan {raw[:30]!r}",
            f"must be a whole number between {low} and {high}, not {raw[:30]!r}",
            where=name,
        )
    return int(text)


def _choice_param(raw: str, name: str, choices: Mapping[str, object]) -> str:
    text = raw.strip()
    if text and text not in choices:
        allowed = ", ".join(choices)
        raise ValidationError(
            f"pilihan {text[:30]!r} tidak dikenal; yang ada: {allowed}",
            f"unknown choice {text[:30]!r}; the choices are: {allowed}",
            where=name,
        )
    return text


def filters_parse(params: Mapping[str, str]) -> ProcessFilters:
    """Parse search parameters (q, agency, stage, year, method, value_min, value_max, sort,
    tanda: a red-flag code such as R018).

    Raises ValidationError naming the offending field when a value is malformed, out of range
    or not a known choice. Example: {"year": "2024", "value_min": "1.000.000"}.
    """
    found = ProcessFilters(
        q=" ".join(clean_text(params.get("q", "")).split())[:200],
        agency=clean_text(params.get("agency", "")).strip()[:80],
        stage=_choice_param(params.get("stage", ""), "stage", STAGE_LABELS),
        year=_int_param(params.get("year", ""), "year", 2000, 2100),
        method=_choice_param(params.get("method", ""), "method", dict(Method.choices)),
        value_min=_int_param(params.get("value_min", ""), "value_min", 0, MAX_VALUE),
        value_max=_int_param(params.get("value_max", ""), "value_max", 0, MAX_VALUE),
        sort=_choice_param(params.get("sort", ""), "sort", SORTS),
        flag=_choice_param(params.get("tanda", ""), "tanda", dict.fromkeys(LOCAL_CODES)),
    )
    return filters_check(found)


def filters_check(found: ProcessFilters) -> ProcessFilters:
    """Return found when its value range is sensible; raise ValidationError when min > max."""
    low, high = found.value_min, found.value_max
    if low is not None and high is not None and low > high:
        raise ValidationError(
            "nilai minimum tidak boleh lebih besar dari nilai maksimum",
            "the minimum value must not exceed the maximum value",
            where="value_min",
        )
    return found


def clean_text(text: str) -> str:
    """Drop NUL and other control characters that no title or code contains."""
    return "".join(ch for ch in text if ch >= " ")


def processes_public() -> QuerySet[Process]:
    """Return the published processes, newest publication first."""
    return Process.objects.filter(first_published_at__isnull=False).order_by(
        "-last_published_at", "-id"
    )


def process_search(filters: ProcessFilters, *, matches: int | None = None) -> QuerySet[Process]:
    """Return the published processes matching every filter, in the order of filters.sort.

    matches is how many processes match, when known (SearchPaginator counts first): at most
    RANK_WINDOW lets relevance rank them all directly instead of finding the newest window.

    Only the columns a result list shows are loaded (never compiled_release, description or
    search_text). Free text matches each word of q in search_text, which publishing derives
    from title, description, supplier and agency names, party NPWPs and the dictionary roots
    of the words (terbuka.words: "aspal" finds "pengaspalan"): each word as a word prefix or
    as its root, an NPWP in any format as its 16 digits, through the full-text index (search_tsv
    on PostgreSQL, FTS5 portal_process_fts on SQLite: migration portal 0004). With q the
    default order is relevance (ts_rank / bm25, a title word above the rest), then newest.
    An agency code no public process carries matches nothing.
    """
    qs, rank = _text_filter(_listed(processes_public()), filters.q)
    if filters.agency:
        agency_id = agency_ids().get(filters.agency) or _agency_id(filters.agency)
        if agency_id is None:
            return qs.none()
        qs = qs.filter(agency_id=agency_id)
    if filters.stage:
        qs = qs.filter(stage_reached=filters.stage)
    if filters.year is not None:
        qs = qs.filter(fiscal_year=filters.year)
    if filters.method:
        qs = qs.filter(method=filters.method)
    if filters.value_min is not None:
        qs = qs.filter(value_idr__gte=filters.value_min)
    if filters.value_max is not None:
        qs = qs.filter(value_idr__lte=filters.value_max)
    if filters.flag:
        flagged = ProcessFlag.objects.filter(process_id=OuterRef("pk"), code=filters.flag)
        qs = qs.filter(Exists(flagged))
    whole = matches is not None and matches <= RANK_WINDOW
    return _ordered(qs, filters.sort, rank, whole=whole)


def _listed(qs: QuerySet[Process]) -> QuerySet[Process]:
    """Return qs loading only what a result list shows (LIST_FIELDS, the agency joined)."""
    return qs.select_related("agency").only(*LIST_FIELDS)


def _agency_id(code: str) -> int | None:
    """Return the id of the agency with code (a fallback when the cached choices are stale)."""
    found: int | None = Agency.objects.filter(code=code).values_list("id", flat=True).first()
    return found


def _text_filter(qs: QuerySet[Process], q: str) -> tuple[QuerySet[Process], RawSQL | None]:
    """Return qs narrowed to the matches of q and the expression of their relevance, if any."""
    terms = q.lower().split()[:MAX_TERMS]
    whole = npwp_digits(q)
    groups = [[whole]] if whole else [_term_words(term) for term in terms]
    groups = [g for g in groups if g][:MAX_TERMS]
    if not groups:
        if terms:  # only punctuation: match it literally
            return qs.filter(search_text__icontains=terms[0]), None
        return qs, None
    if connection.vendor == "postgresql":
        tsquery = " & ".join("(" + " | ".join(group) + ")" for group in groups)
        sql = "to_tsquery('simple', %s)"
        qs = qs.extra(where=[f"search_tsv @@ {sql}"], params=[tsquery])
        return qs, RawSQL(f"ts_rank(search_tsv, {sql})", [tsquery])
    match = " AND ".join("(" + " OR ".join(map(_fts5_term, group)) + ")" for group in groups)
    fts = "FROM portal_process_fts WHERE portal_process_fts MATCH %s"
    qs = qs.filter(pk__in=RawSQL(f"SELECT rowid {fts}", [match]))
    score = f"-bm25(portal_process_fts, {FTS_TITLE_WEIGHT}, 1.0)"
    return qs, RawSQL(f"(SELECT {score} {fts} AND rowid = contracting_process.id)", [match])


def _term_words(term: str) -> list[str]:
    """Return the alternatives one query term matches, in PostgreSQL tsquery notation.

    An NPWP in any format matches its 16 digits exactly; each word matches as a word prefix
    or, when it has a dictionary root, that root ("pembangunan" also finds "bangun").
    """
    npwp = npwp_digits(term)
    if npwp:
        return [npwp]
    words = _WORD.findall(term)
    if len(words) != 1:  # "k-350": every part, as one alternative ("k:* & 350:*")
        return [" & ".join(f"{w}:*" for w in words)] if words else []
    roots = root_forms(words[0])
    return [f"{words[0]}:*", *roots]


def _fts5_term(alternative: str) -> str:
    """Return a tsquery alternative of _term_words in SQLite FTS5 query notation."""
    parts = [p.strip() for p in alternative.split("&")]
    quoted = [f'"{p[:-2]}"*' if p.endswith(":*") else f'"{p}"' for p in parts]
    return quoted[0] if len(quoted) == 1 else "(" + " AND ".join(quoted) + ")"


def _ordered(
    qs: QuerySet[Process], sort: str, rank: RawSQL | None, *, whole: bool = False
) -> QuerySet[Process]:
    """Return qs in the order of sort; relevance (the default with a query) needs rank.

    Relevance orders the RANK_WINDOW newest matches (all of them when fewer match): ranking
    every match of a common word ("jalan": tens of thousands of 100k) costs 250–450 ms, the
    window about as much as counting to COUNT_CAP. The count stops there too. The window is
    found once and its rows read by id: repeating the filters outside it made PostgreSQL scan
    every match twice ("maju jaya" on the 100k bench: 239 → 162 ms under load).

    whole (at most RANK_WINDOW matches, known from the count) ranks every match directly, the
    same rows in the same order: asked for the newest window, PostgreSQL walks the date index
    hoping to stop early and, when fewer than RANK_WINDOW match, reads the whole table
    ("pengawasan" in 2021 on the 100k bench: 876 matches, 111 ms; 14 ms from the text index).
    """
    if sort in ("", "relevance") and rank is not None:
        if whole:
            return qs.alias(rank=rank).order_by("-rank", *ORDERS["newest"])
        newest = qs.order_by(*ORDERS["newest"]).values("pk")[:RANK_WINDOW]
        window = _listed(Process.objects.filter(pk__in=Subquery(newest)))
        return window.alias(rank=rank).order_by("-rank", *ORDERS["newest"])
    return qs.order_by(*ORDERS[sort if sort in ORDERS else "newest"])


def process_public_get(ocid: str) -> Process | None:
    """Return the published process with ocid and its wajib/sukarela row (scope), or None
    (drafts are not public)."""
    if clean_text(ocid) != ocid or len(ocid) > 100:
        return None
    return processes_public().select_related("agency", "scope").filter(ocid=ocid).first()


@dataclass
class StageStatus:
    """Describe one of the five stages on a process page."""

    code: str
    label: str
    published: bool
    first_date: datetime | None = None
    releases: int = 0
    missing: bool = False  # skipped although a later stage is published


def process_timeline(process: Process) -> list[StageStatus]:
    """Return the five stages in order with what is published and what is missing."""
    rows = Release.objects.filter(process=process).values("stage", "published_at")
    statuses = {s: StageStatus(s, STAGE_LABELS[s], False) for s in STAGES}
    for row in rows:
        st = statuses.get(row["stage"])
        if st is None:
            continue
        st.published = True
        st.releases += 1
        if st.first_date is None or row["published_at"] < st.first_date:
            st.first_date = row["published_at"]
    ordered = [statuses[s] for s in STAGES]
    last = max((i for i, st in enumerate(ordered) if st.published), default=-1)
    for i, st in enumerate(ordered):
        st.missing = not st.published and i < last
    return ordered


def process_documents(process: Process) -> list[Document]:
    """Return the documents of process that a release has published, in stage order."""
    docs = Document.objects.filter(process=process, release__isnull=False)
    order = {stage: i for i, stage in enumerate(STAGES)}
    return sorted(docs, key=lambda d: (order.get(d.stage, len(order)), d.uploaded_at, d.pk))


def process_suppliers(process: Process) -> list[dict[str, str]]:
    """Return the suppliers named in process's compiled release (awards, then parties)."""
    release = process.compiled_release or {}
    found: dict[str, dict[str, str]] = {}
    for award in release.get("awards", []):
        for org in award.get("suppliers", []):
            found.setdefault(org.get("id") or org.get("name", ""), org)
    for party in release.get("parties", []):
        if "supplier" in party.get("roles", []):
            found.setdefault(party.get("id") or party.get("name", ""), party)
    return [{"id": o.get("id", ""), "name": o.get("name", "")} for o in found.values()]


def process_values(process: Process) -> dict[str, int | None]:
    """Return the process's budget, tender, award and contract values in Rupiah (or None)."""
    release = process.compiled_release or {}

    def amount(obj: Any) -> int | None:
        value = obj.get("amount") if isinstance(obj, dict) else None
        return int(value) if isinstance(value, int | float) else None

    awards = release.get("awards") or [{}]
    contracts = release.get("contracts") or [{}]
    return {
        "budget": amount(release.get("planning", {}).get("budget", {}).get("amount")),
        "tender": amount(release.get("tender", {}).get("value")),
        "award": amount(awards[0].get("value")),
        "contract": amount(contracts[0].get("value")),
    }


@dataclass
class AgencyCompleteness:
    """Count, for one agency, its public processes and how many filled each stage."""

    agency: Agency
    total: int
    filled: dict[str, int] = field(default_factory=dict)

    def rows(self) -> list[tuple[str, str, int, int]]:
        """Return (stage code, label, filled count, percent) for the five stages."""
        return [
            (s, STAGE_LABELS[s], n, round(100 * n / self.total) if self.total else 0)
            for s in STAGES
            for n in [self.filled.get(s, 0)]
        ]

    def complete_percent(self) -> int:
        """Return the share (0-100) of stage slots filled over all its processes."""
        slots = self.total * len(STAGES)
        return round(100 * sum(self.filled.values()) / slots) if slots else 0


def completeness_by_agency() -> list[AgencyCompleteness]:
    """Return, per agency with public processes, the count of processes filling each stage."""
    totals = dict(
        processes_public()
        .order_by()
        .values_list("agency")
        .annotate(n=Count("id"))
        .values_list("agency", "n")
    )
    filled = (
        Release.objects.filter(process__first_published_at__isnull=False)
        .order_by()
        .values_list("process__agency", "stage")
        .annotate(n=Count("process", distinct=True))
    )
    result = {
        a.pk: AgencyCompleteness(a, totals[a.pk])
        for a in Agency.objects.filter(pk__in=[k for k in totals if k is not None])
    }
    for agency_id, stage, n in filled:
        if agency_id in result and stage in STAGE_LABELS:
            result[agency_id].filled[stage] = n
    return sorted(result.values(), key=lambda c: c.agency.name)


def agencies_public() -> QuerySet[Agency]:
    """Return the agencies that have at least one public process (the filter's choices)."""
    public = Process.objects.filter(agency=OuterRef("pk"), first_published_at__isnull=False)
    return Agency.objects.filter(Exists(public)).order_by("name")


@dataclass(frozen=True)
class AgencyOption:
    """Name one agency of the search filter: its code, name and primary key."""

    code: str
    name: str
    id: int


Stamp = tuple[datetime | None, int | None, int | None]


@dataclass
class _Choices:
    """Hold this worker's copy of the filter choices and of the publication stamp."""

    stamp_at: float = -1e9  # time.monotonic() when stamp was read
    stamp: Stamp = (None, None, None)
    built_at: float = -1e9
    built_for: Stamp = (None, None, None)
    agencies: list[AgencyOption] = field(default_factory=list)
    agency_ids: dict[str, int] = field(default_factory=dict)


_choices = _Choices()


def publication_stamp() -> Stamp:
    """Return (newest last_published_at, highest id) of the public processes and the highest
    transparency log entry id.

    A publication moves a process to the top of the public order, an import adds rows with
    higher ids, and every public state change (an imported release of an older process too)
    appends a log entry in its own transaction, so the stamp changes in any process; each part
    is one index probe, asked at most once per STAMP_TTL per worker (a publication elsewhere
    shows within it).
    """
    now = time.monotonic()
    if now - _choices.stamp_at >= STAMP_TTL:
        public = processes_public()
        newest = public.values_list("last_published_at", flat=True).first()
        highest = public.order_by("-id").values_list("id", flat=True).first()
        _choices.stamp, _choices.stamp_at = (newest, highest, entry_id_latest()), now
    return _choices.stamp


def agency_options() -> list[AgencyOption]:
    """Return the agencies with a public process, by name, from an in-process copy.

    The copy is rebuilt when publication_stamp changes (a publication anywhere), when an
    Agency or Process is saved or deleted in this process, or after OPTIONS_TTL seconds.
    """
    stamp, now = publication_stamp(), time.monotonic()
    if stamp != _choices.built_for or now - _choices.built_at >= OPTIONS_TTL:
        rows = agencies_public().values_list("code", "name", "id")
        _choices.agencies = [AgencyOption(code, name, pk) for code, name, pk in rows]
        _choices.agency_ids = {a.code: a.id for a in _choices.agencies}
        _choices.built_for, _choices.built_at = stamp, now
    return _choices.agencies


def agency_ids() -> dict[str, int]:
    """Return the primary key of each agency with a public process, by code."""
    agency_options()
    return _choices.agency_ids


def options_forget(**_: object) -> None:
    """Drop this worker's copy of the filter choices (a signal receiver)."""
    global _choices
    _choices = _Choices()


for _model in (Agency, Process):
    post_save.connect(options_forget, sender=_model, dispatch_uid=f"portal-options-{_model}")
    post_delete.connect(options_forget, sender=_model, dispatch_uid=f"portal-options-del-{_model}")


OVERVIEW_AGENCIES = 8  # agencies charted by name; the rest share one "others" bar
OVERVIEW_RECENT = 6


@dataclass(frozen=True)
class Slice:
    """Count the public processes of one group and add up their headline values (Rupiah).

    key is the group's code (agency code, method, stage, year as text); "" groups processes
    without one, and OTHERS the `members` agencies beyond OVERVIEW_AGENCIES."""

    key: str
    label: str
    processes: int
    value: int
    members: int = 1


OTHERS = "*"


@dataclass(frozen=True)
class RecentRelease:
    """Name one recent publication: which stage of which process, by whom, when."""

    ocid: str
    title: str
    agency: str
    stage: str
    published_at: datetime


@dataclass(frozen=True)
class Overview:
    """Hold where the money goes: totals over the public processes and four breakdowns, each
    of which adds up to the totals, and the most recent publications."""

    processes: int
    value: int
    agencies: int
    by_agency: list[Slice]
    by_method: list[Slice]
    by_stage: list[Slice]
    by_year: list[Slice]
    recent: list[RecentRelease]


def overview() -> Overview:
    """Return the Overview of the published processes (drafts never count).

    One grouped query over the public processes (by agency, method, stage and year, read
    from the covering index of migration portal 0006) and one for the recent releases, on a
    miss; kept in the cache for TERBUKA["SEARCH_CACHE_SECONDS"] under the publication stamp
    like a search, so a publication shows at once and a repeat costs no query. Method and
    stage labels are codes here: translate them when shown.
    """
    key = "portal-overview:" + hashlib.sha256(repr(publication_stamp()).encode()).hexdigest()[:32]
    found: Overview = cache_through(key, _overview_compute)
    return found


Cell = tuple[int | None, str, str, int]  # agency id, method, stage reached, fiscal year


def overview_cube() -> QuerySet[Process, tuple[Any, ...]]:
    """Return the query of (agency id, method, stage reached, fiscal year, process count,
    value sum) per group of public processes; it reads only the index portal_process_overview
    (COUNT(*), not COUNT(id), which PostgreSQL would fetch from the rows)."""
    return (
        processes_public()
        .order_by()
        .values_list("agency_id", "method", "stage_reached", "fiscal_year")
        .annotate(n=Count("*"), value=Sum("value_idr"))
        .values_list("agency_id", "method", "stage_reached", "fiscal_year", "n", "value")
    )


def _overview_compute() -> Overview:
    """Return the Overview from the (agency, method, stage, year) cube of public processes."""
    cube: dict[Cell, tuple[int, int]] = {
        (agency, method, stage, year): (n, int(value or 0))  # PostgreSQL sums as numeric
        for agency, method, stage, year, n, value in overview_cube()
    }
    return Overview(
        processes=sum(n for n, _ in cube.values()),
        value=sum(value for _, value in cube.values()),
        agencies=len({cell[0] for cell in cube if cell[0] is not None}),
        by_agency=_by_agency(_summed(cube, 0)),
        by_method=_ordered_slices(_summed(cube, 1), [m for m, _ in Method.choices]),
        by_stage=_ordered_slices(_summed(cube, 2), list(STAGES)),
        by_year=_ordered_slices(_summed(cube, 3), []),
        recent=_recent(),
    )


def _summed(cube: dict[Cell, tuple[int, int]], axis: int) -> dict[Any, tuple[int, int]]:
    """Return (process count, value) per value of one axis of cube, summed over the others."""
    sums: dict[Any, tuple[int, int]] = {}
    for cell, (n, value) in cube.items():
        had_n, had_value = sums.get(cell[axis], (0, 0))
        sums[cell[axis]] = (had_n + n, had_value + value)
    return sums


def _ordered_slices(sums: dict[Any, tuple[int, int]], order: list[str]) -> list[Slice]:
    """Return a Slice per key of sums, keys in order first, then the rest sorted."""
    rank = {code: i for i, code in enumerate(order)}
    keys = sorted(map(str, sums), key=lambda k: (rank.get(k, len(rank)), k))
    by_text = {str(k): v for k, v in sums.items()}
    return [Slice(k, k, *by_text[k]) for k in keys]


def _by_agency(sums: dict[int | None, tuple[int, int]]) -> list[Slice]:
    """Return a Slice per agency by value, largest first; beyond OVERVIEW_AGENCIES one OTHERS
    slice, and processes without an agency (imported) as one slice with key ""."""
    names = {a.id: a for a in agency_options()}
    named = sorted(
        (
            Slice(names[pk].code, names[pk].name, n, value)
            for pk, (n, value) in sums.items()
            if pk in names
        ),
        key=lambda s: (-s.value, -s.processes, s.label),
    )
    shown, rest = named[:OVERVIEW_AGENCIES], named[OVERVIEW_AGENCIES:]
    if rest:
        processes, value = sum(s.processes for s in rest), sum(s.value for s in rest)
        shown.append(Slice(OTHERS, "", processes, value, members=len(rest)))
    unnamed = [nv for pk, nv in sums.items() if pk not in names]  # none, or renamed just now
    if unnamed:
        shown.append(Slice("", "", sum(n for n, _ in unnamed), sum(v for _, v in unnamed)))
    return shown


def _recent() -> list[RecentRelease]:
    """Return the newest release of each of the OVERVIEW_RECENT processes published to last,
    newest first (read from the newest releases: a process's stages often publish together)."""
    rows = (
        Release.objects.filter(process__first_published_at__isnull=False)
        .order_by("-published_at", "-id")
        .values_list(
            "process__ocid",
            "process__title",
            "process__agency__name",
            "process__buyer_name",
            "stage",
            "published_at",
        )[: OVERVIEW_RECENT * len(STAGES)]
    )
    newest: dict[str, RecentRelease] = {}
    for ocid, title, agency, buyer, stage, at in rows:
        newest.setdefault(ocid, RecentRelease(ocid, title, agency or buyer, stage, at))
    return list(newest.values())[:OVERVIEW_RECENT]
