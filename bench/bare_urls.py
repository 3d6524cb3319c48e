"""The app's URLs plus a bare view that inserts one Response row (the submit baseline)."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.http import require_POST

from surveys.models import Questionnaire, Response, Service

_ids: dict[str, int] = {}


@require_POST
def bare_insert(request):
    """No form, no validation, no template: read the posted scores, INSERT, answer 204."""
    if "service" not in _ids:  # one dict update, so a second thread never sees half of it
        _ids.update(
            questionnaire=Questionnaire.objects.get(is_active=True).pk,
            service=Service.objects.order_by("pk").values_list("pk", flat=True).first(),
        )
    scores = {f"s{i:02d}": int(request.POST.get(f"answer_u{i}", 3)) for i in range(1, 12)}
    Response.objects.create(
        questionnaire_id=_ids["questionnaire"],
        service_id=_ids["service"],
        survey_date=timezone.localdate(),
        sex=request.POST.get("sex", "L"),
        **scores,
    )
    return HttpResponse(status=204)


urlpatterns = [
    path("bench/bare-insert/", bare_insert, name="bench_bare_insert"),
    path("", include("skm_portal.urls")),
]
