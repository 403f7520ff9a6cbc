"""Compute every enabled indicator over compiled releases: `terbuka flags compute`.

A process is left out, as in Cardinal, when its `ocid` is not a string, its
`tender.status` is "cancelled", or its `tender.procurementMethodDetails` is listed in
`[exclusions] procurement_method_details`. The result is Cardinal's output object without
"Meta"; for example `{"OCID": {"ocds-213czf-1": {"R018": 1.0}}}`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable

from terbuka.flags.jsonl import JsonObject, read_objects
from terbuka.flags.registry import indicators_build
from terbuka.flags.release import matches_details, tender_is_cancelled
from terbuka.flags.run import Results, Run
from terbuka.flags.settings import Settings


def flags_compute(releases: Iterable[JsonObject], settings: Settings) -> Results:
    """Return the results of the indicators the settings enable over the releases."""
    run = Run(settings)
    indicators = indicators_build(settings)
    excluded = settings.section("exclusions").pipe_list("procurement_method_details")
    for release in releases:
        ocid = release.get("ocid")
        if not isinstance(ocid, str) or tender_is_cancelled(release):
            continue
        if not matches_details(release, frozenset(), excluded):
            continue
        for indicator in indicators:
            indicator.fold(release, ocid, run)
    for indicator in indicators:
        indicator.finalize(run)
    return run.output()


def process_flags(release: JsonObject, settings: Settings) -> dict[str, float]:
    """Return {code: value} of the indicators that flag this one compiled release's ocid.

    Meant for the process-local indicators (registry.LOCAL_CODES), whose results need no other
    process; with others enabled, their result is what one process alone gives.
    Example: a release with `tender.numberOfTenderers` 1 and method "open" → {"R018": 1.0}.
    """
    ocid = release.get("ocid")
    if not isinstance(ocid, str):
        return {}
    return flags_compute([release], settings).get("OCID", {}).get(ocid, {})


def flags_compute_lines(
    lines: Iterable[str | bytes], settings: Settings, *, source: str
) -> Results:
    """Return flags_compute over JSON lines; raise FlagsInputError (source:line) on a bad line."""
    return flags_compute((release for _, release in read_objects(lines, source=source)), settings)


def results_json(results: Results) -> str:
    """Return results as one JSON line; a non-finite value (0/0, x/0) is written as null."""
    clean = {
        group: {
            key: {code: (value if math.isfinite(value) else None) for code, value in codes.items()}
            for key, codes in found.items()
        }
        for group, found in results.items()
    }
    return json.dumps(clean, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
