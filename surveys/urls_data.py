"""Data management (petugas SKM); concatenated into the `surveys` namespace by urls.py."""

from django.urls import path

from .views import data

urlpatterns = [
    path("skm/impor/", data.import_responses, name="import_responses"),
    path("skm/impor/templat.xlsx", data.import_template, name="import_template"),
    path("skm/layanan/", data.service_manage, name="service_manage"),
    path("skm/layanan/<slug:code>/ubah/", data.service_edit, name="service_edit"),
    path("skm/layanan/<slug:code>/hapus/", data.service_delete, name="service_delete"),
    path("skm/kelola-periode/", data.period_manage, name="period_manage"),
    path("skm/kelola-periode/baru/", data.period_create, name="period_create"),
    path("skm/kelola-periode/<int:pk>/ubah/", data.period_edit, name="period_edit"),
    path("skm/kelola-periode/<int:pk>/agregat/", data.published_edit, name="published_edit"),
]
