"""Permit screens under /perizinan/."""

from django.urls import path

from . import views

app_name = "permits"
urlpatterns = [
    path("", views.index, name="index"),
    path("daftar/", views.register, name="register"),
    path("ajukan/", views.apply_choose, name="apply"),
    path("ajukan/<int:pk>/", views.apply_form, name="apply_form"),
    path("monitoring/", views.monitoring, name="monitoring"),
    path("revisi/", views.revision_list, name="revision_list"),
    path("antrian/", views.queue, name="queue"),
    path("berkas/<int:pk>/", views.detail, name="detail"),
    path("berkas/<int:pk>/revisi/", views.revision_form, name="revision_form"),
    path("berkas/<int:pk>/tindakan/", views.act, name="act"),
    path("dokumen/<int:pk>/", views.document, name="document"),
]
