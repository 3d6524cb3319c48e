"""The follow-up's URLs: one namespace (`followup:plan`, `followup:meeting`, ...) over both halves."""

from .meetings.urls import urlpatterns as meeting_urls
from .plans.urls import urlpatterns as plan_urls

app_name = "followup"
urlpatterns = [*plan_urls, *meeting_urls]
