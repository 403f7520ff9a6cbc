"""Merge OCDS releases into compiled and versioned releases (OCDS 1.1.5 merging rules).

Uses ocdsmerge with the release schema bundled in terbuka/ocds/schema, so merging never
touches the network. Compiled releases take a direct merge with ocdsmerge's exact results
(values, key order) when the releases are regular; anything else goes to ocdsmerge itself.
Spec: https://standard.open-contracting.org/1.1/en/schema/merging/
"""

from __future__ import annotations

from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any

import ocdsmerge
from ocdsmerge.exceptions import OCDSMergeError

from terbuka.errors import ValidationError

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
RELEASE_SCHEMA = SCHEMA_DIR / "release-schema.json"

OMIT, WHOLE_LIST = "omitWhenMerged", "wholeListMerge"


@lru_cache(maxsize=8)
def merger(schema_path: str = str(RELEASE_SCHEMA)) -> ocdsmerge.Merger:
    """Return a cached Merger built from the release schema at schema_path (default 1.1.5)."""
    return ocdsmerge.Merger(schema_path)


def _merge(kind: str, releases: list[dict[str, Any]], schema_path: str | None) -> dict[str, Any]:
    m = merger(schema_path or str(RELEASE_SCHEMA))
    try:
        if kind == "compiled":
            merged: dict[str, Any] = m.create_compiled_release(releases)
        else:
            merged = m.create_versioned_release(releases)
    except (OCDSMergeError, TypeError, AttributeError) as exc:
        raise ValidationError(
            f"rilis tidak dapat digabung: {exc}",
            f"releases cannot be merged: {exc}",
            where="/releases",
        ) from exc
    return merged


def compile_release(
    releases: list[dict[str, Any]], *, schema_path: str | None = None
) -> dict[str, Any]:
    """Return the compiled release of releases (all of one ocid), merged in date order.

    Equals ocdsmerge's compiled release, key order included. Raises ValidationError when a
    release lacks a string date or is not an object, or when a field changes type.
    Example: [{"ocid":"ocds-213czf-1","id":"1","date":"2024-01-01T00:00:00Z","tag":["tender"]}]
    → {"tag":["compiled"],"id":"ocds-213czf-1-2024-01-01T00:00:00Z","date":…,"ocid":…}.
    """
    try:
        return _compile_direct(releases, _rule_tree(schema_path or str(RELEASE_SCHEMA)))
    except _Irregular:
        return _merge("compiled", releases, schema_path)


def versioned_release(
    releases: list[dict[str, Any]], *, schema_path: str | None = None
) -> dict[str, Any]:
    """Return the versioned release of releases: every field's history with releaseID/date/tag.

    Raises ValidationError as compile_release does. Example field:
    "title": [{"releaseID":"1","releaseDate":"2024-01-01T00:00:00Z","releaseTag":["tender"],
    "value":"Jalan"}].
    """
    return _merge("versioned", releases, schema_path)


# ocdsmerge flattens every release to {path: value}, updates one dict with them in date order
# and rebuilds the tree, dropping null values; objects in arrays are matched by `id`. The
# direct merge below builds the same tree in place: a field keeps the position where it first
# appeared, later values replace earlier ones, nulls are dropped at the end. Inputs where
# ocdsmerge's result depends on its flattening (a path that is a value in one release and an
# object or array in another, ids that are neither strings nor integers or that repeat in one
# array, 1 and "1" as ids of one array, dict or list subclasses, releases without string ocid
# and date) raise _Irregular and go to ocdsmerge.

# A rule tree maps a field name to its merge rule (or None) and the tree of its fields.
_Rules = dict[str, tuple[str | None, "_Rules"]]
_NO_RULE: tuple[None, _Rules] = (None, {})
_ABSENT = object()
_SCALARS = frozenset([str, int, float, bool, type(None)])
_SET = frozenset([str, int, float, bool])  # scalars that are set, not null


class _Irregular(Exception):
    """Signal releases that only ocdsmerge's general algorithm compiles faithfully."""


@lru_cache(maxsize=8)
def _rule_tree(schema_path: str) -> _Rules:
    """Return the merge rules of the schema at schema_path as a tree of field names.

    The top-level `tag` is omitted: ocdsmerge drops it from every release before merging.
    """
    tree: dict[str, Any] = {}
    for path, rule in merger(schema_path).merge_rules.items():
        node = tree
        for part in path[:-1]:
            node = node.setdefault(part, [None, {}])[1]
        node.setdefault(path[-1], [None, {}])[0] = rule
    tree["tag"] = [OMIT, {}]
    return _frozen(tree)


def _frozen(tree: dict[str, Any]) -> _Rules:
    return {key: (rule, _frozen(below)) for key, (rule, below) in tree.items()}


def _compile_direct(releases: list[dict[str, Any]], rules: _Rules) -> dict[str, Any]:
    """Return the compiled release of releases like ocdsmerge; raise _Irregular if unsure."""
    if not all(
        type(r) is dict and type(r.get("date")) is str and type(r.get("ocid")) is str
        for r in releases
    ):
        raise _Irregular
    compiled: dict[str, Any] = {"tag": ["compiled"]}
    build = _Build()
    for release in sorted(releases, key=itemgetter("date")):
        compiled["id"] = f"{release['ocid']}-{release['date']}"
        compiled["date"] = release["date"]
        compiled["ocid"] = release["ocid"]
        build.merge_object(compiled, release, rules)
    for node, key in build.nulls:
        if node.get(key, 0) is None:
            del node[key]
    return compiled


_SKIP, _VALUE = object(), object()  # routes of a field besides dict and list (merged into)


def _route(kind: type, value: Any, rule: str | None) -> Any:
    """Return how a field merges: dict or list (merged into by key or id), _VALUE (set
    whole) or _SKIP (omitted by its rule, or an empty object or array, which change nothing).

    Raises _Irregular for values ocdsmerge treats apart (dict and list subclasses).
    """
    if rule is not None:
        return _SKIP if rule == OMIT else _VALUE
    if kind is dict:
        return dict if value else _SKIP
    if kind is list:
        if _dicts_only(value):
            return list if value else _SKIP
    elif kind not in _SCALARS and isinstance(value, (dict, list)):
        raise _Irregular
    return _VALUE


def _dicts_only(items: list[Any]) -> bool:
    """Report whether every item is a plain dict (an array merged by id, if under no rule).

    Raises _Irregular when they are all dicts but some of a dict subclass (ocdsmerge tells
    those apart).
    """
    for item in items:
        if type(item) is not dict:
            if isinstance(item, dict) and all(isinstance(i, dict) for i in items):
                raise _Irregular
            return False
    return True


class _Build:
    """Merge releases into a compiled release, tracking what ocdsmerge's paths would tell.

    kept holds the ids of the dicts set whole from the releases (under a merge rule): every
    other dict in the tree is this build's own. arrays maps the ids of the lists this build
    created (the others are values set whole) to their objects by id. nulls lists where a
    null was set, to drop at the end. The releases outlive the build, so ids stay unique.
    """

    __slots__ = ("arrays", "kept", "nulls")

    def __init__(self) -> None:
        self.kept: set[int] = set()
        self.arrays: dict[int, dict[Any, dict[str, Any]]] = {}
        self.nulls: list[tuple[dict[str, Any], str]] = []

    def merge_object(self, target: dict[str, Any], source: dict[str, Any], rules: _Rules) -> None:
        """Merge the fields of source into target under rules; raise _Irregular if unsure."""
        for key, value in source.items():
            kind = type(value)
            if kind not in _SET or key in rules:  # else a set scalar: the common case
                rule, below = rules.get(key, _NO_RULE)
                route = _route(kind, value, rule)
                if route is not _VALUE:
                    if route is not _SKIP:
                        self.merge_child(target, key, value, below, route)
                    continue
            # A value ocdsmerge replaces whole: an object or array there before is irregular.
            old = target.setdefault(key, value)
            if old is not value:
                if type(old) not in _SCALARS:
                    self.replaceable(old)
                target[key] = value
            if value is None:
                self.nulls.append((target, key))
            elif kind is dict:
                self.kept.add(id(value))

    def fill(self, node: dict[str, Any], source: dict[str, Any], rules: _Rules) -> None:
        """Merge the fields of source into node, which is new, as merge_object does.

        node holds nothing (or only source's own "id"), so nothing is replaced or merged into:
        values are set, objects and arrays built.
        """
        for key, value in source.items():
            kind = type(value)
            if kind not in _SET or key in rules:  # else a set scalar: the common case
                rule, below = rules.get(key, _NO_RULE)
                route = _route(kind, value, rule)
                if route is not _VALUE:
                    if route is not _SKIP:  # key is absent from node: merge_child builds it
                        self.merge_child(node, key, value, below, route)
                    continue
            node[key] = value
            if value is None:
                self.nulls.append((node, key))
            elif kind is dict:
                self.kept.add(id(value))

    def replaceable(self, old: Any) -> None:
        """Raise _Irregular if old is an object or array of this build (a value replaces it)."""
        if (type(old) is dict and id(old) not in self.kept) or id(old) in self.arrays:
            raise _Irregular

    def merge_child(
        self, target: dict[str, Any], key: str, value: Any, rules: _Rules, kind: type
    ) -> None:
        """Merge value into the object or array (kind) target[key], added unless left empty.

        ocdsmerge creates an object or array only for the values under it.
        """
        node = target.get(key, _ABSENT)
        if node is _ABSENT:
            node = self._new_object(value, rules) if kind is dict else self._new_array(value, rules)
            if node:
                target[key] = node
        elif type(node) is dict and kind is dict and id(node) not in self.kept:
            self.merge_object(node, value, rules)
        elif type(node) is list and kind is list and id(node) in self.arrays:
            self.merge_array(node, self.arrays[id(node)], value, rules)
        else:
            raise _Irregular

    def _new_object(self, source: dict[str, Any], rules: _Rules) -> dict[str, Any]:
        node: dict[str, Any] = {}
        self.fill(node, source, rules)
        return node

    def _new_array(self, items: list[dict[str, Any]], rules: _Rules) -> list[dict[str, Any]]:
        node: list[dict[str, Any]] = []
        index: dict[Any, dict[str, Any]] = {}
        self.merge_array(node, index, items, rules)
        if node:
            self.arrays[id(node)] = index
        return node

    def merge_array(
        self,
        target: list[dict[str, Any]],
        index: dict[Any, dict[str, Any]],
        items: list[dict[str, Any]],
        rules: _Rules,
    ) -> None:
        """Merge items into target by their string or integer ids; append those without one.

        index maps target's ids to its objects.
        """
        if rules.get("id", _NO_RULE)[0] is not None:
            raise _Irregular
        seen: set[str] = set()
        for item in items:
            if "id" not in item:
                anonymous = self._new_object(item, rules)
                if anonymous:
                    target.append(anonymous)
                continue
            ident = item["id"]
            kind = type(ident)
            if kind is not str and kind is not int:
                raise _Irregular
            key = ident if kind is str else str(ident)  # ocdsmerge matches ids as strings
            if key in seen:  # ocdsmerge warns of duplicates
                raise _Irregular
            seen.add(key)
            node = index.get(key)
            if node is None:
                node = index[key] = {"id": ident}
                target.append(node)
                self.fill(node, item, rules)
                continue
            if type(node["id"]) is not kind:  # 1 and "1": ocdsmerge's result is irregular
                raise _Irregular
            self.merge_object(node, item, rules)
