"""Keep the documentation true: variables, commands, API paths and set-up commands.

Each test reads the code (AST of src/, the `terbuka` parser, the OpenAPI schema) and fails
with the name of what is missing from which document.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
SRC = REPO / "src"
ENV_METHODS = {"get", "setdefault", "pop"}


def _is_environ(node: ast.expr) -> bool:
    """Report whether node is `environ` or `<anything>.environ`."""
    return (isinstance(node, ast.Name) and node.id == "environ") or (
        isinstance(node, ast.Attribute) and node.attr == "environ"
    )


def _env_argument(node: ast.AST) -> ast.expr | None:
    """Return the variable-name expression of an environment read, or None when not one.

    Reads are `environ[X]`, `environ.get/setdefault/pop(X)` and `getenv(X)`, whatever
    `os` or `environ` was imported as.
    """
    if isinstance(node, ast.Subscript) and _is_environ(node.value):
        return node.slice
    if not isinstance(node, ast.Call) or not node.args:
        return None
    func = node.func
    if isinstance(func, ast.Name) and func.id == "getenv":
        return node.args[0]
    if isinstance(func, ast.Attribute) and (
        func.attr == "getenv" or (func.attr in ENV_METHODS and _is_environ(func.value))
    ):
        return node.args[0]
    return None


def _parameter_suffix(expr: ast.expr, params: list[str]) -> tuple[int, str] | None:
    """Return (parameter index, suffix) when expr is `param` or f"{param}SUFFIX"."""
    if isinstance(expr, ast.Name) and expr.id in params:
        return params.index(expr.id), ""
    if isinstance(expr, ast.JoinedStr) and len(expr.values) == 2:
        head, tail = expr.values
        if (
            isinstance(head, ast.FormattedValue)
            and isinstance(head.value, ast.Name)
            and head.value.id in params
            and isinstance(tail, ast.Constant)
        ):
            return params.index(head.value.id), str(tail.value)
    return None


class _EnvReads(ast.NodeVisitor):
    """Collect literal environment reads and functions that read a parameter-named variable."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.functions: list[ast.FunctionDef] = []
        self.literal: dict[str, str] = {}
        self.wrappers: dict[str, list[tuple[int, str]]] = {}
        self.constants: dict[str, str] = {}

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.functions.append(node)
        self.generic_visit(node)
        self.functions.pop()

    def generic_visit(self, node: ast.AST) -> None:
        expr = _env_argument(node)
        if expr is not None:
            self._record(expr, f"{self.where}:{getattr(node, 'lineno', 0)}")
        super().generic_visit(node)

    def visit_Module(self, node: ast.Module) -> None:
        self.constants = {
            target.id: stmt.value.value
            for stmt in node.body
            if isinstance(stmt, ast.Assign)
            and isinstance(stmt.value, ast.Constant)
            and isinstance(stmt.value.value, str)
            for target in stmt.targets
            if isinstance(target, ast.Name)
        }
        self.generic_visit(node)

    def _record(self, expr: ast.expr, where: str) -> None:
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            self.literal.setdefault(expr.value, where)
            return
        if isinstance(expr, ast.Name) and expr.id in self.constants:
            self.literal.setdefault(self.constants[expr.id], where)  # KEY_ENV = "NAME"
            return
        func = self.functions[-1] if self.functions else None
        params = [a.arg for a in func.args.args] if func else []
        found = _parameter_suffix(expr, params)
        if func is None or found is None:
            pytest.fail(f"{where}: environment variable name is not a literal or a parameter")
        self.wrappers.setdefault(func.name, []).append(found)


def env_variables_read(root: Path) -> dict[str, str]:
    """Return {variable: "file:line"} of every environment variable read under root.

    A literal name is taken as is. A read through a function parameter (`env_flag(name)`,
    `load_secret(name)` reading name and f"{name}_FILE") makes that function a reader, and
    each call of it with a literal name counts. Any other dynamic name fails the test.
    """
    found: dict[str, str] = {}
    wrappers: dict[str, list[tuple[int, str]]] = {}
    trees = {}
    for path in sorted(root.rglob("*.py")):
        where = str(path.relative_to(root.parent))
        trees[where] = ast.parse(path.read_text(encoding="utf-8"))
        reads = _EnvReads(where)
        reads.visit(trees[where])
        for name, at in reads.literal.items():
            found.setdefault(name, at)
        for func, suffixes in reads.wrappers.items():
            wrappers.setdefault(func, []).extend(suffixes)
    for where, tree in trees.items():
        for node in ast.walk(tree):
            name = getattr(node.func, "id", None) if isinstance(node, ast.Call) else None
            for index, suffix in wrappers.get(name or "", []):
                args = node.args  # type: ignore[attr-defined]
                arg = args[index] if len(args) > index else None
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.setdefault(arg.value + suffix, f"{where}:{node.lineno}")  # type: ignore[attr-defined]
    return found


def test_env_scanner_sees_literal_wrapped_and_suffixed_reads(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "m.py").write_text(
        "import os\n"
        "from os import environ\n"
        "A = os.environ.get('ALPHA', 'x')\n"
        "B = os.environ['BETA']\n"
        "C = os.getenv('GAMMA')\n"
        "I = __import__('os').getenv('ETA')\n"
        "environ.setdefault('DELTA', '1')\n"
        "def flag(name):\n    return os.environ.get(name)\n"
        "def secret(name):\n    return os.environ.get(name) or os.environ.get(f'{name}_FILE')\n"
        "flag('EPSILON')\nsecret('ZETA')\n"
        "KEY = 'THETA'\ndef key():\n    return os.environ.get(KEY, '')\n"
    )
    found = env_variables_read(tmp_path / "pkg")
    expected = {"ALPHA", "BETA", "GAMMA", "DELTA", "ETA", "EPSILON", "ZETA", "ZETA_FILE", "THETA"}
    assert set(found) == expected


def test_every_environment_variable_is_documented() -> None:
    documented = (DOCS / "configuration.md").read_text(encoding="utf-8")
    read = env_variables_read(SRC)
    assert {"TERBUKA_DEBUG", "DATABASE_URL", "TERBUKA_SECRET_KEY_FILE"} <= set(read)
    missing = [f"{name} ({where})" for name, where in sorted(read.items())]
    missing = [m for m in missing if f"`{m.split()[0]}`" not in documented]
    assert not missing, f"docs/configuration.md does not document: {', '.join(missing)}"


def test_every_documented_terbuka_variable_is_read() -> None:
    documented = (DOCS / "configuration.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", documented, flags=re.MULTILINE))
    stale = sorted(rows - set(env_variables_read(SRC)))
    assert not stale, f"docs/configuration.md documents variables no code reads: {stale}"


def _gen_cli() -> ModuleType:
    """Import docs/gen_cli.py (docs/ is not a package)."""
    spec = importlib.util.spec_from_file_location("gen_cli", DOCS / "gen_cli.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_subcommand_is_in_cli_md() -> None:
    from terbuka.cli.main import build_parser

    gen_cli = _gen_cli()
    names = [name for name, _help, _parser in gen_cli._subparsers(build_parser())]
    assert {"verify", "keys", "serve", "demo", "ocds", "log"} <= set(names)
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    missing = [name for name in names if f"## `terbuka {name}`" not in text]
    assert not missing, f"docs/cli.md lacks subcommands {missing}: run docs/gen_cli.py"


def _cli_section(text: str, argv: list[str]) -> str:
    """Return docs/cli.md's section of `terbuka argv` with all whitespace removed."""
    heading = re.search(rf"^#+ `terbuka {re.escape(' '.join(argv))}`$", text, re.MULTILINE)
    assert heading, f"docs/cli.md has no section `terbuka {' '.join(argv)}`"
    following = re.search(r"^#+ `terbuka ", text[heading.end() :], re.MULTILINE)
    body = text[heading.end() : heading.end() + following.start() if following else None]
    return "".join(body.split())  # no whitespace at all: wrapping may break after a hyphen


def test_cli_md_help_text_is_current() -> None:
    """Every option, argument, description and help string of every command is in its section.

    Compared with all whitespace removed, so it holds whatever argparse's line wrapping
    (Python version, width); `python docs/gen_cli.py --check` compares the exact text.
    """
    from django.core.management.base import BaseCommand

    gen_cli = _gen_cli()
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    django_common = {a.dest for a in BaseCommand().create_parser("terbuka", "x")._actions}
    stale = []
    for argv, parser in gen_cli.command_parsers():
        section = _cli_section(text, argv)
        expected = [parser.description or ""]
        for action in parser._actions:
            flags = action.option_strings
            if action.dest in django_common and parser.prog.startswith("terbuka terbuka_"):
                continue  # Django's common options: described once in the header
            if action.dest == "help" or isinstance(action, argparse._SubParsersAction):
                continue  # each subcommand has its own section, checked in its turn
            expected.append(flags[-1] if flags else str(action.metavar or action.dest))
            expected.append(str(action.help or "").split("%(")[0])
        stale += [
            f"terbuka {' '.join(argv)}: {e!r}"
            for e in expected
            if "".join(e.split()) not in section
        ]
    assert not stale, f"docs/cli.md is stale, run docs/gen_cli.py: {stale}"


@pytest.mark.django_db
def test_every_api_path_is_in_api_md() -> None:
    from terbuka_web.api.api import api

    schema_paths = api.get_openapi_schema()["paths"]
    endpoints = [f"{m.upper()} {p}" for p, ops in schema_paths.items() for m in ops]
    assert "GET /api/processes" in endpoints
    text = (DOCS / "api.md").read_text(encoding="utf-8")
    missing = [endpoint for endpoint in endpoints if f"`{endpoint}`" not in text]
    assert not missing, f"docs/api.md does not document API endpoints: {missing}"


def test_readme_has_exactly_the_two_setup_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^ {4}(\S.*)$", readme, flags=re.MULTILINE)
    fenced = re.findall(r"^```[a-z]*\n(.*?)^```", readme, flags=re.MULTILINE | re.DOTALL)
    commands += [line for block in fenced for line in block.splitlines() if line.strip()]
    assert commands == ["make demo", "make test"], f"README.md set-up commands: {commands}"


def test_operator_guide_names_every_form_field_and_document_kind() -> None:
    from django.utils import translation

    from terbuka_web.contracting.forms import STAGE_FORMS, DocumentForm, ProcessForm
    from terbuka_web.contracting.labels import LABELS

    forms = [ProcessForm, DocumentForm]
    for form, formsets in STAGE_FORMS.values():
        forms += [form, *(formset.form for formset in formsets.values())]
    guide = (DOCS / "panduan-operator.md").read_text(encoding="utf-8")
    with translation.override("id"):
        labels = {str(f.label) for form in forms for f in form.base_fields.values()}
        labels |= {str(label) for label in LABELS["documentType"].values()}
    missing = sorted(label for label in labels if label not in guide)
    assert not missing, f"docs/panduan-operator.md does not name: {missing}"


SAMPLE = {"ocid": "ocds-tbk352-3522-dpupr-2026-000001", "indeks": "0", "index": "0"}


def _guide_paths() -> dict[str, str]:
    """Return {site path in backticks: document} of the guides, with query strings removed."""
    paths: dict[str, str] = {}
    for name in ("panduan-operator.md", "panduan-auditor.md", "api.md"):
        text = (DOCS / name).read_text(encoding="utf-8")
        for path in re.findall(r"`(?:GET )?(/[^`\s]*)`", text):
            paths.setdefault(path.split("?")[0], name)
    return paths


@pytest.mark.django_db
def test_every_path_named_in_the_guides_exists() -> None:
    from django.urls import Resolver404, get_resolver, resolve

    from terbuka_web.api.api import api

    api_paths = set(api.get_openapi_schema()["paths"]) | {"/api/openapi.json", "/api/docs"}
    mounts = {f"/{pattern.pattern}" for pattern in get_resolver().url_patterns}
    paths = _guide_paths()
    assert {"/kelola/", "/akun/masuk/", "/proses/<ocid>/record.json"} <= set(paths)
    wrong = []
    for path, doc in sorted(paths.items()):
        if path in mounts:
            ok = True  # a mount point such as /api/ or /log/
        elif path.startswith("/api/") and re.sub(r"<(\w+)>", r"{\1}", path) in api_paths:
            ok = True
        else:  # a page, or a plain-Django view under /api/ (the CKAN Action API)
            concrete = re.sub(r"<(\w+)>", lambda m: SAMPLE[m.group(1)], path)
            try:
                ok = resolve(concrete).url_name != "not_found"
            except Resolver404:
                ok = False
        if not ok:
            wrong.append(f"{path} ({doc})")
    assert not wrong, f"paths in the guides that the site does not serve: {wrong}"


def test_relative_links_in_docs_point_to_files() -> None:
    broken = []
    for page in [REPO / "README.md", *sorted(DOCS.glob("*.md"))]:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if "://" not in target and not (page.parent / target).exists():
                broken.append(f"{page.name} → {target}")
    assert not broken, f"broken links: {broken}"


@pytest.mark.django_db
def test_api_md_names_every_query_parameter_and_page_size_limit() -> None:
    from terbuka_web.api.api import api

    text = (DOCS / "api.md").read_text(encoding="utf-8")
    wrong = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        for operation in operations.values():
            for param in operation.get("parameters", []):
                if param["in"] != "query":
                    continue
                name, maximum = param["name"], param.get("schema", {}).get("maximum")
                if f"`{name}`" not in text:
                    wrong.append(f"{path}: parameter {name}")
                bound = re.compile(rf"(≤ |1–){maximum}\b")
                lines = [line for line in text.splitlines() if f"`{name}`" in line]
                if name in {"per_page", "limit"} and not any(bound.search(x) for x in lines):
                    wrong.append(f"{path}: {name} maximum {maximum}")
    assert not wrong, f"docs/api.md is missing or stale on: {wrong}"


def _make_dry_run(*args: str) -> list[str]:
    """Return the commands `make -n ARGS` would run in the repository (nothing is run)."""
    import subprocess

    done = subprocess.run(
        ["make", "-s", "-n", "-C", str(REPO), *args],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    return [line.strip() for line in done.stdout.splitlines() if line.strip()]


def test_make_demo_serves_on_the_port_given(tmp_path: Path) -> None:
    import os
    import subprocess

    for name in ("python", "pip"):  # a stand-in venv: make demo installs and runs nothing real
        (tmp_path / name).write_text("#!/bin/sh\n")
        (tmp_path / name).chmod(0o755)
    calls = tmp_path / "calls"
    (tmp_path / "terbuka").write_text(f'#!/bin/sh\necho "$TERBUKA_BASE_URL $*" >> {calls}\n')
    (tmp_path / "terbuka").chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "TERBUKA_BASE_URL" and k != "PORT"}
    issuer = tmp_path / "issuer.json"  # absent: make demo makes the allowance issuer's key
    env["TERBUKA_WALLET_ISSUER_KEY_FILE"] = str(issuer)
    for args, port in (([], 8000), (["PORT=8123"], 8123)):
        calls.unlink(missing_ok=True)
        make = ["make", "-s", "-C", str(REPO), "demo", f"BIN={tmp_path}", *args]
        subprocess.run(make, check=True, env=env, capture_output=True)
        base = f"http://127.0.0.1:{port}"
        assert calls.read_text().splitlines() == [
            f"{base} wallet keygen --out {issuer}",
            f"{base} manage migrate --verbosity 0",
            f"{base} demo",
            f"{base} serve 127.0.0.1:{port}",
        ]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    demo = (DOCS / "demo.md").read_text(encoding="utf-8")
    assert "`make demo PORT=8080`" in readme and "`make demo PORT=8080`" in demo


INSTALL = "python3 -m venv .venv && .venv/bin/pip install ."


def test_install_instructions_work_from_a_checkout() -> None:
    """terbuka is not on PyPI: the guides install the core from a checkout, as the Makefile
    makes its venv, and `terbuka verify` needs nothing the core install leaves out."""
    import tomllib

    bare = re.compile(r"pip install ['\"]?terbuka\b")
    guides = [REPO / "README.md", *sorted(DOCS.glob("*.md")), DOCS / "gen_cli.py"]
    wrong = [page.name for page in guides if bare.search(page.read_text(encoding="utf-8"))]
    assert not wrong, f"`pip install terbuka` does not work (not on PyPI): {wrong}"
    for name in ("verify.md", "witness.md", "panduan-auditor.md", "cli.md"):
        assert INSTALL in (DOCS / name).read_text(encoding="utf-8").replace("\n", " "), name
    venv, pip = _make_dry_run("-B", ".venv/bin/python")  # how `make` makes its venv
    assert INSTALL.startswith(venv + " && ") and pip.startswith(".venv/bin/pip install")
    web = _make_dry_run("-W", ".venv/bin/python", "install-web")[-1]
    assert web == ".venv/bin/pip install -q -e '.[web]'"  # the same pip, the same checkout
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["scripts"]["terbuka"] == "terbuka.cli.main:main"
    assert not [d for d in project["dependencies"] if d.lower().startswith("django")]
