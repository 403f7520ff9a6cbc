"""Every Cardinal fixture gives exactly its expected output; so do the Indonesian ones.

Indicator fixtures are named as in cardinal-rs's build.rs: `R003.jsonl` runs R003 with its
defaults, `R003-threshold-10` sets one property, `R003-procurement_method_details-x-5-y-10`
fills a `[R003.procurement_method_details]` section ("+" stands for "|"). Every run also
sets `no_price_comparison_procurement_methods = NPC` and excludes `EXC`, as build.rs does.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.paths import CARDINAL_FIXTURES, FLAGS_INDONESIA

from terbuka.flags.compute import flags_compute, flags_compute_lines, process_flags, results_json
from terbuka.flags.jsonl import dumps_line, read_objects
from terbuka.flags.prepare import Preparer
from terbuka.flags.registry import LOCAL_CODES, settings_load

INDICATOR_FIXTURES = sorted(
    [*(CARDINAL_FIXTURES / "indicators").glob("*.jsonl"), *FLAGS_INDONESIA.glob("*.jsonl")]
)
PREPARE_FIXTURES = sorted((CARDINAL_FIXTURES / "prepare").glob("*.jsonl"))
COMMON = (
    "no_price_comparison_procurement_methods = NPC\n"
    "[exclusions]\nprocurement_method_details = EXC\n"
)


def settings_from_name(stem: str) -> str:
    """Return the INI text build.rs would give the fixture named stem."""
    code, *parts = stem.replace("+", "|").split("-")
    if len(parts) > 2:
        pairs = "".join(
            f"{key} = {value}\n" for key, value in zip(parts[1::2], parts[2::2], strict=True)
        )
        return f"{COMMON}[{code}]\n[{code}.{parts[0]}]\n{pairs}"
    if len(parts) == 2:
        return f"{COMMON}[{code}]\n{parts[0]} = {parts[1]}\n"
    return f"{COMMON}[{code}]\n"


def test_fixture_sets_are_complete() -> None:
    cardinal = {p.stem.split("-")[0] for p in INDICATOR_FIXTURES if p.stem.startswith("R")}
    indonesian = {p.stem.split("-")[0] for p in INDICATOR_FIXTURES if p.stem.startswith("ID")}
    assert cardinal == {f"R0{n}" for n in ("03", "18", 24, 25, 28, 30, 35, 36, 38, 48, 58)}
    assert indonesian == {"ID001", "ID002", "ID003"}
    assert len(PREPARE_FIXTURES) == 9


@pytest.mark.parametrize("path", INDICATOR_FIXTURES, ids=lambda p: p.stem)
def test_indicator_fixture_gives_its_expected_result(path: Path) -> None:
    settings = settings_load(settings_from_name(path.stem), source=f"{path.stem}.ini")
    with path.open("rb") as lines:
        results = flags_compute_lines(lines, settings, source=path.name)
    expected = json.loads(path.with_suffix(".expected").read_text(encoding="utf-8"))
    assert json.loads(results_json(results)) == expected


@pytest.mark.parametrize("path", PREPARE_FIXTURES, ids=lambda p: p.stem)
def test_prepare_fixture_gives_its_output_byte_for_byte(path: Path) -> None:
    ini = path.with_suffix(".ini")
    settings = settings_load(ini.read_text("utf-8") if ini.exists() else "", source=ini.name)
    preparer = Preparer(settings)
    output = ""
    with path.open("rb") as lines:
        for number, release in read_objects(lines, source=path.name):
            preparer.prepare(release, number)
            output += dumps_line(release) + "\n"
    assert output == path.with_suffix(".output").read_text(encoding="utf-8")


def test_fixture_settings_enable_only_the_named_indicator() -> None:
    """R003 alone, on R018's fixture (single bids, no tender periods), flags nothing."""
    settings = settings_load(settings_from_name("R003"), source="R003.ini")
    with (CARDINAL_FIXTURES / "indicators" / "R018.jsonl").open("rb") as lines:
        assert flags_compute_lines(lines, settings, source="R018.jsonl") == {}


@pytest.mark.parametrize(
    "path",
    [p for p in INDICATOR_FIXTURES if p.stem.split("-")[0] in LOCAL_CODES],
    ids=lambda p: p.stem,
)
def test_local_indicators_give_per_process_what_the_batch_gives(path: Path) -> None:
    """What the web stores per process (process_flags) is the batch's OCID group."""
    settings = settings_load(settings_from_name(path.stem), source=f"{path.stem}.ini")
    with path.open("rb") as lines:
        releases = [release for _, release in read_objects(lines, source=path.name)]
    one_by_one = {r["ocid"]: found for r in releases if (found := process_flags(r, settings))}
    assert one_by_one == flags_compute(releases, settings).get("OCID", {})
