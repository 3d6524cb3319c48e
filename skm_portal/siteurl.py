"""The office's public address (SITE_URL): the one place absolute links are built.

QR posters, check-in links, e-mail links and the verification link of a signed document
all come from `absolute_url`. A signed document locks its link in for good, so in
production the address must be an `https://` address of a public host: the deployment
check (`manage.py check --deploy`) fails otherwise and signing is refused
(`public_site_problem`). In development `make run HOST=… PORT=…` passes the address the
server listens on, so local QR codes and links work.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.utils.translation import gettext as _

LOCAL_SUFFIXES = (".localhost", ".local", ".localdomain", ".internal", ".lan", ".home.arpa", ".test", ".invalid")


def site_url() -> str:
    """SITE_URL without a trailing slash."""
    return (getattr(settings, "SITE_URL", "") or "").strip().rstrip("/")


def absolute_url(path: str) -> str:
    """The absolute address of a path of this site ("/survei/a/" -> "https://skm.go.id/survei/a/")."""
    return site_url() + "/" + path.lstrip("/")


def _host_problem(host: str) -> str | None:
    host = host.strip("[]").rstrip(".").lower()
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if host == "localhost" or host.endswith(LOCAL_SUFFIXES) or "." not in host:
            return _("%(host)s bukan nama host publik.") % {"host": host}
        return None
    if not address.is_global:
        return _("%(host)s adalah alamat lokal/privat, bukan alamat publik.") % {"host": host}
    return None


def public_site_problem(url: str | None = None) -> str | None:
    """Why the address cannot be the public address of a signed document, or None when it can."""
    url = site_url() if url is None else url.strip().rstrip("/")
    if not url:
        return _("SITE_URL belum diisi.")
    try:
        parts = urlsplit(url)
        hostname = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return _("SITE_URL bukan alamat yang sah: %(url)s.") % {"url": url}
    if parts.scheme != "https":
        return _("SITE_URL harus alamat https://, bukan %(url)s.") % {"url": url}
    if not hostname:
        return _("SITE_URL tidak memuat nama host: %(url)s.") % {"url": url}
    if parts.username or parts.password or parts.query or parts.fragment:
        return _("SITE_URL hanya berisi skema, host dan (opsional) path: %(url)s.") % {"url": url}
    return _host_problem(hostname)


def signing_refusal() -> str | None:
    """The message that refuses signing in production while SITE_URL is not a public https address."""
    if settings.DEBUG:
        return None  # development: documents signed locally point at the local server
    problem = public_site_problem()
    if problem is None:
        return None
    return _(
        "Penandatanganan ditolak: tautan verifikasi akan terkunci dalam dokumen, tetapi alamat situs belum "
        "alamat publik. %(problem)s Atur SITE_URL ke alamat https:// kantor (mis. https://skm.dpmptsp.go.id)."
    ) % {"problem": problem}


@checks.register(checks.Tags.security, deploy=True)
def check_site_url(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """`check --deploy`: SITE_URL is the https:// address of a public host."""
    problem = public_site_problem()
    if problem is None:
        return []
    return [
        checks.Error(
            problem,
            hint=_(
                "Tautan di kode QR, e-mail dan dokumen bertanda tangan memakai SITE_URL; isi dengan alamat "
                "https:// publik kantor, mis. https://skm.dpmptsp.kaltimprov.go.id."
            ),
            id="skm_portal.E001",
        )
    ]
