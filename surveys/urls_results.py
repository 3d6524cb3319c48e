"""Results, charts and exports; concatenated into the `surveys` namespace by urls.py."""

from django.urls import path

from .views import exports, responses, results

urlpatterns = [
    path("skm/periode/", results.period_list, name="period_list"),
    path("skm/periode/<int:pk>/", results.period_results, name="period_results"),
    path("skm/hasil/", results.range_results, name="range_results"),
    path("skm/jawaban/", responses.response_list, name="response_list"),
    path("skm/ekspor/", exports.export_start, name="export_start"),
    path("skm/ekspor/daftar/", exports.export_jobs_status, name="export_jobs"),
    path("skm/ekspor/<int:pk>/unduh/", exports.export_download, name="export_download"),
    path("skm/ekspor/<int:pk>/ulang/", exports.export_retry, name="export_retry"),
    path("skm/ekspor/jawaban.csv", exports.export_responses_csv, name="export_responses_csv"),
    path("hasil/", results.public_results, name="public_results"),
    path("hasil/<int:pk>/", results.public_period, name="public_period"),
]
