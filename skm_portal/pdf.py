"""HTML templates to A4 PDF with WeasyPrint, for letters, minutes, posters and reports.

Static files and media are read from disk by the URL fetcher, never over HTTP, so a
PDF renders the same in a request, a management command or a background worker.

Static files are found as the site serves them: by source name through the staticfiles
finders (development), by hashed name (`documents.3f2a….css`, whose `url()`s point at
hashed fonts too) in the collected copy under STATIC_ROOT (production). A
resource that cannot be loaded is an error (`PdfResourceError`), never a silently
unstyled document.
"""

from __future__ import annotations

import functools
import io
import logging
import mimetypes
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.utils import translation

BASE_URL = "http://skm-portal.local/"


class PdfResourceError(RuntimeError):
    """A stylesheet, font or image of a document could not be loaded while rendering."""


def _static_file(name: str) -> Path | None:
    """A static file by its source name (the staticfiles finders, as development serves it)
    or by its hashed name (only the collected copy under STATIC_ROOT has it)."""
    found = finders.find(name)
    if found:
        return Path(found)
    try:
        collected = Path(staticfiles_storage.path(name))
    except NotImplementedError:  # a remote static storage: only the source folders
        return None
    root = Path(settings.STATIC_ROOT).resolve()
    if collected.is_file() and collected.resolve().is_relative_to(root):
        return collected
    return None


def _local_path(url: str) -> Path | None:
    path = unquote(urlparse(url).path)
    static_prefix = "/" + settings.STATIC_URL.lstrip("/")
    media_prefix = "/" + settings.MEDIA_URL.lstrip("/")
    if path.startswith(static_prefix):
        name = path[len(static_prefix) :]
        if ".." in Path(name).parts:
            return None
        return _static_file(name)
    if path.startswith(media_prefix):
        candidate = (Path(settings.MEDIA_ROOT) / path[len(media_prefix) :]).resolve()
        if candidate.is_relative_to(Path(settings.MEDIA_ROOT).resolve()):
            return candidate
    return None


FONT_SUFFIXES = (".woff2", ".woff")


@functools.lru_cache(maxsize=32)
def _decoded_font(path: str, mtime: float) -> bytes:
    """A web font as the plain TrueType/OpenType WeasyPrint decodes it to, decoded once per process.

    WeasyPrint turns every WOFF2 face back into TrueType (fontTools) on every document:
    for the eight Arimo faces that is most of a short document's time. Handed the decoded
    bytes, it uses them as they are. `mtime` is part of the key: a new font file is read again.
    """
    data = Path(path).read_bytes()
    out = io.BytesIO()
    if data[:4] == b"wOF2":
        from fontTools.ttLib import woff2

        woff2.decompress(io.BytesIO(data), out)
        return out.getvalue()
    if data[:4] == b"wOFF":
        from fontTools.ttLib import TTFont

        font = TTFont(io.BytesIO(data))
        font.flavor = font.flavorData = None
        font.save(out)
        return out.getvalue()
    return data


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFetcher(URLFetcher):
        """Serve /static/ and /media/ from disk and data: URIs; refuse everything else.

        Every refusal is remembered in `failures`, because WeasyPrint only logs it.
        """

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.failures: list[str] = []

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            local = _local_path(url)
            if local is None or not local.is_file():
                self.failures.append(url)
                raise ValueError(f"Not a local static or media file: {url}")
            if local.suffix in FONT_SUFFIXES:
                body = _decoded_font(str(local), local.stat().st_mtime)
                return URLFetcherResponse(url, body=body, headers={"Content-Type": "font/ttf"})
            content_type = mimetypes.guess_type(local.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=local.read_bytes(), headers={"Content-Type": content_type})

    return LocalFetcher


def url_fetcher():
    return _fetcher_class()()


class _LoadErrors(logging.Handler):
    """WeasyPrint's "Failed to load …" errors (a stylesheet, image or SVG it could not use)."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("Failed to load"):
            self.messages.append(message)


@contextmanager
def _strict(fetcher):
    handler = _LoadErrors()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    problems = [*(f"not found: {url}" for url in fetcher.failures), *handler.messages]
    if problems:
        raise PdfResourceError("PDF resources could not be loaded: " + "; ".join(dict.fromkeys(problems)))


def render_document(html: str):
    """The laid-out WeasyPrint document; PdfResourceError when any resource failed to load."""
    from weasyprint import HTML

    fetcher = url_fetcher()
    with _strict(fetcher):
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render()
    return document


def html_to_pdf(html: str) -> bytes:
    return render_document(html).write_pdf()


def render_pdf(template_name: str, context: dict | None = None) -> bytes:
    """Render a template (Indonesian locale) and return the PDF bytes."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template_name, context or {})
    return html_to_pdf(html)
