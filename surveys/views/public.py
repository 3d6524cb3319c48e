"""Public survey pages: choose a service, fill the form (open or one-time link), thanks,
and the counter poster with its QR code. No login; CSRF protected; no JavaScript needed."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from skm_portal import ratelimit
from skm_portal.formviews import submit
from skm_portal.models import OfficeProfile

from .. import posters
from ..forms import SurveyForm
from ..models import Questionnaire, Response, Service, SurveyToken
from ..questionnaire_cache import active_questionnaire, active_service
from ..services import TokenUnavailable, response_submit, survey_token_check

FORM_TEMPLATE = "surveys/public/survey_form.html"


def _active_questionnaire() -> Questionnaire:
    try:
        return active_questionnaire()
    except Questionnaire.DoesNotExist:
        raise Http404(_("Belum ada kuesioner yang aktif.")) from None


def _posted(request):
    # An empty POST must still bind the form, so that it shows what is missing.
    return request.POST if request.method == "POST" else None


def _submit(request, form: SurveyForm, *, service: Service, token: SurveyToken | None = None):
    """Validate and store; return a redirect on success, or None to show the form again."""
    return submit(
        request,
        form,
        lambda data: response_submit(
            questionnaire=form.questionnaire,
            service=service,
            scores=form.cleaned_scores,
            channel=Response.Channel.TOKEN if token else Response.Channel.FORM,
            token=token,
            **form.cleaned_profile,
        ),
        success=None,
        then=lambda response: redirect("surveys:survey_thanks"),
    )


def _token_unavailable(request, reason: str):
    context = {"used": reason == TokenUnavailable.USED}  # else expired
    return render(request, "surveys/public/token_unavailable.html", context, status=410)


@require_GET
def service_list(request):
    services = Service.objects.filter(is_active=True)
    return render(request, "surveys/public/service_list.html", {"services": services})


@never_cache
@require_http_methods(["GET", "POST"])
def survey_form(request, code: str):
    try:
        service = active_service(code)
    except Service.DoesNotExist:
        raise Http404 from None
    questionnaire = _active_questionnaire()
    form = SurveyForm(_posted(request), questionnaire=questionnaire)
    if request.method == "POST":
        # Taken before the work, atomically: concurrent posts never store more than the limit.
        use = ratelimit.SURVEY.take(request)
        if use is None:
            page = render(request, "surveys/public/rate_limited.html", status=429)
            page["Retry-After"] = str(ratelimit.SURVEY.retry_after())
            return page
        if form.honeypot_filled:
            # Look like success to the bot, store nothing, and count it.
            return redirect("surveys:survey_thanks")
        try:
            done = _submit(request, form, service=service)
        except BaseException:
            use.give_back()
            raise
        if done is not None:
            return done
        use.give_back()  # invalid input stored nothing: it does not use up the limit
    return render(request, FORM_TEMPLATE, {"form": form, "service": service, "token": None})


@never_cache
@require_http_methods(["GET", "POST"])
def survey_token(request, token: str):
    link = SurveyToken.objects.select_related("service").filter(token=token).first()
    if link is None:
        raise Http404(_("Tautan survei tidak dikenal."))
    try:
        survey_token_check(link)
    except TokenUnavailable as unavailable:
        return _token_unavailable(request, unavailable.reason)
    form = SurveyForm(_posted(request), questionnaire=_active_questionnaire())
    if request.method == "POST":
        if form.honeypot_filled:
            return redirect("surveys:survey_thanks")
        try:
            done = _submit(request, form, service=link.service, token=link)
        except TokenUnavailable as unavailable:
            return _token_unavailable(request, unavailable.reason)
        if done is not None:
            return done
    return render(request, FORM_TEMPLATE, {"form": form, "service": link.service, "token": link})


@require_GET
def survey_thanks(request):
    return render(request, "surveys/public/thanks.html")


def _poster_service(code: str) -> Service:
    return get_object_or_404(Service, code=code, is_active=True)


@require_GET
def service_poster(request, code: str):
    service = _poster_service(code)
    return render(request, "surveys/public/poster.html", posters.poster_context(service, OfficeProfile.get()))


@require_GET
def service_poster_qr(request, code: str):
    service = _poster_service(code)
    response = HttpResponse(posters.qr_svg_document(service), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="qr-survei-{service.code}.svg"'
    return response


@require_GET
def service_poster_pdf(request, code: str):
    service = _poster_service(code)
    response = HttpResponse(posters.poster_pdf(service, OfficeProfile.get()), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="poster-survei-{service.code}.pdf"'
    return response
