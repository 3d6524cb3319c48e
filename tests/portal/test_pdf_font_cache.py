"""Web fonts reach WeasyPrint already decoded, once per process (it would decode WOFF2 per document)."""

from __future__ import annotations

import re
from pathlib import Path

from django.contrib.staticfiles import finders

from skm_portal import pdf


def test_a_woff2_face_is_handed_over_as_truetype_decoded_once():
    css = Path(finders.find("css/fonts.css")).read_text(encoding="utf-8")
    first_font = re.search(r"url\(['\"]?\.\./([^'\")]+\.woff2)", css)
    assert first_font, "fonts.css names no WOFF2 face"
    url = f"{pdf.BASE_URL}static/{first_font.group(1)}"
    assert Path(finders.find(first_font.group(1))).read_bytes()[:4] == b"wOF2"
    pdf._decoded_font.cache_clear()
    fetcher = pdf.url_fetcher()
    body = fetcher.fetch(url).read()
    assert body[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true")  # an sfnt WeasyPrint uses as it is
    assert fetcher.fetch(url).read() == body
    assert (pdf._decoded_font.cache_info().hits, pdf._decoded_font.cache_info().misses) == (1, 1)
