"""Build links to processes without resolving the URL pattern once per result row."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS

_MARKER = "ocid-marker-7f3a"
_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what django.urls.reverse leaves unquoted


def ocid_link_maker(name: str, absolute: Callable[[str], str] = str) -> Callable[[str], str]:
    """Return a function mapping an ocid to reverse(name, args=[ocid]), passed through absolute.

    The URL is resolved once; each call only quotes the ocid as reverse would (a search page
    builds 20-200 links). Example: ocid_link_maker("portal:process")("ocds-tbk352-1") →
    "/proses/ocds-tbk352-1/".
    """
    head, tail = absolute(reverse(name, args=[_MARKER])).split(_MARKER)
    return lambda ocid: head + quote(ocid, safe=_SAFE) + tail
