"""HTML templates to A4 PDF with WeasyPrint, for letters, minutes, posters and reports.

Static files and media are read from disk by the URL fetcher, never over HTTP, so a
PDF renders the same in a request, a management command or a background worker.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

BASE_URL = "http://skm-portal.local/"


def _local_path(url: str) -> Path | None:
    path = unquote(urlparse(url).path)
    static_prefix = "/" + settings.STATIC_URL.lstrip("/")
    media_prefix = "/" + settings.MEDIA_URL.lstrip("/")
    if path.startswith(static_prefix):
        found = finders.find(path[len(static_prefix) :])
        return Path(found) if found else None
    if path.startswith(media_prefix):
        candidate = (Path(settings.MEDIA_ROOT) / path[len(media_prefix) :]).resolve()
        if candidate.is_relative_to(Path(settings.MEDIA_ROOT).resolve()):
            return candidate
    return None


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFetcher(URLFetcher):
        """Serve /static/ and /media/ from disk and data: URIs; refuse everything else."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            local = _local_path(url)
            if local is None or not local.is_file():
                raise ValueError(f"Not a local static or media file: {url}")
            content_type = mimetypes.guess_type(local.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=local.read_bytes(), headers={"Content-Type": content_type})

    return LocalFetcher


def url_fetcher():
    return _fetcher_class()()


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher()).write_pdf()


def render_pdf(template_name: str, context: dict | None = None) -> bytes:
    """Render a template (Indonesian locale) and return the PDF bytes."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template_name, context or {})
    return html_to_pdf(html)
