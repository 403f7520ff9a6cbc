"""Every word people read is translated, and no page shows a raw OCDS code.

- The English catalogue holds every msgid that `makemessages` extracts from the templates and
  Python of src/terbuka_web (run into a temporary copy), each with an English msgstr, none
  fuzzy, and no msgid that nothing uses any more.
- Templates hold no Indonesian text outside {% translate %} (proper names and acronyms aside).
- Templates print no code field (document type, release tags, statuses, methods, stages)
  without the `label` filter, and the officials' and citizens' pages of a process, with
  documents, releases and drafts of every stage, show no code of the OCDS codelists and no
  ISO timestamp.
"""

from __future__ import annotations

import ast
import csv
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from terbuka.ocds.rules import SCHEMA_DIR
from terbuka.ocds.stage_examples import EXAMPLE_STAGE_DATA
from terbuka_web.accounts.models import Role, User
from terbuka_web.contracting.models import Document, Release, StageDraft
from tests.web.factories import agency_create, document_create, process_create
from tests.web.test_locale import PO, WEB

FIELD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) (".*")$')


def catalogue(text: str) -> dict[tuple[str | None, str], tuple[dict[str, str], bool]]:
    """Return (msgctxt, msgid) → (its fields, fuzzy) for every entry of a .po text."""
    found = {}
    for block in text.split("\n\n"):
        fields: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            if match := FIELD.match(line):
                key = match.group(1)
                fields[key] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and key:
                fields[key] += ast.literal_eval(line)
        if fields.get("msgid"):
            entry = (fields.get("msgctxt"), fields["msgid"])
            found[entry] = (fields, "#, fuzzy" in block)
    return found


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str | None, str], Any]:
    """Return the catalogue makemessages extracts from a copy of src/terbuka_web."""
    copy = tmp_path_factory.mktemp("messages") / "terbuka_web"
    shutil.copytree(WEB, copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "static"))
    (copy / "locale").mkdir()
    saved, cwd = settings.LOCALE_PATHS, Path.cwd()
    settings.LOCALE_PATHS = [str(copy / "locale")]
    try:
        os.chdir(copy)
        call_command("makemessages", locale=["en"], no_location=True, verbosity=0)
    finally:
        os.chdir(cwd)
        settings.LOCALE_PATHS = saved
    return catalogue((copy / "locale/en/LC_MESSAGES/django.po").read_text(encoding="utf-8"))


def test_every_message_people_read_is_translated(extracted: dict) -> None:
    committed = catalogue(PO.read_text(encoding="utf-8"))
    assert len(extracted) > 300
    missing = sorted(str(k) for k in extracted if k not in committed)
    assert not missing, f"msgids missing from django.po: {missing[:10]}"
    untranslated = sorted(
        str(k)
        for k, (fields, fuzzy) in committed.items()
        if fuzzy or any(not v for name, v in fields.items() if name.startswith("msgstr"))
    )
    assert not untranslated, f"empty or fuzzy msgstr in django.po: {untranslated[:10]}"
    unused = sorted(str(k) for k in committed if k not in extracted)
    assert not unused, f"django.po msgids nothing uses (or not marked for makemessages): {unused}"


BLOCK_TRANSLATE = re.compile(r"{%\s*blocktranslate\b.*?{%\s*endblocktranslate\s*%}", re.S)
TEMPLATE_TAGS = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
VERBATIM = re.compile(r"<(code|pre|script|style)\b.*?</\1>|<!--.*?-->", re.S)
HTML_TAG = re.compile(r"<[^>]*>", re.S)
READ_ATTRIBUTES = re.compile(r'\b(?:aria-label|title|placeholder|alt)="([^"{]*)"')
# Names and acronyms that read the same in both languages.
SAME_IN_BOTH = {
    "Terbuka", "Bahasa", "Indonesia", "English", "CC", "BY", "OCDS", "CSV", "XLSX", "JSON",
    "SHA-256", "OCID", "ID", "API", "NPWP", "HPS", "Rp", "PDF",
    "Open", "Contracting", "Data", "Standard",
}  # fmt: skip


def templates() -> list[Path]:
    return sorted(WEB.rglob("templates/**/*.html"))


@pytest.mark.parametrize("path", templates(), ids=lambda p: p.name)
def test_templates_hold_no_untranslated_text(path: Path) -> None:
    text = BLOCK_TRANSLATE.sub(" ", path.read_text(encoding="utf-8"))
    attributes = READ_ATTRIBUTES.findall(TEMPLATE_TAGS.sub(" ", text))
    assert not [a for a in attributes if re.search(r"[^\W\d_]{2}", a)], attributes
    visible = HTML_TAG.sub(" ", VERBATIM.sub(" ", TEMPLATE_TAGS.sub(" ", text)))
    words = set(re.findall(r"[^\W\d_][\w\-.]*", visible)) - SAME_IN_BOTH
    assert not words, f"{path.name}: text outside {{% translate %}}: {sorted(words)}"


CODE_FIELDS = ("document_type", "documentType", "tags", "tag", "status", "method", "stage")
PRINTED = re.compile(r"{{\s*([^}|]+?)\s*(\|[^}]*)?}}")


@pytest.mark.parametrize("path", templates(), ids=lambda p: p.name)
def test_templates_print_codes_only_through_the_label_filter(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    raw = [
        match.group(0)
        for match in PRINTED.finditer(text)
        if match.group(1).split(".")[-1] in CODE_FIELDS
        and "label:" not in (match.group(2) or "")
        and text.rfind("<", 0, match.start()) <= text.rfind(">", 0, match.start())  # not in a tag
    ]
    assert not raw, f"{path.name} prints codes without |label: {raw}"


def codelist_codes() -> set[str]:
    """Return the codes people could meet on a page: statuses, tags, types, methods, stages."""
    names = ["documentType", "releaseTag", "tenderStatus", "awardStatus", "contractStatus"]
    names += ["milestoneStatus", "method"]
    codes: set[str] = set()
    for name in names:
        with (SCHEMA_DIR / "codelists" / f"{name}.csv").open(encoding="utf-8") as handle:
            codes |= {row["Code"] for row in csv.DictReader(handle)}
    return codes - {"tender"}  # "Tender" is also the Indonesian name of a method


ISO_MOMENT = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d")


def visible_text(html: str) -> str:
    """Return the text a reader sees in html: no tags, attributes, code or scripts."""
    return HTML_TAG.sub(" ", VERBATIM.sub(" ", html))


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_pages_of_a_process_show_no_raw_code(language: str) -> None:
    agency = agency_create()
    stages = ("planning", "tender", "award", "contract", "implementation")
    process = process_create(agency=agency, stages=stages)
    for release in Release.objects.filter(process=process):
        document_create(process, stage=release.stage, release=release, title=f"PDF {release.pk}")
    document_create(process, stage="planning", release=None, title="PDF draf")
    for stage, data in EXAMPLE_STAGE_DATA.items():  # the drafts, shown field by field
        StageDraft.objects.create(process=process, stage=stage, data=data)
    assert Document.objects.filter(process=process).count() == 6
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # the language switch
    client.force_login(User.objects.create_user("auditor9", role=Role.AUDITOR))
    urls = ["/", f"/proses/{process.ocid}/", "/kelengkapan/", "/kelola/"]
    urls += [f"/kelola/proses/{process.pk}/"]
    codes = codelist_codes()
    if language == "en":  # "contract" or "active" are English words; "tenderNotice" is not
        codes = {code for code in codes if not code.islower()}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Language"] == language
        text = visible_text(response.content.decode())
        words = set(re.findall(r"[A-Za-z]+", text))
        assert not words & codes, f"{url} ({language}) shows codes {sorted(words & codes)}"
        assert not ISO_MOMENT.findall(text), f"{url} ({language}) shows ISO timestamps"
