"""Public pages (no login): the waiting-room board and "Anda bertanya, kami bertindak"."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import selectors

ACTIONS_PER_PAGE = 20


def _board_context() -> dict:
    return {
        "figures": selectors.board_figures(),
        "activities": selectors.completed_activities(),
        "commitments": selectors.fkp_commitments(),
        "counts": selectors.commitment_counts(),
        "updated_at": timezone.localtime(),
        "refresh_seconds": settings.LOBBY_REFRESH_SECONDS,
    }


@never_cache
@require_GET
def board(request):
    """The full-screen board for a TV; it refreshes its parts by itself (htmx polling)."""
    return render(request, "lobby/board.html", _board_context())


@never_cache
@require_GET
def board_parts(request):
    """The board's changing parts, swapped in place every LOBBY_REFRESH_SECONDS."""
    return render(request, "lobby/_board_parts.html", _board_context())


@require_GET
def we_act(request):
    """The public page of what the office did about the survey and the FKP."""
    activities = Paginator(selectors.completed_activities(limit=None), ACTIONS_PER_PAGE).get_page(
        request.GET.get("halaman")
    )
    return render(
        request,
        "lobby/we_act.html",
        {"activities": activities, "commitments": selectors.fkp_commitments(limit=None)[:50]},
    )
