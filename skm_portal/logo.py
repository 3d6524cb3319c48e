"""Which office logos are accepted: PNG, JPEG or a safe SVG, recognised by their content.

The logo is printed on every letterhead and on the report's cover, and shown on pages, so
it must be what it claims to be: a PNG or JPEG that Pillow decodes, no larger than
LOGO_MAX_PIXELS on a side, or an SVG drawing with nothing active in it (no script, no
event handler, no embedded HTML, no reference to another file or site, no DTD). Pure
Python apart from Pillow.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .numbers import format_int

MAX_BYTES = 1024 * 1024
MAX_PIXELS = 4000
EXTENSIONS = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".svg": "svg"}
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
# Elements that run code, pull in other documents or embed HTML.
FORBIDDEN_SVG_ELEMENTS = {"script", "foreignObject", "iframe", "object", "embed", "audio", "video", "handler"}
_LOCAL_REFERENCE = re.compile(r"^#[\w.-]+$|^data:image/(png|jpeg);base64,[A-Za-z0-9+/=\s]+$")
_CSS_URL = re.compile(r"url\(\s*['\"]?(?!#)", re.I)


class RefusedLogo(ValueError):
    """The upload is not accepted as a logo; the message is for the officer (Indonesian)."""


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _check_svg(data: bytes) -> None:
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise RefusedLogo(_("Berkas SVG tidak boleh memuat DOCTYPE atau ENTITY."))
    try:
        root = ET.fromstring(data)  # noqa: S314 - no DTD or entity reaches the parser (refused above)
    except ET.ParseError as error:
        raise RefusedLogo(_("Berkas SVG tidak dapat dibaca (XML tidak sah).")) from error
    if root.tag != f"{{{SVG_NS}}}svg":
        raise RefusedLogo(_("Berkas bukan gambar SVG."))
    for element in root.iter():
        name = _local_name(element.tag) if isinstance(element.tag, str) else ""
        if name in FORBIDDEN_SVG_ELEMENTS:
            raise RefusedLogo(
                _("Berkas SVG memuat unsur aktif (%(name)s); gunakan gambar tanpa skrip.") % {"name": name}
            )
        for attribute, value in element.attrib.items():
            attribute_name = _local_name(attribute).lower()
            if attribute_name.startswith("on"):
                raise RefusedLogo(_("Berkas SVG memuat skrip pada atribut %(name)s.") % {"name": attribute_name})
            if attribute_name == "href" and not _LOCAL_REFERENCE.match(value.strip()):
                raise RefusedLogo(_("Berkas SVG merujuk ke berkas atau situs lain; sematkan semua gambar di dalamnya."))
            if attribute_name == "style" and _CSS_URL.search(value):
                raise RefusedLogo(_("Berkas SVG merujuk ke berkas atau situs lain; sematkan semua gambar di dalamnya."))
        if name == "style" and (_CSS_URL.search(element.text or "") or "@import" in (element.text or "")):
            raise RefusedLogo(_("Berkas SVG merujuk ke berkas atau situs lain; sematkan semua gambar di dalamnya."))


def _check_bitmap(data: bytes, expected: str) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            found = (image.format or "").lower()
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise RefusedLogo(_("Berkas bukan gambar PNG atau JPEG yang utuh.")) from error
    if found != expected:
        raise RefusedLogo(
            _("Isi berkas tidak sesuai dengan namanya (nama .%(ext)s, isi %(found)s).")
            % {"ext": "jpg" if expected == "jpeg" else expected, "found": found.upper() or "?"}
        )
    if max(width, height) > MAX_PIXELS:
        raise RefusedLogo(
            _("Gambar terlalu besar (%(w)s × %(h)s piksel); paling besar %(max)s piksel per sisi.")
            % {"w": width, "h": height, "max": MAX_PIXELS}
        )


def check(name: str, data: bytes) -> str:
    """The logo's kind ("png", "jpeg" or "svg"), or RefusedLogo with the reason in Indonesian."""
    if len(data) > MAX_BYTES:
        size = format_int(MAX_BYTES // (1024 * 1024))
        raise RefusedLogo(_("Logo terlalu besar. Ukuran paling besar %(size)s MB.") % {"size": size})
    if not data:
        raise RefusedLogo(_("Berkas logo kosong."))
    kind = EXTENSIONS.get(PurePath(name or "").suffix.lower())
    if kind is None:
        raise RefusedLogo(_("Logo harus berupa berkas PNG, JPEG atau SVG."))
    if kind == "svg":
        _check_svg(data)
    else:
        _check_bitmap(data, kind)
    return kind


def validate_logo(value) -> None:
    """Model field validator: the stored or uploaded file must pass `check`."""
    if not value:
        return
    try:
        value.open("rb")
        value.seek(0)
        data = value.read(MAX_BYTES + 1)
        value.seek(0)
    except OSError as error:
        raise ValidationError(_("Berkas logo tidak dapat dibaca."), code="logo") from error
    try:
        check(value.name, data)
    except RefusedLogo as refused:
        raise ValidationError(str(refused), code="logo") from refused
