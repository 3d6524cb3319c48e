"""The JSON API for the office's other systems (django-ninja; OpenAPI at /api/v1/openapi.json).

- Client systems send `X-API-Key` (issued and revoked by an administrator at
  /api-klien/); each call is rate-limited per key (bucket `API`) and audited.
- Open data (no key): the published results per period and service as JSON and CSV,
  rate-limited per address (bucket `OPEN_DATA`), cacheable (ETag, Cache-Control).

Messages are Indonesian; errors are `{"detail": "...", "errors": [...]}`.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader
from pydantic import Field

from skm_portal import ratelimit
from skm_portal.formviews import error_messages
from skm_portal.siteurl import absolute_url
from surveys.models import Service

from . import keys, opendata, services
from .models import ApiClient

CACHE_SECONDS = 300


class Refused(Exception):
    def __init__(self, status: int, detail: str, errors: list[str] | None = None, headers: dict | None = None):
        super().__init__(detail)
        self.status, self.detail, self.errors, self.headers = status, detail, errors or [], headers or {}


class ClientKey(APIKeyHeader):
    """`X-API-Key: skm_...`; every keyed call takes one use of the client's `API` bucket."""

    param_name = "X-API-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiClient | None:
        client = keys.client_for_key(key or "")
        if client is None:
            return None
        if not client.is_active:
            services.api_call_refused(client=client, reason=_("kunci sudah dicabut."))
            raise Refused(401, _("Kunci API ini sudah dicabut. Minta kunci baru kepada administrator."))
        if ratelimit.API.take(request, client=f"client-{client.pk}") is None:
            services.api_call_refused(client=client, reason=_("batas jumlah panggilan terlampaui."))
            raise _too_many(ratelimit.API)
        services.api_client_touch(client)
        return client


def _too_many(bucket: ratelimit.RateLimit) -> Refused:
    wait = bucket.retry_after()
    return Refused(
        429,
        _("Terlalu banyak permintaan. Coba lagi dalam %(s)d detik.") % {"s": wait},
        headers={"Retry-After": str(wait)},
    )


api = NinjaAPI(
    title="SKM Portal API",
    version="1",
    description="API SKM Portal untuk sistem lain di kantor dan data terbuka hasil SKM.",
    urls_namespace="api",
    docs_url=None,  # the interactive docs load assets from a CDN; the schema is enough
)


def _error(request, status: int, detail: str, errors: list | None = None, headers: dict | None = None):
    response = api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@api.exception_handler(Refused)
def _refused(request, exc: Refused):
    return _error(request, exc.status, exc.detail, exc.errors, exc.headers)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _error(request, 401, _("Kunci API tidak ada atau tidak dikenal. Kirim kunci di kepala X-API-Key."))


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc: NinjaValidationError):
    errors = [f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in exc.errors]
    client = getattr(request, "auth", None)
    if isinstance(client, ApiClient):
        services.api_call_refused(client=client, reason="; ".join(errors)[:300])
    return _error(request, 422, _("Isian tidak valid."), errors)


class ErrorOut(Schema):
    detail: str
    errors: list[str]


# --- Finished permits -------------------------------------------------------------------


class FinishedPermitIn(Schema):
    reference: str = Field(..., max_length=120, description="Nomor berkas di sistem perizinan.")
    service: str = Field(..., max_length=40, description="Kode jenis layanan SKM.")
    email: str = Field(..., max_length=254, description="E-mail pemohon; tautan survei dikirim ke sini.")


class FinishedPermitOut(Schema):
    reference: str
    service: str
    survey_url: str
    expires_at: datetime
    created: bool


def _validation_refused(request, client: ApiClient, error: ValidationError) -> Refused:
    messages = error_messages(error)
    services.api_call_refused(client=client, reason="; ".join(messages)[:300])
    return Refused(422, _("Isian tidak valid."), messages)


@api.post(
    "/izin-selesai",
    auth=ClientKey(),
    response={200: FinishedPermitOut, 201: FinishedPermitOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Laporkan izin selesai; terima tautan survei sekali pakai",
)
def finished_permit(request, payload: FinishedPermitIn):
    """Idempotent by `reference`: a repeated call returns the same link (200) and sends no second e-mail."""
    try:
        reply = services.finished_permit_report(
            client=request.auth, reference=payload.reference, service=payload.service, email=payload.email
        )
    except ValidationError as error:
        raise _validation_refused(request, request.auth, error) from None
    finished = reply.finished
    body = {
        "reference": finished.reference,
        "service": finished.service.code,
        "survey_url": reply.survey_url,
        "expires_at": finished.token.expires_at,
        "created": reply.created,
    }
    return Status(201 if reply.created else 200, body)


# --- Process-log events -----------------------------------------------------------------


class ProcessEventIn(Schema):
    id: str = Field(..., description="Id kejadian di sistem asal (kunci idempoten).")
    file: str = Field(..., description="Nomor berkas.")
    permit_type: str = Field(..., description="Kode jenis izin.")
    step: str = Field(..., description="Tahap, mis. verifikasi_izin, proses_backoffice, revisi.")
    user: str = Field(..., description="Nama petugas (atau pemohon pada tahap revisi).")
    started_at: str = Field(..., description="Mulai, ISO 8601 dengan zona waktu.")
    ended_at: str = Field(..., description="Selesai, ISO 8601 dengan zona waktu.")
    with_applicant: bool = Field(..., description="true bila berkas berada di tangan pemohon (offtime).")
    note: str = Field("", max_length=1000)


class ProcessEventsIn(Schema):
    events: list[ProcessEventIn] = Field(..., min_length=1, max_length=1000)


class ProcessEventsOut(Schema):
    stored: int
    skipped: int


@api.post(
    "/log-proses",
    auth=ClientKey(),
    response={200: ProcessEventsOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Kirim log proses berkas yang ditangani sistem lain",
)
def process_events(request, payload: ProcessEventsIn):
    """All or nothing: one bad event refuses the batch (422, one message per bad event).

    Replayed events (same id, same content) are skipped and counted in `skipped`.
    """
    try:
        result = services.process_events_report(client=request.auth, events=[event.dict() for event in payload.events])
    except ValidationError as error:
        raise _validation_refused(request, request.auth, error) from None
    return {"stored": result.stored, "skipped": result.skipped}


# --- Open data --------------------------------------------------------------------------


def _open_limit(request) -> None:
    if ratelimit.OPEN_DATA.take(request) is None:
        raise _too_many(ratelimit.OPEN_DATA)


def _cacheable(request, body: bytes, content_type: str, *, filename: str = "") -> HttpResponse:
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type=content_type)
        if filename:
            response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


class PeriodOut(Schema):
    id: int
    name: str
    start: str
    end: str
    published_aggregate: bool
    json_url: str
    csv_url: str


def _period(pk: int):
    return get_object_or_404(opendata.public_periods(), pk=pk)


def _service(code: str | None) -> Service | None:
    if not code:
        return None
    service = Service.objects.filter(code=code).first()
    if service is None:
        raise Refused(404, _("Jenis layanan %(code)r tidak dikenal.") % {"code": code})
    return service


@api.get("/data-terbuka/hasil", auth=None, response={200: list[PeriodOut], 429: ErrorOut}, summary="Periode publik")
def open_periods(request):
    """The public periods, newest first, with links to their results."""
    _open_limit(request)
    rows = [
        {
            "id": p.pk,
            "name": p.name,
            "start": p.start_date.isoformat(),
            "end": p.end_date.isoformat(),
            "published_aggregate": p.is_published_aggregate,
            "json_url": absolute_url(reverse("api:open_period", args=[p.pk])),
            "csv_url": absolute_url(reverse("api:open_period_csv", args=[p.pk])),
        }
        for p in opendata.public_periods()[:200]
    ]
    body = json.dumps(rows, ensure_ascii=False).encode()
    return _cacheable(request, body, "application/json")


@api.get(
    "/data-terbuka/hasil/{period_id}",
    auth=None,
    url_name="open_period",
    response={200: dict, 404: ErrorOut, 429: ErrorOut},
    summary="Hasil SKM satu periode (JSON)",
)
def open_period(request, period_id: int, layanan: str | None = None):
    """Results of a public period with metadata; `?layanan=<kode>` for one service."""
    _open_limit(request)
    try:
        data = opendata.period_data(_period(period_id), _service(layanan))
    except Http404:
        raise Refused(404, _("Periode tidak ditemukan atau tidak dipublikasikan.")) from None
    return _cacheable(request, json.dumps(data, ensure_ascii=False).encode(), "application/json")


@api.get(
    "/data-terbuka/hasil/{period_id}/csv",
    auth=None,
    url_name="open_period_csv",
    response={200: str, 404: ErrorOut, 429: ErrorOut},
    summary="Hasil SKM satu periode (CSV)",
)
def open_period_csv(request, period_id: int, layanan: str | None = None):
    """The same results as CSV; metadata in leading lines starting with `#`."""
    _open_limit(request)
    try:
        period = _period(period_id)
    except Http404:
        raise Refused(404, _("Periode tidak ditemukan atau tidak dipublikasikan.")) from None
    service = _service(layanan)
    text = opendata.period_csv(opendata.period_data(period, service))
    name = f"skm-{period.pk}{'-' + service.code if service else ''}.csv"
    return _cacheable(request, text.encode(), "text/csv; charset=utf-8", filename=name)
