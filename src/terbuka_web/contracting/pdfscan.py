"""Check an uploaded PDF for active content, in a child process whose memory is capped.

Run as `python -m terbuka_web.contracting.pdfscan MEMORY_MIB SECONDS < file.pdf`: the child
caps its address space (RLIMIT_AS) and CPU time before it imports pypdf, parses the PDF
(strict=False, as viewers do), visits every object of the cross-reference table and its
object streams (without decoding content streams), and prints one JSON line:
{"pages": n}, or {"refused": "active", "found": "/JavaScript"}, or {"refused": "damaged",
"error": "PdfReadError"}. A parse that exceeds the cap dies with MemoryError (exit 3) or is
killed; pdf_scan reports that as too complex. It imports neither Django nor the rest of
Terbuka, so the child starts fast and small.

Refused rather than stripped: the SHA-256 recorded and logged is that of the file the
official uploaded, so Terbuka never rewrites it; the official re-saves it as a plain PDF.
"""

from __future__ import annotations

import io
import json
import resource
import sys
from typing import Any

# Names whose presence makes a PDF active: scripts, automatic actions, launch actions,
# embedded files, rich media and XFA forms.
ACTIVE_KEYS = frozenset(
    {
        "/JS",
        "/JavaScript",
        "/AA",
        "/Launch",
        "/EF",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/RichMedia",
        "/RichMediaContent",
        "/RichMediaSettings",
        "/XFA",
    }
)
# Action types (/S) that run something or reach outside the document.
ACTIVE_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/SubmitForm",
        "/ImportData",
        "/GoToE",
        "/GoToR",
        "/RichMediaExecute",
        "/Rendition",
        "/Movie",
        "/Sound",
    }
)
ACTIVE_SUBTYPES = frozenset({"/RichMedia", "/FileAttachment", "/Screen", "/Movie", "/Sound", "/3D"})
ACTIVE_TYPES = frozenset({"/EmbeddedFile"})
CACHE_OBJECTS = 1000


def active_name(obj: Any) -> str | None:
    """Return the first name making the direct object obj active, or None.

    Walks nested dictionaries and arrays, not indirect references (every indirect object
    is visited on its own). An /OpenAction that opens a page is passive; one that runs a
    script or launches a program is an action dictionary with such an /S, found as such.
    """
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, DictionaryObject):
            for key, value in item.items():
                if key in ACTIVE_KEYS:
                    return str(key)
                if not isinstance(value, IndirectObject):
                    stack.append(value)
            for key, names in (("/S", ACTIVE_ACTIONS), ("/Subtype", ACTIVE_SUBTYPES)):
                if item.get(key) in names:
                    return f"{key} {item[key]}"
            if item.get("/Type") in ACTIVE_TYPES:
                return f"/Type {item['/Type']}"
        elif isinstance(item, ArrayObject):
            stack.extend(v for v in item if not isinstance(v, IndirectObject))
    return None


def pdf_scan(stream: Any) -> dict[str, Any]:
    """Return {"pages": n} for a passive PDF, else {"refused": reason, …}; see the module."""
    import pypdf
    from pypdf.generic import IndirectObject

    try:
        reader = pypdf.PdfReader(stream, strict=False)
        pages = len(reader.pages)
        found = active_name(reader.trailer)
        numbers = {(n, g) for g, ids in reader.xref.items() for n in ids}
        numbers |= {(n, 0) for n in reader.xref_objStm}
        for count, (number, generation) in enumerate(sorted(numbers)):
            if found:
                break
            if count % CACHE_OBJECTS == 0:
                reader.resolved_objects.clear()  # keep memory flat: each object is seen once
            found = active_name(reader.get_object(IndirectObject(number, generation, reader)))
    except MemoryError:
        raise
    except Exception as exc:  # pypdf raises many types on malformed input
        return {"refused": "damaged", "error": exc.__class__.__name__}
    if found:
        return {"refused": "active", "found": found}
    return {"pages": pages}


def main(argv: list[str]) -> int:
    """Cap memory and CPU as argv says, scan standard input, print the JSON answer."""
    memory_mib, seconds = int(argv[0]), int(argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (memory_mib * 1024 * 1024,) * 2)
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))
    try:
        answer = pdf_scan(io.BytesIO(sys.stdin.buffer.read()))
    except MemoryError:
        return 3
    print(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
