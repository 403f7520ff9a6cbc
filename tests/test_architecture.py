"""Enforce the architecture: the core never imports Django or the web project."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "src" / "terbuka"
FORBIDDEN = ("django", "ninja", "terbuka_web")


def imported_modules(path: Path) -> set[str]:
    """Return every module name that path imports, statically."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_never_imports_django() -> None:
    offenders = {
        f"{path.relative_to(CORE)}: {name}"
        for path in CORE.rglob("*.py")
        for name in imported_modules(path)
        if name.split(".")[0] in FORBIDDEN
    }
    assert not offenders, f"core imports the web layer: {sorted(offenders)}"


def test_core_module_scan_sees_files() -> None:
    assert len(list(CORE.rglob("*.py"))) >= 3
