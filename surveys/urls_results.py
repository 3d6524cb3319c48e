"""Results, charts and exports; concatenated into the `surveys` namespace by urls.py."""

from django.urls import path

from .views import responses, results

urlpatterns = [
    path("skm/periode/", results.period_list, name="period_list"),
    path("skm/periode/<int:pk>/", results.period_results, name="period_results"),
    path("skm/hasil/", results.range_results, name="range_results"),
    path("skm/jawaban/", responses.response_list, name="response_list"),
    path("skm/ekspor/jawaban/", results.export_responses, name="export_responses"),
    path("skm/ekspor/olah-data/", results.export_recap, name="export_recap"),
    path("hasil/", results.public_results, name="public_results"),
    path("hasil/<int:pk>/", results.public_period, name="public_period"),
]
