"""Plain helpers of the follow-up tests (the seed's published indices, file bytes); fixtures live in conftest."""

import io

from PIL import Image

from tests.factories import ELEMENT_NAMES, PublishedPeriodFactory

NAMES = ELEMENT_NAMES  # U1..U11, as the seed names them
# The seed's Tabel 2.1 and 2.2.
SEMESTER_I = ["94.79", "92.05", "85.87", "90.9", "89.14", "93.2", "95.67", "92.85", "96.82", "91.86", "93.02"]
TRIWULAN_III = ["94.72", "83.85", "81.52", "97.52", "85.56", "92.86", "93.79", "90.68", "96.59", "95.03", "96.59"]


def published_period(name, start, end, indices, respondents=100):
    return PublishedPeriodFactory(
        name=name, start_date=start, end_date=end, indices=indices, published_respondents=respondents
    )


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"This program cannot be run"
HTML_BYTES = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
