"""Check uploads refuse PDFs with active content and PDF/HTML polyglots, and cap the check's memory.

Every PDF is built with pypdf in the test. Refused uploads store nothing.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pypdf
import pytest
from django.core.files.storage import default_storage
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from terbuka_web.contracting import uploads
from terbuka_web.contracting.models import Document, Process
from terbuka_web.contracting.uploads import UploadRefused

from .conftest import pdf_bytes
from .test_services import upload


def _name(value: str) -> NameObject:
    return NameObject(value)


def _action(kind: str, **entries: Any) -> DictionaryObject:
    """Return an action dictionary /S kind with entries (names given without the slash)."""
    action = DictionaryObject({_name("/Type"): _name("/Action"), _name("/S"): _name(kind)})
    for key, value in entries.items():
        action[_name(f"/{key}")] = value
    return action


def _pdf(change: Callable[[pypdf.PdfWriter], None]) -> bytes:
    """Return a one-page PDF made by pypdf after change(writer)."""
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _open_action(action: DictionaryObject) -> Callable[[pypdf.PdfWriter], None]:
    def change(writer: pypdf.PdfWriter) -> None:
        writer._root_object[_name("/OpenAction")] = writer._add_object(action)

    return change


def _annotation(subtype: str, **entries: Any) -> Callable[[pypdf.PdfWriter], None]:
    def change(writer: pypdf.PdfWriter) -> None:
        annotation = DictionaryObject(
            {
                _name("/Type"): _name("/Annot"),
                _name("/Subtype"): _name(subtype),
                _name("/Rect"): ArrayObject([FloatObject(0)] * 2 + [FloatObject(50)] * 2),
            }
        )
        for key, value in entries.items():
            annotation[_name(f"/{key}")] = value
        writer.pages[0][_name("/Annots")] = ArrayObject([writer._add_object(annotation)])

    return change


def _page_aa(writer: pypdf.PdfWriter) -> None:
    opened = _action("/JavaScript", JS=TextStringObject("app.alert(1)"))
    writer.pages[0][_name("/AA")] = DictionaryObject({_name("/O"): opened})


def _xfa(writer: pypdf.PdfWriter) -> None:
    form = DictionaryObject({_name("/Fields"): ArrayObject(), _name("/XFA"): ArrayObject()})
    writer._root_object[_name("/AcroForm")] = writer._add_object(form)


def _document_js(writer: pypdf.PdfWriter) -> None:
    """Add a document-level script: /Names << /JavaScript << /Names [(x) action] >> >>."""
    script = _action("/JavaScript", JS=TextStringObject("app.alert(1)"))
    tree = DictionaryObject(
        {_name("/Names"): ArrayObject([TextStringObject("x"), writer._add_object(script)])}
    )
    names = DictionaryObject({_name("/JavaScript"): writer._add_object(tree)})
    writer._root_object[_name("/Names")] = writer._add_object(names)


def _obfuscated_js() -> bytes:
    """Return a PDF whose JavaScript names are hex-escaped (/J#61vaScript), as malware does."""
    raw = _pdf(_document_js)
    return raw.replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS ", b"/J#53 ")


ACTIVE = {
    "document JavaScript (/Names /JavaScript)": _pdf(_document_js),
    "OpenAction JavaScript": _pdf(
        _open_action(_action("/JavaScript", JS=TextStringObject("app.alert(1)")))
    ),
    "OpenAction launch": _pdf(
        _open_action(_action("/Launch", F=TextStringObject("C:\\Windows\\calc.exe")))
    ),
    "page additional actions (/AA)": _pdf(_page_aa),
    "link launching a program": _pdf(
        _annotation("/Link", A=_action("/Launch", F=TextStringObject("/bin/sh")))
    ),
    "embedded file": _pdf(lambda w: w.add_attachment("data.exe", b"MZ\x90\x00")),
    "rich media annotation": _pdf(_annotation("/RichMedia")),
    "XFA form": _pdf(_xfa),
    "hex-escaped JavaScript names": _obfuscated_js(),
}


def _upload(users: dict, process: Process, content: bytes) -> Document:
    return upload(users, process, io.BytesIO(content))


def _assert_nothing_stored() -> None:
    assert Document.objects.count() == 0
    media = Path(default_storage.location)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


@pytest.mark.parametrize("what", ACTIVE)
def test_pdf_with_active_content_is_refused(users: dict, process: Process, what: str) -> None:
    assert pypdf.PdfReader(io.BytesIO(ACTIVE[what])).pages  # a PDF viewers would open
    with pytest.raises(UploadRefused) as info:
        _upload(users, process, ACTIVE[what])
    assert "konten aktif" in info.value.message_id, info.value.message_id
    assert "active content" in info.value.message_en
    assert info.value.where == "file"
    _assert_nothing_stored()


def _html_in_header() -> bytes:
    """Return a valid PDF whose header comment holds an HTML page with a script."""
    plain = pdf_bytes()
    first_line = plain.index(b"\n") + 1
    return (
        plain[:first_line]
        + b"%<html><script>alert(document.cookie)</script></html>\n"
        + (plain[first_line:])
    )


POLYGLOTS = {
    "HTML inside the PDF header": (_html_in_header(), "poliglot"),
    "HTML before %PDF-": (b"<html><script>alert(1)</script></html>\n" + pdf_bytes(), "bukan PDF"),
    "junk before the header": (b"\0\0JUNK" + pdf_bytes(), "bukan PDF"),
    "HTML page with a PDF header further in": (
        b"<!doctype html><title>x</title>%PDF-1.7\n<script>alert(1)</script>",
        "bukan PDF",
    ),
}


@pytest.mark.parametrize("what", POLYGLOTS)
def test_pdf_html_polyglot_is_refused(users: dict, process: Process, what: str) -> None:
    content, reason = POLYGLOTS[what]
    with pytest.raises(UploadRefused) as info:
        _upload(users, process, content)
    assert reason in info.value.message_id
    _assert_nothing_stored()


PASSIVE = {
    "OpenAction opening the first page": lambda w: w._root_object.__setitem__(
        _name("/OpenAction"), ArrayObject([w.pages[0].indirect_reference, _name("/Fit")])
    ),
    "web link": _annotation(
        "/Link", A=_action("/URI", URI=TextStringObject("https://bojonegorokab.go.id"))
    ),
    "link to another page": _annotation(
        "/Link", Dest=ArrayObject([NumberObject(0), _name("/Fit")])
    ),
}


@pytest.mark.parametrize("what", PASSIVE)
def test_plain_pdf_features_are_accepted(users: dict, process: Process, what: str) -> None:
    document = _upload(users, process, _pdf(PASSIVE[what]))
    assert document.size > 0


def test_the_check_runs_under_its_memory_cap(
    users: dict, process: Process, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cap below what a parse needs refuses the upload as too complex, in the child only."""
    monkeypatch.setattr(uploads, "PDF_CHECK_MEMORY_MIB", 24)
    with pytest.raises(UploadRefused) as info:
        _upload(users, process, pdf_bytes())
    assert "terlalu rumit" in info.value.message_id and "24 MB" in info.value.message_en
    _assert_nothing_stored()


def test_one_checker_serves_many_uploads_and_is_replaced_after_a_refusal(
    users: dict, process: Process, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The capped child stays up between uploads; one that ran out of memory is replaced."""
    _upload(users, process, _pdf(PASSIVE["link to another page"]))
    first = uploads._SCANNER.child
    assert first is not None and first.poll() is None
    _upload(users, process, _pdf(PASSIVE["web link"]))
    assert uploads._SCANNER.child is first
    monkeypatch.setattr(uploads, "PDF_CHECK_MEMORY_MIB", 24)
    with pytest.raises(UploadRefused):
        _upload(users, process, pdf_bytes())
    monkeypatch.undo()
    _upload(users, process, pdf_bytes())
    assert uploads._SCANNER.child is not first and first.poll() is not None


def test_a_check_slower_than_its_time_limit_refuses(
    users: dict, process: Process, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 3,000-page PDF takes the checker about 0.6 s to walk: ten times the limit set here."""
    monkeypatch.setattr(uploads, "PDF_CHECK_SECONDS", 0.05)
    with pytest.raises(UploadRefused) as info:
        _upload(users, process, pdf_bytes(3000))
    assert "terlalu rumit" in info.value.message_id and "0.05 detik" in info.value.message_id
    _assert_nothing_stored()
