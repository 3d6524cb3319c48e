"""Documents keep their stylesheet and fonts when static files are collected with hashed names."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.template import engines

from skm_portal.pdf import PdfResourceError, html_to_pdf

DOCUMENT = engines["django"].from_string(
    "{% load static %}<!doctype html><html lang='id'><head><meta charset='utf-8'>"
    "<link rel='stylesheet' href='{% static \"css/documents.css\" %}'></head>"
    "<body class='report'><h1 class='report-heading'>BAB I</h1>"
    "{% for i in rows %}<p class='doc-para'>Paragraf {{ i }} tentang pelayanan publik yang prima dan "
    "berkelanjutan bagi masyarakat Kalimantan Timur.</p>{% endfor %}</body></html>"
)


def poppler(tool: str) -> str:
    """The absolute path of a poppler-utils tool (pdfinfo, pdffonts)."""
    path = shutil.which(tool)
    if path is None:
        raise FileNotFoundError(f"{tool} (poppler-utils) is needed")
    return path


def pdf_facts(pdf: bytes, tmp_path, name: str) -> tuple[int, set[str]]:
    path = tmp_path / name
    path.write_bytes(pdf)
    info = subprocess.run([poppler("pdfinfo"), str(path)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    listing = subprocess.run([poppler("pdffonts"), str(path)], check=True, capture_output=True, text=True).stdout
    # "ABCDEF+DejaVuSerif-Bold type ..." -> the face name without the subset tag
    fonts = {line.split()[0].split("+", 1)[-1] for line in listing.splitlines()[2:] if line.strip()}
    return pages, fonts


def static_sources():
    from django.conf import settings

    return [Path(entry[1] if isinstance(entry, tuple) else entry) for entry in settings.STATICFILES_DIRS]


def test_a_production_build_has_the_layout_and_fonts_of_a_development_build(settings, tmp_path):
    context = {"rows": range(60)}
    development_html = DOCUMENT.render(context)
    development = pdf_facts(html_to_pdf(development_html), tmp_path, "dev.pdf")

    settings.STATIC_ROOT = tmp_path / "static"
    # The hashed names are what a document must survive; the gzip/brotli copies of every file
    # (most of collectstatic's time) play no part in a PDF, so no extension is compressed here.
    settings.WHITENOISE_SKIP_COMPRESS_EXTENSIONS = sorted(
        {path.suffix.lstrip(".") for source in static_sources() for path in source.rglob("*") if path.suffix}
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    production_html = DOCUMENT.render(context)
    assert re.search(r"css/documents\.[0-9a-f]{12}\.css", production_html)  # really the hashed name

    production = pdf_facts(html_to_pdf(production_html), tmp_path, "prod.pdf")
    assert production == development
    assert development[0] > 1  # the stylesheet's page size and margins decide this: a real layout


def test_a_stylesheet_that_cannot_be_loaded_is_an_error_not_an_unstyled_pdf():
    html = "<link rel='stylesheet' href='/static/css/documents.0123456789ab.css'><p>Halo</p>"
    with pytest.raises(PdfResourceError, match=r"documents\.0123456789ab\.css"):
        html_to_pdf(html)


def test_an_image_that_cannot_be_loaded_is_an_error():
    with pytest.raises(PdfResourceError, match=r"hilang\.png"):
        html_to_pdf("<p>Logo</p><img src='/media/office/hilang.png'>")


def test_a_remote_resource_is_refused():
    with pytest.raises(PdfResourceError, match=r"example\.com"):
        html_to_pdf("<link rel='stylesheet' href='https://example.com/gaya.css'><p>Halo</p>")
