"""URLs for the error-page tests: the site's own, plus views that fail on purpose."""

from django.core.exceptions import SuspiciousOperation
from django.urls import path

from skm_portal.urls import urlpatterns as site


def broken(request):
    raise RuntimeError("a bug, on purpose")


def suspicious(request):
    raise SuspiciousOperation("a tampered request, on purpose")


urlpatterns = [path("rusak/", broken), path("curang/", suspicious), *site]
