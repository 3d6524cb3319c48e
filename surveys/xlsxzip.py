"""The guards an uploaded .xlsx passes before `zipfile` parses it, and the reader's error.

A file from outside is hostile until read: its zip central directory is bounded before
`zipfile.ZipFile` builds one object per declared entry (see `zip_directory_check`).
`surveys.xlsxstream` reads the sheet once these pass.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _

# A workbook has a few dozen parts; its central directory a few KB.
MAX_ZIP_ENTRIES = 1000
MAX_ZIP_DIRECTORY_BYTES = 1024 * 1024


class XlsxError(Exception):
    """The file cannot be read as an .xlsx workbook; the message is for the user."""


def too_big(part: str) -> XlsxError:
    return XlsxError(
        _("Isi berkas terlalu besar setelah dibuka (%(part)s). Bagi data menjadi beberapa berkas.") % {"part": part}
    )


def zip_directory_check(source: str | Path | BinaryIO) -> None:
    """Refuse a zip whose central directory is larger than any workbook's, before parsing it.

    `zipfile.ZipFile` builds one object per entry of the central directory; a hostile
    50 MB file can declare a million entries (hundreds of MB of objects). The end-of-
    central-directory record (and its zip64 twin) says how many entries and bytes follow.
    """
    own = isinstance(source, str | Path)
    stream = open(source, "rb") if own else source  # noqa: SIM115 - closed below
    try:
        position = stream.tell()
        size = stream.seek(0, os.SEEK_END)
        tail_size = min(size, 22 + 65535)
        stream.seek(size - tail_size)
        tail = stream.read(tail_size)
        end = tail.rfind(b"PK\x05\x06")
        if end < 0 or len(tail) - end < 22:
            raise XlsxError(_("Berkas bukan berkas Excel .xlsx yang sah."))
        entries, directory_size = struct.unpack("<HL", tail[end + 10 : end + 16])
        if entries == 0xFFFF or directory_size == 0xFFFFFFFF:
            # zip64: the locator (20 bytes before the record) points to the real counts.
            locator = size - tail_size + end - 20
            if locator < 0:
                raise XlsxError(_("Berkas bukan berkas Excel .xlsx yang sah."))
            stream.seek(locator)
            data = stream.read(20)
            if data[:4] != b"PK\x06\x07":
                raise XlsxError(_("Berkas bukan berkas Excel .xlsx yang sah."))
            (record,) = struct.unpack("<Q", data[8:16])
            if record >= size:
                raise XlsxError(_("Berkas bukan berkas Excel .xlsx yang sah."))
            stream.seek(record)
            data = stream.read(56)
            if len(data) < 56 or data[:4] != b"PK\x06\x06":
                raise XlsxError(_("Berkas bukan berkas Excel .xlsx yang sah."))
            entries, directory_size = struct.unpack("<QQ", data[32:48])
        stream.seek(position)
    except (OSError, struct.error, ValueError) as exc:
        raise XlsxError(_("Berkas bukan berkas Excel .xlsx yang sah.")) from exc
    finally:
        if own:
            stream.close()
    if entries > MAX_ZIP_ENTRIES or directory_size > MAX_ZIP_DIRECTORY_BYTES:
        raise XlsxError(
            _("Berkas berisi terlalu banyak bagian (%(count)s) untuk sebuah berkas Excel.")
            % {"count": f"{entries:,}".replace(",", ".")}
        )
