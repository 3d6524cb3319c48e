from django.urls import path

from . import views
from .api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("api-klien/", views.client_list, name="api_clients"),
    path("api-klien/<int:pk>/cabut/", views.client_revoke, name="api_client_revoke"),
]
