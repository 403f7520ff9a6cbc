"""Tell what changed in a contracting process between two of its releases.

A release publishes only what one stage says; what a citizen (or an auditor) compares is the
state of the whole process after each release: the compiled release of that release and
every earlier one (OCDS 1.1.5 merging, terbuka.ocds.merge). states() gives that state after
every release, and diff_releases() compares two states field by field and document by
document. Objects in arrays are matched by their `id` (as the merge does), so a changed
milestone is one changed field, not a removed and an added one.

An auditor re-runs it on a downloaded record package:
    releases = package["records"][0]["releases"]
    diff_states(releases, "ocds-x-tender-2", "ocds-x-contract-5")
Spec: https://standard.open-contracting.org/1.1/en/schema/merging/
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from terbuka.errors import ValidationError
from terbuka.ocds.merge import compile_release

# What describes a release rather than the process: it differs between any two releases.
RELEASE_METADATA = frozenset(["id", "date", "tag"])
DOCUMENTS = "documents"


def change_kind(before: Any, after: Any) -> str:
    """Return "added" when before is None (absent), "removed" when after is, else "changed"."""
    if before is None:
        return "added"
    return "removed" if after is None else "changed"


@dataclass(frozen=True, slots=True)
class FieldChange:
    """Name one field that differs: where (keys and array ids), its value before and after.

    path holds the keys and, for objects in arrays, their ids: ("contracts",
    "ocds-x-contract-1", "value", "amount"); field holds the keys only, joined by "/"
    ("contracts/value/amount"), which is what a label names. A value is a scalar or a tuple
    of them; None means absent.
    """

    path: tuple[str, ...]
    field: str
    before: Any
    after: Any

    @property
    def kind(self) -> str:
        """Return "added", "removed" or "changed" (see change_kind)."""
        return change_kind(self.before, self.after)


@dataclass(frozen=True, slots=True)
class DocumentChange:
    """Name one document (by id) added, removed or changed, in section ("tender",
    "contracts/implementation"…), with the document objects before and after (None: absent)."""

    id: str
    section: str
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None

    @property
    def kind(self) -> str:
        """Return "added", "removed" or "changed" (see change_kind)."""
        return change_kind(self.before, self.after)


@dataclass(frozen=True, slots=True)
class Diff:
    """Hold the field changes and document changes between two states, in document order."""

    fields: list[FieldChange] = field(default_factory=list)
    documents: list[DocumentChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.fields or self.documents)


def diff_releases(before: Mapping[str, Any], after: Mapping[str, Any]) -> Diff:
    """Return what changed from release (or compiled release) before to after.

    Top-level id, date and tag are skipped (they describe the release); documents are
    compared apart, by id. Example: before {"tender": {"value": {"amount": 5}}}, after
    {"tender": {"value": {"amount": 7}}} → Diff(fields=[FieldChange(("tender", "value",
    "amount"), "tender/value/amount", 5, 7)]).
    """
    skip = {key: None for key in RELEASE_METADATA}
    fields = list(_walk({**before, **skip}, {**after, **skip}, (), ()))
    old, new = _documents(before), _documents(after)
    documents = [
        DocumentChange(ident, section, old_doc, new_doc)
        for ident, section in dict.fromkeys([*old, *new])
        for old_doc, new_doc in [(old.get((ident, section)), new.get((ident, section)))]
        if old_doc != new_doc
    ]
    return Diff(fields, documents)


def states(releases: Sequence[Mapping[str, Any]]) -> list[tuple[Mapping[str, Any], dict[str, Any]]]:
    """Return each release in date order (ties in the given order) with the compiled release
    of it and every release before it: the state of the process it left.

    Raises ValidationError when the releases cannot be merged (terbuka.ocds.merge).
    """
    ordered = sorted(releases, key=itemgetter("date"))
    return [
        (r, compile_release([dict(x) for x in ordered[: n + 1]])) for n, r in enumerate(ordered)
    ]


def state_after(
    staged: Sequence[tuple[Mapping[str, Any], dict[str, Any]]], release_id: str, *, where: str
) -> dict[str, Any]:
    """Return the state after the release with release_id among staged (from states()).

    Raises ValidationError (at where, e.g. the query parameter) when no release has that id.
    """
    for release, state in staged:
        if str(release.get("id")) == release_id:
            return state
    raise ValidationError(
        f"rilis {release_id[:120]!r} bukan rilis proses ini; pilih rilis dari daftar",
        f"release {release_id[:120]!r} is not a release of this process; choose one from the list",
        where=where,
    )


def diff_states(releases: Sequence[Mapping[str, Any]], from_id: str, to_id: str) -> Diff:
    """Return what changed in the process from the state after release from_id to the state
    after release to_id (either may be the later one).

    Raises ValidationError (where = "dari" or "ke") when a release id is not among releases.
    """
    staged = states(releases)
    before = state_after(staged, from_id, where="dari")
    return diff_releases(before, state_after(staged, to_id, where="ke"))


def _walk(
    before: Any, after: Any, path: tuple[str, ...], keys: tuple[str, ...]
) -> Iterator[FieldChange]:
    """Yield the changes from before to after below path (keys: path without array ids)."""
    if _is_object(before, after):
        old, new = before or {}, after or {}
        for key in dict.fromkeys([*old, *new]):
            if key != DOCUMENTS:
                yield from _walk(old.get(key), new.get(key), (*path, key), (*keys, key))
    elif _is_identified(before, after):
        old_items, new_items = _by_id(before or []), _by_id(after or [])
        for ident in dict.fromkeys([*old_items, *new_items]):
            yield from _walk(old_items.get(ident), new_items.get(ident), (*path, ident), keys)
    else:
        old_value, new_value = _value(before), _value(after)
        if old_value != new_value:
            yield FieldChange(path, "/".join(keys), old_value, new_value)


def _is_object(before: Any, after: Any) -> bool:
    """Report whether before and after are objects (or one is absent and the other one)."""
    sides = [v for v in (before, after) if v is not None]
    return bool(sides) and all(isinstance(v, Mapping) for v in sides)


def _is_identified(before: Any, after: Any) -> bool:
    """Report whether before and after are arrays of objects with ids (or absent): merged by id."""
    sides = [v for v in (before, after) if v is not None]
    return (
        bool(sides)
        and all(isinstance(v, list) for v in sides)
        and any(sides)
        and all(isinstance(i, Mapping) and "id" in i for v in sides for i in v)
    )


def _by_id(items: list[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    return {str(item["id"]): item for item in items}


def _value(value: Any) -> Any:
    """Return value as compared: lists as tuples (of values), an empty list or object as absent."""
    if isinstance(value, list):
        return tuple(_value(v) for v in value) or None
    if isinstance(value, Mapping):
        return tuple(sorted((k, _value(v)) for k, v in value.items())) or None
    return value


def _documents(release: Mapping[str, Any]) -> dict[tuple[str, str], Mapping[str, Any]]:
    """Return the documents of every section of release by (id, section), in release order."""
    found: dict[tuple[str, str], Mapping[str, Any]] = {}
    for section, docs in _document_lists(release, ()):
        for doc in docs:
            found[(str(doc.get("id", "")), section)] = doc
    return found


def _document_lists(node: Any, keys: tuple[str, ...]) -> Iterator[tuple[str, list[Any]]]:
    """Yield (section, documents list) for every `documents` array below node."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == DOCUMENTS and isinstance(value, list):
                yield "/".join(keys), [d for d in value if isinstance(d, Mapping)]
            else:
                yield from _document_lists(value, (*keys, key))
    elif isinstance(node, list):
        for item in node:
            yield from _document_lists(item, keys)
