"""Check uploaded PDFs for active content, in a child process whose memory is capped.

Run as `python -m terbuka_web.contracting.pdfscan MEMORY_MIB`: the child caps its address
space (RLIMIT_AS) before it imports pypdf, then answers requests until its standard input
ends. A request is the PDF's length as 8 bytes (big-endian) followed by its bytes; the answer
is one JSON line: {"pages": n}, or {"refused": "active", "found": "/JavaScript"}, or
{"refused": "damaged", "error": "PdfReadError"}, or {"refused": "complex"} after a parse that
ran out of memory, after which the child exits (status 3) and the parent starts a new one.
Each parse opens the PDF (strict=False, as viewers do) and visits every object of the
cross-reference table and its object streams (without decoding content streams). It imports
neither Django nor the rest of Terbuka, so the child starts fast and small; the parent
(contracting.uploads) keeps it running between uploads and bounds each answer's wait.

Refused rather than stripped: the SHA-256 recorded and logged is that of the file the
official uploaded, so Terbuka never rewrites it; the official re-saves it as a plain PDF.
"""

from __future__ import annotations

import io
import json
import resource
import sys
from typing import IO, Any

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
    except Exception:  # pypdf raises many types on malformed input
        return {"refused": "damaged"}
    if found:
        return {"refused": "active", "found": found}
    return {"pages": pages}


def request_read(source: IO[bytes]) -> bytes | None:
    """Return the next request's PDF bytes from source, or None when source has ended."""
    header = source.read(8)
    if len(header) < 8:
        return None
    return source.read(int.from_bytes(header, "big"))


def main(argv: list[str]) -> int:
    """Cap memory as argv says, then answer each request on standard input with a JSON line.

    Returns 0 when standard input ends, 3 after a parse ran out of memory.
    """
    memory_mib = int(argv[0])
    resource.setrlimit(resource.RLIMIT_AS, (memory_mib * 1024 * 1024,) * 2)
    while True:
        try:
            data = request_read(sys.stdin.buffer)
            if data is None:
                return 0
            answer = pdf_scan(io.BytesIO(data))
        except MemoryError:
            answer = {"refused": "complex"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
        if answer.get("refused") == "complex":
            return 3


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
