"""The counter poster of a service: the open survey link as a QR code, HTML, SVG or PDF."""

from __future__ import annotations

import hashlib
import io

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from skm_portal.siteurl import absolute_url

from .models import Service

PDF_CACHE_SECONDS = 24 * 60 * 60


def survey_url(service: Service) -> str:
    """The absolute open-link address of a service's survey (SITE_URL + path)."""
    return absolute_url(reverse("surveys:survey_form", args=[service.code]))


def _qr(url: str) -> segno.QRCode:
    # Level M survives a scuffed or badly lit print; the URL stays short enough.
    return segno.make(url, error="m", micro=False)


def qr_svg_document(service: Service) -> bytes:
    """A standalone SVG file of the QR code."""
    buffer = io.BytesIO()
    _qr(survey_url(service)).save(
        buffer, kind="svg", scale=10, border=4, xmldecl=True, svgns=True, title=survey_url(service), nl=True
    )
    return buffer.getvalue()


def qr_svg_inline(service: Service) -> str:
    """The QR code as inline <svg> markup that scales with its container (viewBox)."""
    return _qr(survey_url(service)).svg_inline(
        border=4, omitsize=True, svgclass="poster-qr", lineclass="poster-qr-line"
    )


def poster_context(service: Service, office) -> dict:
    return {"service": service, "office": office, "survey_url": survey_url(service), "qr_svg": qr_svg_inline(service)}


def poster_pdf(service: Service, office) -> bytes:
    """The A4 poster as PDF, rendered by WeasyPrint in Indonesian; cached by its HTML."""
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("surveys/public/poster_pdf.html", poster_context(service, office))
    key = "skm:poster-pdf:" + hashlib.sha256(html.encode()).hexdigest()
    pdf = cache.get(key)
    if pdf is None:
        from weasyprint import CSS, HTML  # heavy import, only where a PDF is made

        from skm_portal.pdf import BASE_URL, url_fetcher

        # The shipped face (css/fonts.css, linked by the template) comes through the local fetcher.
        stylesheet = finders.find("css/portal.css")
        pdf = HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher()).write_pdf(
            stylesheets=[CSS(filename=stylesheet)]
        )
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf
