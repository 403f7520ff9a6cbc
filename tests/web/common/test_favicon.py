"""Every page names the site's icon (SVG, and ICO for older browsers), served from static."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n"


def static_file(name: str) -> Path:
    found = finders.find(name)
    assert isinstance(found, str), f"{name} is not among the static files"
    return Path(found)


def test_pages_link_the_icons_and_the_files_are_what_they_say() -> None:
    html = Client().get("/").content.decode()
    links = dict(re.findall(r'<link rel="(icon|apple-touch-icon)" href="/static/([^"]+)"', html))
    assert links == {
        "icon": "terbuka/favicon.svg",
        "apple-touch-icon": "terbuka/apple-touch-icon.png",
    }
    assert '<link rel="icon" href="/static/terbuka/favicon.ico" sizes="32x32">' in html
    svg = ET.parse(static_file("terbuka/favicon.svg")).getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg" and svg.get("viewBox") == "0 0 32 32"
    ico = static_file("terbuka/favicon.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", ico)
    assert (reserved, kind) == (0, 1) and count >= 2
    sizes = set()
    for n in range(count):
        width, _h, _c, _r, _p, _b, size, offset = struct.unpack_from("<BBBBHHII", ico, 6 + 16 * n)
        assert ico[offset : offset + 8] == PNG and offset + size <= len(ico)
        sizes.add(width)
    assert {16, 32} <= sizes
    touch = static_file("terbuka/apple-touch-icon.png").read_bytes()
    assert touch[:8] == PNG and struct.unpack(">II", touch[16:24]) == (180, 180)


def test_favicon_ico_at_the_root_leads_to_the_static_icon(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/terbuka/favicon.ico"
