"""Parts of a report rendered once and kept: each period's results, each document, the other evidence.

WeasyPrint lays out ~87 ms a page, and most of a year's report is its appendix: every
meeting's invitation, notula and daftar hadir, the FKP's, each period's results. Those
pages change only when their own data changes, not when the report's text is edited or
the report is signed. So each appendix part is rendered *alone* into a PDF whose page is
exactly a reserved box of the report (the content area less one label line), stored under
the SHA-256 of its complete HTML and stylesheet (the fingerprint of the data that went
into it: other data, another file). A build then lays out only the report itself with,
for each part, its first reserved page (the report's own footer, DRAF mark or signed
statement, an empty box); reports/stitch.py adds the part's other pages and draws its
pages into the boxes while the PDF is written. The table of contents stays right because
each placeholder's named page advances the page counter by the pages not laid out.

The other evidence ("Bukti Dukung Lainnya", every upload and link of the year's follow-up)
is the one section of the report's own body that grows with the year: it is a part too
(BODY_PART_TEMPLATE), whose pages are the report's whole content area and carry no label;
the report's footer, DRAF mark and page numbers are drawn around it as for the appendix.

A part whose HTML is unchanged is never rendered again. A part is a cache, not a record:
each build marks the parts it uses (their file's time), and parts no build has used for
REPORT_PART_KEEP_DAYS are removed after each build (`prune_unused`, also `manage.py
report_parts_prune`). A part removed and needed again is rendered again.

The labels above the boxes ("Lampiran: ... – halaman n dari m") and the page numbers of
reserved pages are rendered once too (`labels_for`, `page_numbers`), as whole A4 pages
carrying only that text, laid over the report's page. A build's signed version, painted
with its draft from one layout, waits here until it is signed (`prepared_store`), or until a
newer draft of its report is finished (`prepared_discard`).

Where parts are kept: REPORT_PART_ROOT (a local folder; tests share one across a run,
since a part's name is the SHA-256 of everything it shows), else MEDIA_ROOT/report-parts
through the default storage.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import math
import os
import re
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from skm_portal.pdf import render_document

from . import attachments

logger = logging.getLogger(__name__)
PART_DIR = "report-parts"
PART_TEMPLATE = "reports/pdf/part.html"
BODY_PART_TEMPLATE = "reports/pdf/body_part.html"
LABELS_TEMPLATE = "reports/pdf/part_labels.html"
NUMBERS_TEMPLATE = "reports/pdf/page_numbers.html"
NUMBERS_STEP = 100  # page numbers are rendered for 1..n, n rounded up to this


@dataclass(frozen=True)
class Part:
    """A rendered appendix part: its fingerprint and page count; its slots in the report."""

    fingerprint: str
    pages: int

    @property
    def slots(self) -> list[attachments.Slot]:
        return [attachments.Slot(part_slot_id(self.fingerprint, n), n) for n in range(1, self.pages + 1)]


def part_slot_id(fingerprint: str, number: int) -> str:
    return f"{attachments.SLOT_PREFIX}part-{fingerprint}-{number}"


def part_storage():
    """(storage, folder) of the parts: REPORT_PART_ROOT when set, else the default storage."""
    root = getattr(settings, "REPORT_PART_ROOT", None)
    if root:
        return _local_storage(str(root)), ""
    return default_storage, f"{PART_DIR}/"


@cache
def _local_storage(root: str) -> FileSystemStorage:
    return FileSystemStorage(location=root)


def part_path(fingerprint: str) -> str:
    return f"{part_storage()[1]}{fingerprint}.pdf"


@cache
def _stylesheet_digest(path: str, mtime: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _styles_fingerprint() -> str:
    digests = []
    for name in ("css/documents.css", "css/part.css"):
        found = finders.find(name)
        if found:
            digests.append(_stylesheet_digest(found, Path(found).stat().st_mtime))
    return ":".join(digests)


def part_html(fragment: SafeString | str, template: str = PART_TEMPLATE) -> str:
    return render_to_string(template, {"fragment": fragment})


def part_for(fragment: SafeString | str, *, template: str = PART_TEMPLATE, sources: str = "") -> Part:
    """The part of `fragment` (appendix HTML without page decoration): rendered now only if
    no part with the same HTML and stylesheet is stored yet.

    `template`: PART_TEMPLATE (pages the size of an appendix's reserved box, under a label) or
    BODY_PART_TEMPLATE (pages the size of the report's whole content area: a section of the
    report's own body, e.g. the other evidence). `sources`: what the HTML does not show of the
    uploads drawn into its slots (their SHA-256), so a replaced file makes another part."""
    html = part_html(fragment, template)
    fingerprint = _fingerprint(f"{sources}\n{html}" if sources else html)
    pages = _stored_pages(fingerprint)
    if pages:
        return Part(fingerprint, pages)
    document = render_document(html)
    pdf = attachments.fill_slots(document.write_pdf(), attachments.slot_positions(document))
    _store(fingerprint, pdf)
    return Part(fingerprint, len(document.pages))


def _fingerprint(html: str) -> str:
    return hashlib.sha256(f"{_styles_fingerprint()}\n{html}".encode()).hexdigest()


def _stored_pages(fingerprint: str) -> int:
    """The page count of a stored part (0 when missing; a damaged one is removed, to render
    again). A part found is marked as used now (`prune_unused`)."""
    reader = part_reader(fingerprint)
    if reader is not None:
        _mark_used(part_path(fingerprint))
        return int(reader.root["/Pages"]["/Count"])
    storage, _folder = part_storage()
    path = part_path(fingerprint)
    if storage.exists(path):
        logger.warning("Report part %s unreadable; rendering it again", fingerprint)
        storage.delete(path)
    return 0


def _store(fingerprint: str, pdf: bytes) -> None:
    storage, _folder = part_storage()
    path = part_path(fingerprint)
    if storage.exists(path):  # written meanwhile by another build: the same bytes
        return
    _save_whole(storage, path, pdf)


def _save_whole(storage, path: str, data: bytes) -> None:
    if isinstance(storage, FileSystemStorage):
        _write_whole(Path(storage.path(path)), data, storage.file_permissions_mode)
    else:  # object stores (S3) publish an upload whole
        storage.save(path, ContentFile(data))


def _write_whole(target: Path, data: bytes, mode: int | None) -> None:
    """Write a file under a temporary name and rename it into place, so another process
    reading the same part never sees it half-written (and never takes it for damaged)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".part-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def part_bytes(fingerprint: str) -> bytes | None:
    storage, _folder = part_storage()
    try:
        with storage.open(part_path(fingerprint), "rb") as handle:
            return handle.read()
    except OSError:
        return None


def part_reader(fingerprint: str):
    """The stored part (or labels, or page numbers) parsed, kept per process: it never changes."""
    storage, folder = part_storage()
    key = (type(storage).__name__, str(getattr(storage, "location", "")), folder, fingerprint)
    reader = _READERS.get(key)
    if reader is None:
        data = part_bytes(fingerprint)
        try:
            reader = attachments._reader(data) if data else None
        except Exception:
            reader = None
        if reader is not None:
            if len(_READERS) >= MAX_CACHED_READERS:
                _READERS.pop(next(iter(_READERS)))
            _READERS[key] = reader
    return reader


MAX_CACHED_READERS = 2000
_READERS: dict[tuple[str, str, str, str], object] = {}


@dataclass(frozen=True)
class Labels:
    """The labels of a part's reserved pages, one A4 page each (only the label drawn)."""

    fingerprint: str
    pages: int


def label_html(label: str, number: int, pages: int) -> str:
    return render_to_string("reports/pdf/_part_label.html", {"label": label, "number": number, "pages": pages})


def labels_for(label: str, pages: int) -> Labels:
    labels = [mark_safe(label_html(label, n, pages)) for n in range(1, pages + 1)]  # noqa: S308 - our template
    html = render_to_string(LABELS_TEMPLATE, {"labels": labels})
    fingerprint = _fingerprint(html)
    if _stored_pages(fingerprint) != pages:
        document = render_document(html)
        _store(fingerprint, document.write_pdf())
    return Labels(fingerprint, pages)


def page_numbers(last: int):
    """A reader of A4 pages numbered 1..n (n >= last) with the report's footer number only."""
    count = max(NUMBERS_STEP, math.ceil(last / NUMBERS_STEP) * NUMBERS_STEP)
    html = render_to_string(NUMBERS_TEMPLATE, {"pages": range(count)})
    fingerprint = _fingerprint(html)
    if fingerprint not in _NUMBERS:  # the same for every report: kept per process too
        if _stored_pages(fingerprint) != count:
            _store(fingerprint, render_document(html).write_pdf())
        _NUMBERS.clear()
        _NUMBERS[fingerprint] = part_reader(fingerprint)
    else:
        _mark_used(part_path(fingerprint))
    return _NUMBERS[fingerprint]


_NUMBERS: dict[str, object] = {}


# A stored part, labels or page numbers (named by their SHA-256), or a part being written.
_PRUNABLE = re.compile(r"^(?:[0-9a-f]{64}\.pdf|\.part-.+\.tmp)$")


def _mark_used(path: str) -> None:
    """Set a stored part's time to now: the time `prune_unused` reads as its last use. Object
    stores (S3) keep the upload time: a part there is removed that long after it was made,
    used or not, and rendered again when a build needs it."""
    storage, _folder = part_storage()
    if isinstance(storage, FileSystemStorage):
        with contextlib.suppress(OSError):  # removed meanwhile: the build still has it in memory
            os.utime(storage.path(path))


def keep_days() -> int:
    return max(1, int(getattr(settings, "REPORT_PART_KEEP_DAYS", 30)))


def _stored_names() -> list[str]:
    """The names of the files in the store of parts (none when it cannot be listed)."""
    storage, folder = part_storage()
    try:
        return storage.listdir(folder.rstrip("/") or ".")[1]
    except OSError:
        return []


def prune_unused() -> int:
    """Remove the stored parts (labels and page numbers too) that no build has used for
    `keep_days()`, and parts left half-written as long ago; return how many. The signed
    versions waiting for their signature are not touched (`prepared_discard`)."""
    storage, folder = part_storage()
    cutoff = timezone.now() - dt.timedelta(days=keep_days())
    removed = 0
    for name in _stored_names():
        if not _PRUNABLE.match(name):
            continue
        path = f"{folder}{name}"
        try:
            if storage.get_modified_time(path) >= cutoff:
                continue
            storage.delete(path)
        except NotImplementedError:  # a store that keeps no times: nothing is pruned
            break
        except OSError:  # removed meanwhile by another build, or not removable: left for the next
            continue
        removed += 1
    if removed:
        logger.info("Removed %d report parts unused for %d days", removed, keep_days())
    return removed


def prepared_path(code: str, html_sha256: str) -> str:
    return f"{part_storage()[1]}signed-{code}-{html_sha256}.pdf"


def prepared_store(code: str, html_sha256: str, pdf: bytes) -> None:
    """Keep a build's signed version, painted with its draft from the same layout, until it is
    signed: named by the build's verification code and the SHA-256 of the signed HTML."""
    storage, _folder = part_storage()
    path = prepared_path(code, html_sha256)
    if not storage.exists(path):
        _save_whole(storage, path, pdf)


def prepared_discard(codes) -> int:
    """Remove the signed versions prepared for the builds with these verification codes; return
    how many. A prepared version is a whole report (megabytes), kept to make signing the newest
    draft quick; a superseded draft may still be signed, and is then laid out again."""
    storage, _folder = part_storage()
    removed = 0
    for path in _prepared_paths(codes):
        try:
            storage.delete(path)
        except OSError:
            logger.warning("Could not remove the prepared signed version %s", path, exc_info=True)
            continue
        removed += 1
    return removed


def _prepared_paths(codes) -> list[str]:
    """The stored paths of the signed versions prepared for these builds, whatever their HTML."""
    prefixes = tuple(f"signed-{code}-" for code in codes)
    if not prefixes:
        return []
    folder = part_storage()[1]
    return [f"{folder}{name}" for name in _stored_names() if name.startswith(prefixes)]


def prepared_take(code: str, html_sha256: str | None = None) -> bytes | None:
    """The signed version prepared for this build and HTML (removed from the store), or None.
    Without `html_sha256` (a build signed right after it was made, in the same process), the
    one prepared for the build, whatever its HTML."""
    storage, _folder = part_storage()
    paths = [prepared_path(code, html_sha256)] if html_sha256 is not None else _prepared_paths([code])
    for path in paths:
        try:
            with storage.open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            continue
        storage.delete(path)
        return data
    return None
