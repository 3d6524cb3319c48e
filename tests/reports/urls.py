"""Test-only URLs: the portal's, plus this app's at /laporan/ until the root urlconf includes it."""

from django.urls import include, path

from skm_portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = list(portal_urlpatterns)
if not any(getattr(p, "namespace", None) == "reports" for p in urlpatterns):
    urlpatterns.insert(0, path("laporan/", include("reports.urls")))
