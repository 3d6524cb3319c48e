"""Demo follow-up (`load_demo`): the plans of Triwulan III 2024 (`plans.demo`), then the
meetings and FKP of the seed's appendix (`meetings.demo`), in one transaction."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from surveys.models import Period

from .meetings import demo as meetings_demo
from .plans import demo as plans_demo


@transaction.atomic
def load() -> str:
    period = Period.objects.filter(name=plans_demo.PERIOD).first()
    if period is None:
        return f"Tindak lanjut: periode {plans_demo.PERIOD} belum ada (muat surveys.demo dahulu), dilewati."
    user = get_user_model().objects.filter(username="petugas").first()
    if user is None:  # the services check who writes: the demo officer comes with the portal's demo
        return "Tindak lanjut: pengguna demo petugas belum ada (muat skm_portal.demo dahulu), dilewati."
    plans = plans_demo.load(period=period, user=user)
    return f"{plans} {meetings_demo.load(user=user)}"
