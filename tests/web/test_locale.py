"""Keep the English catalogue single and compiled: the committed .mo matches the .po."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "src" / "terbuka_web"
PO = WEB / "locale" / "en" / "LC_MESSAGES" / "django.po"
ENTRY = re.compile(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)', re.M)


def po_entries(text: str) -> dict[str, str]:
    """Return msgid → msgstr for every non-fuzzy, non-plural entry with a translation."""
    entries = {}
    for block in text.split("\n\n"):
        if "#, fuzzy" in block:
            continue
        match = ENTRY.search(block + "\n")
        if match:
            msgid, msgstr = (
                "".join(ast.literal_eval(line) for line in part.splitlines())
                for part in match.groups()
            )
            if msgid and msgstr:
                entries[msgid] = msgstr
    return entries


def test_one_catalogue_for_the_project() -> None:
    catalogues = sorted(p.relative_to(WEB) for p in WEB.rglob("django.po"))
    assert catalogues == [Path("locale/en/LC_MESSAGES/django.po")]


def test_compiled_catalogue_matches_po() -> None:
    entries = po_entries(PO.read_text(encoding="utf-8"))
    assert len(entries) > 100
    with PO.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = {k: v for k, v in entries.items() if compiled.gettext(k) != v}
    assert not stale, f"django.mo is stale; run msgfmt -o django.mo django.po: {list(stale)[:5]}"
