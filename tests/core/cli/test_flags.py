"""Run `terbuka flags compute` and `terbuka flags prepare` as real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.paths import CARDINAL_FIXTURES

SRC = Path(__file__).resolve().parents[3] / "src"
EXAMPLES = CARDINAL_FIXTURES / "docs-examples"


def _flags(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "terbuka.cli.main", "flags", *args],
        env={**os.environ, "PYTHONPATH": str(SRC)},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


# The outputs printed on Cardinal's indicator pages for its documentation examples.
DOCUMENTED = {
    "003": {"OCID": {"F": {"R003": 1.0}}},
    "018": {"OCID": {"F": {"R018": 1.0}}},
    "025": {"Tenderer": {"F": {"R025": 0.16666666666666666}}},
    "028": {"OCID": {"F": {"R028": 1.0}}, "Tenderer": {"D": {"R028": 1.0}, "V": {"R028": 1.0}}},
    "030": {"OCID": {"F": {"R030": 1.0}}, "Tenderer": {"W": {"R030": 1.0}}},
    "035": {"OCID": {"F": {"R035": 1.0}}, "Tenderer": {"V": {"R035": 0.0}}},
    "036": {"OCID": {"F": {"R036": 1.0}}},
    "038": {"Buyer": {"B": {"R038": 0.5}}},
    "048": {"Tenderer": {"F": {"R048": 2.0}}},
}


@pytest.mark.parametrize("number", sorted(DOCUMENTED))
def test_compute_prints_cardinals_documented_output(number: str) -> None:
    settings = EXAMPLES / "R" / f"{number}.ini"
    settings = settings if settings.exists() else EXAMPLES / "settings.ini"
    run = _flags("compute", str(EXAMPLES / "R" / f"{number}.jsonl"), "--settings", str(settings))
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == DOCUMENTED[number]
    assert run.stdout.count("\n") == 1


def test_compute_without_settings_runs_every_indicator_and_reads_stdin() -> None:
    path = CARDINAL_FIXTURES / "indicators" / "R018.jsonl"
    run = _flags("compute", "-", stdin=path.read_text("utf-8"))
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == {"OCID": {"open": {"R018": 1.0}, "selective": {"R018": 1.0}}}


def test_bad_line_gives_one_bilingual_line_naming_it_and_no_output(tmp_path: Path) -> None:
    path = tmp_path / "rilis.jsonl"
    path.write_text('{"ocid": "a"}\n{"ocid": "b",}\n', encoding="utf-8")
    run = _flags("compute", str(path))
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1
    assert f"{path}:2: baris 2 bukan JSON yang sah" in run.stderr
    assert "/ line 2 is not valid JSON" in run.stderr


def test_bad_settings_give_one_bilingual_line_naming_it(tmp_path: Path) -> None:
    settings = tmp_path / "pengaturan.ini"
    settings.write_text("[R024]\nthreshold = lima persen\n", encoding="utf-8")
    run = _flags("compute", str(EXAMPLES / "R" / "024.jsonl"), "--settings", str(settings))
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1
    assert f"{settings}:2: [R024] threshold: 'lima persen' bukan bilangan desimal" in run.stderr
    assert "is not a decimal" in run.stderr


def test_missing_file_is_reported() -> None:
    run = _flags("compute", "/nonexistent/rilis.jsonl")
    assert run.returncode == 2
    assert "tidak dapat dibaca" in run.stderr and "cannot be read" in run.stderr


def test_prepare_prints_corrected_lines_and_issues_as_csv() -> None:
    prepare = CARDINAL_FIXTURES / "prepare"
    run = _flags("prepare", str(prepare / "id.jsonl"), "--settings", str(prepare / "id.ini"))
    assert run.returncode == 0, run.stderr
    assert run.stdout == (prepare / "id.output").read_text("utf-8")
    scheme = "1,,/awards[]/items[]/classification/scheme,{},,not set"
    assert run.stderr.splitlines() == [
        "1,,/bids/details[]/status,0,,not set",
        scheme.format("0.0"),
        scheme.format("0.1"),
        "1,,/awards[]/status,0,,not set",
        scheme.format("1.0"),
        scheme.format("1.1"),
        "1,,/awards[]/status,1,,not set",
    ]
    documented = _flags("prepare", str(EXAMPLES / "prepare.jsonl"))
    assert documented.stderr == "1,ocds-213czf-1,/bids/details[]/status,0,,not set\n"
