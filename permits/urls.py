"""Permit screens under /perizinan/."""

from django.urls import path

from . import views, views_analytics, views_complaints, views_days_off

app_name = "permits"
urlpatterns = [
    path("", views.index, name="index"),
    path("daftar/", views.register, name="register"),
    path("daftar/terkirim/", views.register_sent, name="register_sent"),
    path("daftar/aktifkan/<str:uidb64>/<str:token>/", views.register_activate, name="register_activate"),
    path("ajukan/", views.apply_choose, name="apply"),
    path("ajukan/<int:pk>/", views.apply_form, name="apply_form"),
    path("monitoring/", views.monitoring, name="monitoring"),
    path("revisi/", views.revision_list, name="revision_list"),
    path("antrian/", views.queue, name="queue"),
    path("berkas/<int:pk>/", views.detail, name="detail"),
    path("berkas/<int:pk>/revisi/", views.revision_form, name="revision_form"),
    path("berkas/<int:pk>/tindakan/", views.act, name="act"),
    path("dokumen/<int:pk>/", views.document, name="document"),
    path("analitik/", views_analytics.analytics_page, name="analytics"),
    path("analitik/unduh/", views_analytics.analytics_export, name="analytics_export"),
    path("pengaduan/", views_complaints.complaint_new, name="complaint_new"),
    path("pengaduan/status/<str:key>/", views_complaints.complaint_status, name="complaint_status"),
    path("pengaduan/daftar/", views_complaints.complaint_list, name="complaint_list"),
    path("pengaduan/<int:pk>/", views_complaints.complaint_detail, name="complaint_detail"),
    path("pengaduan/<int:pk>/tindakan/", views_complaints.complaint_act, name="complaint_act"),
    path("hari-libur/", views_days_off.days_off, name="days_off"),
    path("hari-libur/<int:pk>/hapus/", views_days_off.day_off_delete, name="day_off_delete"),
]
