"""Officers' pages of the counter kiosk: counters, pairing and unpairing tablets, and the
counter officer's button that lets the next respondent answer."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from skm_portal.formviews import error_messages, submit
from skm_portal.permissions import has_permission, permission_required

from .. import kiosk
from ..forms_kiosk import CounterForm
from ..kiosk_models import Counter, KioskDevice

COUNTERS_PER_PAGE = 25


@permission_required("surveys.kiosk")
@require_http_methods(["GET", "POST"])
def counter_list(request):
    can_manage = has_permission(request.user, "surveys.manage")
    form = CounterForm(request.POST if request.method == "POST" and can_manage else None)
    if request.method == "POST" and can_manage:
        done = submit(
            request,
            form,
            lambda data: kiosk.counter_save(actor=request.user, **data),
            success=lambda counter: _("Loket %(name)s ditambahkan.") % {"name": counter},
            then=lambda counter: redirect("surveys:kiosk_counter", counter=counter.pk),
        )
        if done:
            return done
    counters = (
        Counter.objects.select_related("service")
        .order_by("name", "pk")
        .annotate(
            paired=Count("devices", filter=Q(devices__paired_at__isnull=False, devices__unpaired_at__isnull=True))
        )
    )
    page = Paginator(counters, COUNTERS_PER_PAGE).get_page(request.GET.get("halaman"))
    return render(
        request,
        "surveys/kiosk/counters.html",
        {"form": form if can_manage else None, "page": page, "counters": page.object_list},
    )


@permission_required("surveys.kiosk")
@require_http_methods(["GET", "POST"])
def counter_detail(request, counter: int):
    obj = get_object_or_404(Counter.objects.select_related("service"), pk=counter)
    can_manage = has_permission(request.user, "surveys.manage")
    form = None
    if can_manage:
        form = CounterForm(request.POST if request.method == "POST" else None, instance=Counter.objects.get(pk=counter))
        if request.method == "POST":
            done = submit(
                request,
                form,
                lambda data: kiosk.counter_save(actor=request.user, counter=obj, **data),
                success=_("Pengaturan loket disimpan."),
                then=lambda saved: redirect("surveys:kiosk_counter", counter=saved.pk),
            )
            if done:
                return done
    elif request.method == "POST":
        return redirect("surveys:kiosk_counter", counter=counter)
    context = {
        "counter": obj,
        "form": form,
        "can_manage": can_manage,
        "devices": kiosk.counter_devices(obj),
        "waiting_unlock": kiosk.open_unlock(obj) is not None,
        "kiosk_responses": obj.responses.count(),
    }
    return render(request, "surveys/kiosk/counter.html", context)


@permission_required("surveys.manage")
@require_POST
def counter_pair(request, counter: int):
    obj = get_object_or_404(Counter, pk=counter)
    try:
        device = kiosk.kiosk_pairing_code_create(counter=obj, actor=request.user)
    except ValidationError as error:
        for message in error_messages(error):
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Kode pasangan %(code)s dibuat; masukkan di tablet pada alamat /kiosk/.") % {"code": device.pairing_code},
        )
    return redirect("surveys:kiosk_counter", counter=counter)


@permission_required("surveys.manage")
@require_POST
def device_unpair(request, counter: int, device: int):
    obj = get_object_or_404(KioskDevice, pk=device, counter_id=counter)
    kiosk.kiosk_unpair(device=obj, actor=request.user)
    messages.success(request, _("Perangkat dilepas; tablet itu tidak dapat mengirim jawaban lagi."))
    return redirect("surveys:kiosk_counter", counter=counter)


@permission_required("surveys.kiosk")
@require_POST
def counter_unlock(request, counter: int):
    obj = get_object_or_404(Counter, pk=counter)
    try:
        _unlock, created = kiosk.kiosk_unlock(counter=obj, actor=request.user)
    except ValidationError as error:
        for message in error_messages(error):
            messages.error(request, message)
    else:
        if created:
            messages.success(request, _("Kiosk %(name)s dibuka untuk responden berikutnya.") % {"name": obj})
        else:
            messages.info(request, _("Kiosk sudah terbuka dan menunggu responden."))
    return redirect("surveys:kiosk_counter", counter=counter)
