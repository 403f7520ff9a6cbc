"""Test material travels with the repository: every file accounted for, nothing outside read."""

from __future__ import annotations

import re
from pathlib import Path

from tests.paths import FIXTURES, REPO

README = FIXTURES / "README.md"


def readme_paths() -> list[str]:
    """Return the paths the README's table names (a trailing / covers a folder)."""
    return re.findall(r"^\| `([^`]+)` \|", README.read_text("utf-8"), flags=re.M)


def test_every_fixture_file_has_a_provenance_line() -> None:
    listed = readme_paths()
    assert len(listed) >= 10
    files = [p.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("*") if p.is_file()]
    assert len(files) > 700
    uncovered = [
        f
        for f in files
        if f != "README.md"
        and not any(f == path or (path.endswith("/") and f.startswith(path)) for path in listed)
    ]
    assert not uncovered, f"fixture files without a README line: {uncovered[:10]}"


def test_every_provenance_line_names_existing_files_with_a_licence() -> None:
    for line in README.read_text("utf-8").splitlines():
        match = re.match(r"^\| `([^`]+)` \| (.+) \| (.+) \|$", line)
        if match:
            assert (FIXTURES / match[1]).exists(), match[1]
            assert match[3].strip(), f"{match[1]}: no licence"


def test_nothing_reads_material_outside_the_repository() -> None:
    outside = re.compile(r"""(\.\./shared|["']shared["']|parents\[\d\]\.parent\b|/work/)""")
    offenders = [
        f"{path.relative_to(REPO)}:{n}"
        for top in ("src", "tests", "bench")
        for path in (REPO / top).rglob("*.py")
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if outside.search(line) and path != Path(__file__)
    ]
    assert not offenders, f"reads outside the repository: {offenders}"
