"""The tablet at a counter: pairing, the kiosk page, its service worker and its JSON calls.

The tablet proves who it is with its device key, a cookie set at pairing: HttpOnly,
SameSite=Strict and limited to /kiosk/. The JSON calls accept only `application/json`
bodies, which a page of another site cannot send without a CORS preflight the app never
answers; so they need no CSRF token, which matters because an answer may be sent hours
after the page that holds it was loaded (offline), long after any token would rotate.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from skm_portal import ratelimit

from .. import kiosk
from ..forms import SurveyForm
from ..forms_kiosk import PairForm
from ..kiosk_submit import kiosk_response_submit, kiosk_start_token, kiosk_status, parse_client_id
from ..models import Questionnaire
from ..questionnaire_cache import active_questionnaire

COOKIE = "skm_kiosk"
COOKIE_PATH = "/kiosk/"
COOKIE_AGE = 5 * 365 * 24 * 60 * 60
MAX_BODY = 32 * 1024
KIOSK_ASSETS = ("vendor/bootstrap/css/bootstrap.min.css", "css/kiosk.css", "js/kiosk.js")


def _device(request):
    return kiosk.kiosk_device_for_key(request.COOKIES.get(COOKIE))


def _json_error(message: str, status: int, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def _json_body(request) -> dict:
    if request.content_type != "application/json":
        raise ValidationError(_("Permintaan harus berformat JSON."))
    if len(request.body) > MAX_BODY:
        raise ValidationError(_("Isian terlalu besar."))
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise ValidationError(_("Isian tidak dapat dibaca.")) from None
    if not isinstance(data, dict):
        raise ValidationError(_("Isian tidak dapat dibaca."))
    return data


def _questionnaire() -> Questionnaire:
    try:
        return active_questionnaire()
    except Questionnaire.DoesNotExist:
        raise Http404(_("Belum ada kuesioner yang aktif.")) from None


@never_cache
@require_GET
def kiosk_home(request):
    """The kiosk (for a paired tablet) or the pairing form (for any other browser)."""
    device = _device(request)
    if device is None:
        return render(request, "surveys/kiosk/pair.html", {"form": PairForm()})
    counter = device.counter
    form = SurveyForm(questionnaire=_questionnaire())
    config = {
        "startUrl": request.build_absolute_uri("mulai/"),
        "submitUrl": request.build_absolute_uri("kirim/"),
        "statusUrl": request.build_absolute_uri("status/"),
        "swUrl": request.build_absolute_uri("sw.js"),
        "minSeconds": counter.min_seconds,
        "idleSeconds": counter.idle_seconds,
        "layout": counter.layout,
        "unlockMode": counter.unlock_mode,
    }
    return render(request, "surveys/kiosk/kiosk.html", {"counter": counter, "form": form, "config": config})


@never_cache
@require_POST
def kiosk_pair(request):
    form = PairForm(request.POST)
    status = 200
    if form.is_valid():
        use = ratelimit.KIOSK_PAIR.take(request)
        if use is None:
            form.add_error(None, _("Terlalu banyak percobaan kode. Coba lagi nanti."))
            status = 429
        else:
            try:
                _device_row, key = kiosk.kiosk_pair(code=form.cleaned_data["code"])
            except ValidationError as error:
                form.add_error("code", error)
                status = 400
            else:
                use.give_back()  # a right code does not use up the attempts
                page = redirect("surveys:kiosk_home")
                page.set_cookie(
                    COOKIE,
                    key,
                    max_age=COOKIE_AGE,
                    path=COOKIE_PATH,
                    secure=settings.SESSION_COOKIE_SECURE,
                    httponly=True,
                    samesite="Strict",
                )
                return page
    return render(request, "surveys/kiosk/pair.html", {"form": form}, status=status)


def _device_or_403(request):
    device = _device(request)
    if device is None:
        return None, _json_error(_("Perangkat ini belum atau tidak lagi dipasangkan dengan loket."), 403, paired=False)
    return device, None


@csrf_exempt  # see the module docstring: JSON only, SameSite=Strict device cookie
@never_cache
@require_POST
def kiosk_start(request):
    """A start token for one answer: {client_id} -> {token}. Checks a ticket when given."""
    device, refused = _device_or_403(request)
    if refused:
        return refused
    try:
        data = _json_body(request)
        client_id = parse_client_id(data.get("client_id"))
    except ValidationError as error:
        return _json_error(" ".join(error.messages), 400)
    ticket = str(data.get("ticket") or "")
    if ticket and kiosk.ticket_used(ticket):
        return _json_error(_("Nomor antrean ini sudah dipakai hari ini."), 409)
    if ratelimit.KIOSK_START.take(request, client=f"device-{device.pk}") is None:
        page = _json_error(_("Terlalu banyak permintaan dari kiosk ini; dicoba lagi nanti."), 429)
        page["Retry-After"] = str(ratelimit.KIOSK_START.retry_after())
        return page
    return JsonResponse({"token": kiosk_start_token(device=device, client_id=client_id)})


def _answered_at(value) -> dt.datetime | None:
    if not isinstance(value, int) or isinstance(value, bool):
        return None
    try:
        return dt.datetime.fromtimestamp(value / 1000, tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


@csrf_exempt  # see the module docstring
@never_cache
@require_POST
def kiosk_send(request):
    """One answer from the tablet's queue. 201 stored, 200 already stored (a resend),
    422 refused for good (the tablet drops it), 403 not paired, 429 later again."""
    device, refused = _device_or_403(request)
    if refused:
        return refused
    use = ratelimit.KIOSK.take(request, client=f"device-{device.pk}")
    if use is None:
        page = _json_error(_("Terlalu banyak jawaban dari kiosk ini; dicoba lagi nanti."), 429)
        page["Retry-After"] = str(ratelimit.KIOSK.retry_after())
        return page
    try:
        data = _json_body(request)
        answers = data.get("answers")
        if not isinstance(answers, dict):
            raise ValidationError(_("Jawaban tidak ada."))
        form = SurveyForm({k: v for k, v in answers.items() if isinstance(v, str)}, questionnaire=_questionnaire())
        if not form.is_valid():
            raise ValidationError([message for _anchor, message in form.error_summary()])
        result = kiosk_response_submit(
            device=device,
            questionnaire=form.questionnaire,
            client_id=parse_client_id(data.get("client_id")),
            start_token=str(data.get("start_token") or ""),
            duration_ms=data.get("duration_ms"),
            scores=form.cleaned_scores,
            profile=form.cleaned_profile,
            ticket=str(data.get("ticket") or ""),
            answered_at=_answered_at(data.get("answered_at")),
        )
    except ValidationError as error:
        use.give_back()
        return _json_error(" ".join(error.messages), 422, messages=error.messages)
    except BaseException:
        use.give_back()
        raise
    if not result.created:
        use.give_back()
    return JsonResponse({"stored": True, "created": result.created}, status=201 if result.created else 200)


@never_cache
@require_GET
def kiosk_state(request):
    device, refused = _device_or_403(request)
    return refused or JsonResponse(kiosk_status(device))


@never_cache
@require_GET
def kiosk_service_worker(request):
    """The service worker that keeps the kiosk page and its assets for a reload offline."""
    assets = [static(path) for path in KIOSK_ASSETS]
    body = render(
        request,
        "surveys/kiosk/sw.js",
        {"assets_json": json.dumps(assets), "version": hashlib.sha256("|".join(assets).encode()).hexdigest()[:12]},
        content_type="application/javascript",
    )
    body["Service-Worker-Allowed"] = COOKIE_PATH
    return body
