"""Selectors of the story of a process: its releases, what each changed, its implementation.

The process page tells what happened from the releases as published: every release with the
state of the process it left (terbuka.ocds.diff.states), what changed in plain words, links
to its JSON and its log receipt; the plan, tender, award, contract and amendments of the
compiled release; and the implementation (milestones with lateness, payments, physical
against financial progress). The diff page compares the states after any two releases.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from terbuka.ocds.build import PROGRESS_MILESTONE_ID
from terbuka.ocds.codes import stage_of_tags
from terbuka.ocds.diff import Diff, FieldChange, diff_releases, state_after, states
from terbuka_web.contracting.labels import code_label
from terbuka_web.contracting.models import Process, Release
from terbuka_web.contracting.selectors import release_log_ref
from terbuka_web.portal.labels import (
    DATE_KEYS,
    FIELD_LABELS,
    HIDDEN_FIELDS,
    SECTION_LABELS,
    SUMMARY_FIELDS,
    TAG_LABELS,
)
from terbuka_web.portal.selectors import STAGE_LABELS
from terbuka_web.portal.templatetags.terbuka import rupiah
from terbuka_web.transparency.selectors import entry_indices_for

ITEM_NAME_KEYS = ("title", "description", "name")
UNNAMED_ARRAYS = frozenset(["awards", "contracts"])  # one each per process: no name needed
SUMMARY_LINES = 4  # changes listed under a release on the process page


@dataclass
class ChangeLine:
    """One change as a person reads it: what (label, and which item), before and after."""

    section: str
    field: str
    label: str
    item: str
    before: str
    after: str
    kind: str


@dataclass
class ReleaseStep:
    """One release on the process page or the diff page's choices."""

    release_id: str
    number: int
    published_at: datetime
    stage: str
    headline: str
    rationale: str
    changes: list[ChangeLine] = field(default_factory=list)
    more: int = 0
    json_url: str = ""
    log_index: int | None = None
    diff_url: str = ""

    @property
    def stage_label(self) -> str:
        """Return the stage's name in the active language."""
        return str(STAGE_LABELS.get(self.stage, self.stage))


@dataclass
class Story:
    """What the process page tells: the releases, the lifecycle and the implementation."""

    steps: list[ReleaseStep]
    state: dict[str, Any]
    progress: list[tuple[str, int | None, float | None]]
    staged: list[tuple[Mapping[str, Any], dict[str, Any]]]


def release_rows(process: Process) -> list[Release]:
    """Return the releases of process in publication order, with their data."""
    return list(process.releases.order_by("published_at", "id"))


def process_story(process: Process, releases: Sequence[Release]) -> Story:
    """Return the story of process from its releases (publication order, see release_rows)."""
    staged = states([r.data for r in releases])
    by_id = {r.release_id: r for r in releases}
    indices = entry_indices_for(
        [release_log_ref(process.ocid, r.release_id) for r in releases], kind="ocds.release"
    )
    steps, previous, progress = [], None, []
    for number, (data, state) in enumerate(staged, start=1):
        release = by_id[str(data.get("id"))]
        step = _step(process, release, number, data)
        step.log_index = indices.get(release_log_ref(process.ocid, release.release_id))
        if previous is not None:
            step.diff_url = diff_url(process.ocid, steps[-1].release_id, release.release_id)
        before = previous or {}
        lines = change_lines(diff_releases(before, state), before, state)
        lines.sort(key=lambda line: line.field not in SUMMARY_FIELDS)  # stable: key ones first
        if step.rationale:  # shown above the changes already
            lines = [line for line in lines if "/amendments/" not in line.field]
        step.changes, step.more = lines[:SUMMARY_LINES], max(0, len(lines) - SUMMARY_LINES)
        if step.stage == "implementation":
            progress.append((f"{number}", *_progress_of(state)))
        steps.append(step)
        previous = state
    return Story(steps, previous or {}, progress, staged)


def _step(process: Process, release: Release, number: int, data: Mapping[str, Any]) -> ReleaseStep:
    tags = data.get("tag") or []
    stage = release.stage or stage_of_tags(tags) or ""
    headline = " · ".join(str(TAG_LABELS.get(t, STAGE_LABELS.get(stage, t))) for t in tags)
    return ReleaseStep(
        release_id=release.release_id,
        number=number,
        published_at=release.published_at,
        stage=stage,
        headline=headline or str(STAGE_LABELS.get(stage, "")),
        rationale=_rationale_of(data),
        json_url=reverse("portal:release_json", args=[process.ocid, release.release_id]),
    )


def _rationale_of(release: Mapping[str, Any]) -> str:
    """Return the amendment rationale a release carries (tender or contract), else ""."""
    sections = [release.get("tender") or {}, *(release.get("contracts") or [])]
    for section in sections:
        for amendment in section.get("amendments") or []:
            if amendment.get("releaseID") == release.get("id"):
                return str(amendment.get("rationale", ""))
    return ""


def diff_url(ocid: str, from_id: str, to_id: str) -> str:
    """Return the diff page's address comparing the states after from_id and to_id."""
    return (
        reverse("portal:process_diff", args=[ocid])
        + "?"
        + urlencode({"dari": from_id, "ke": to_id})
    )


def change_lines(
    diff: Diff, before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[ChangeLine]:
    """Return the shown field changes of diff in plain words (hidden identifiers left out),
    in lifecycle order (SECTION_LABELS), each section in the order of the release."""
    lines = []
    for change in diff.fields:
        if _hidden(change):
            continue
        item = _item_name(change, before, after)
        lines.append(
            ChangeLine(
                section=_section_of(change.field),
                field=change.field,
                label=str(FIELD_LABELS.get(change.field, change.field)),
                item="" if item in (change.before, change.after) else item,
                before=human_value(change.field, change.before),
                after=human_value(change.field, change.after),
                kind=change.kind,
            )
        )
    order = {str(label): n for n, label in enumerate(SECTION_LABELS.values())}
    return sorted(lines, key=lambda line: order[line.section])


def _section_of(field_name: str) -> str:
    """Return the lifecycle section a field belongs to, in words ("tender/…" → Pemilihan)."""
    prefix = max((p for p in SECTION_LABELS if field_name.startswith(p)), key=len)
    return str(SECTION_LABELS[prefix])


def _hidden(change: FieldChange) -> bool:
    """Report whether a change repeats another (an identifier, the currency, the progress
    milestone's title and status, which say its percentage again)."""
    if change.field in HIDDEN_FIELDS or change.field.endswith("/currency"):
        return True
    return PROGRESS_MILESTONE_ID in change.path and not change.field.endswith("/description")


def _item_name(change: FieldChange, before: Mapping[str, Any], after: Mapping[str, Any]) -> str:
    """Return the name (title, description or name) of the array object a change lies in
    (a milestone, an item…), or "" outside arrays, for an unnamed object, and for the one
    award and contract of a process (UNNAMED_ARRAYS)."""
    for state in (after, before):
        node: Any = state
        item: Any = None
        for key, part in zip(("", *change.path), change.path[:-1], strict=False):
            in_array = isinstance(node, list) and key not in UNNAMED_ARRAYS
            node = _child(node, part)
            item = node if in_array else item
        if isinstance(item, Mapping) and item.get("id") != PROGRESS_MILESTONE_ID:
            return str(next((item[k] for k in ITEM_NAME_KEYS if item.get(k)), ""))
    return ""


def _child(node: Any, part: str) -> Any:
    if isinstance(node, Mapping):
        return node.get(part)
    if isinstance(node, list):
        return next((i for i in node if isinstance(i, Mapping) and str(i.get("id")) == part), None)
    return None


def human_value(field_name: str, value: Any) -> str:
    """Return a value as a person reads it: Rupiah, a date, a status label or the text."""
    if value is None:
        return "—"
    last = field_name.rsplit("/", 1)[-1]
    if isinstance(value, tuple):
        return ", ".join(human_value(field_name, v) for v in value)
    if last == "amount" and isinstance(value, int | float):
        return rupiah(int(value))
    if last in DATE_KEYS and isinstance(value, str):
        return human_date(value)
    if last == "status":
        return code_label(value, _status_list(field_name))
    return str(value)


def _status_list(field_name: str) -> str:
    """Return the code list of a status field: "awards/status" → "awardStatus"."""
    if "milestones" in field_name:
        return "milestoneStatus"
    for prefix, kind in (("tender", "tenderStatus"), ("awards", "awardStatus")):
        if field_name.startswith(prefix):
            return kind
    return "contractStatus"


def human_date(text: str) -> str:
    """Return an OCDS date-time as a local date ("4 Mei 2026"), or text when it does not parse."""
    moment = date_of(text)
    return date_format(moment, "j F Y") if moment else text


def date_of(text: Any) -> date | None:
    """Return the local calendar date of an OCDS date-time, or None when it does not parse."""
    parsed = parse_datetime(str(text)) if text else None
    if parsed is None:
        return None
    return timezone.localtime(parsed).date() if timezone.is_aware(parsed) else parsed.date()


def _progress_of(state: Mapping[str, Any]) -> tuple[int | None, float | None]:
    """Return (physical %, financial % = paid / contract value) of a state, None if unknown."""
    contract = (state.get("contracts") or [{}])[0]
    implementation = contract.get("implementation") or {}
    physical = None
    for milestone in implementation.get("milestones") or []:
        if (
            milestone.get("id") == PROGRESS_MILESTONE_ID
            and str(milestone.get("description", "")).isdigit()
        ):
            physical = int(milestone["description"])
    value = (contract.get("value") or {}).get("amount")
    paid = sum(
        (t.get("value") or {}).get("amount") or 0 for t in implementation.get("transactions") or []
    )
    financial = percent_of(paid, value) if isinstance(value, int) else None
    return physical, financial


@dataclass
class Milestone:
    """One milestone of the contract with its due and met dates and how late it is."""

    title: str
    status: str
    due: date | None
    met: date | None
    days_late: int = 0


def milestones(state: Mapping[str, Any], today: date) -> list[Milestone]:
    """Return the contract's milestones (physical progress left out) with their lateness:
    met after the due date, or still open past it (counted to today)."""
    contract = (state.get("contracts") or [{}])[0]
    found = []
    for row in (contract.get("implementation") or {}).get("milestones") or []:
        if row.get("id") == PROGRESS_MILESTONE_ID:
            continue
        due, met = date_of(row.get("dueDate")), date_of(row.get("dateMet"))
        status = str(row.get("status", ""))
        end = met if met is not None else (today if status not in ("met", "notMet") else None)
        late = (end - due).days if due and end and end > due else 0
        found.append(Milestone(str(row.get("title", "")), status, due, met, late))
    return found


@dataclass
class Payment:
    """One payment (transaction) with the running total paid."""

    date: date | None
    payee: str
    amount: int
    total: int


def payments(state: Mapping[str, Any]) -> list[Payment]:
    """Return the contract's payments in date order with the running total."""
    contract = (state.get("contracts") or [{}])[0]
    rows = sorted(
        (contract.get("implementation") or {}).get("transactions") or [],
        key=lambda t: str(t.get("date", "")),
    )
    found, total = [], 0
    for row in rows:
        amount = int((row.get("value") or {}).get("amount") or 0)
        total += amount
        payee = str((row.get("payee") or {}).get("name", ""))
        found.append(Payment(date_of(row.get("date")), payee, amount, total))
    return found


@dataclass
class Item:
    """One item of the tender: what, how much, unit price and the line total."""

    description: str
    quantity: float
    unit: str
    unit_value: int | None
    total: int | None


def tender_items(state: Mapping[str, Any]) -> list[Item]:
    """Return the tender's items with their line totals (quantity × unit price)."""
    found = []
    for row in (state.get("tender") or {}).get("items") or []:
        unit = row.get("unit") or {}
        price = (unit.get("value") or {}).get("amount")
        quantity = row.get("quantity") or 0
        total = round(quantity * price) if isinstance(price, int | float) else None
        found.append(
            Item(str(row.get("description", "")), quantity, str(unit.get("name", "")), price, total)
        )
    return found


def amendments(state: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return the tender's and contracts' amendments as {what, date, rationale, release_id}."""
    found = []
    sections = [(_("Pemilihan penyedia"), state.get("tender") or {})]
    sections += [(_("Kontrak"), c) for c in state.get("contracts") or []]
    for what, section in sections:
        for row in section.get("amendments") or []:
            found.append(
                {
                    "what": what,
                    "date": date_of(row.get("date")),
                    "rationale": row.get("rationale", ""),
                    "release_id": row.get("releaseID", ""),
                }
            )
    return sorted(found, key=lambda a: (a["date"] is None, a["date"] or date.min))


def states_diff(
    story: Story, from_id: str, to_id: str
) -> tuple[Diff, dict[str, Any], dict[str, Any]]:
    """Return the diff from the state after release from_id to the one after to_id, and both
    states. Raises ValidationError (where "dari" or "ke") for an id not of this process."""
    before = state_after(story.staged, from_id, where="dari")
    after = state_after(story.staged, to_id, where="ke")
    return diff_releases(before, after), before, after


@dataclass
class DocumentLine:
    """One document added, removed or changed between two states."""

    title: str
    kind: str
    document_type: str
    url: str
    sha256: str


def document_lines(diff: Diff) -> list[DocumentLine]:
    """Return the document changes of diff as lines to show (title, kind, type, link, hash)."""
    found = []
    for change in diff.documents:
        doc = change.after or change.before or {}
        ident = str(doc.get("id", ""))
        found.append(
            DocumentLine(
                title=str(doc.get("title", ident)),
                kind=change.kind,
                document_type=str(doc.get("documentType", "")),
                url=str(doc.get("url", "")),
                sha256=ident.removeprefix("sha256-") if ident.startswith("sha256-") else "",
            )
        )
    return found


def percent_of(part: int, whole: int | None) -> float | None:
    """Return part as a percentage of whole (one decimal), None when whole is unknown or 0."""
    return round(100 * part / whole, 1) if whole else None
