"""URLs of the plans half (names in the `followup` namespace, see followup/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("periode/<int:period>/", views.period_detail, name="period"),
    path("rencana/", views.plan_list, name="plans"),
    path("periode/<int:period>/prioritas/", views.priorities_confirm, name="priorities_confirm"),
    path("rencana/<int:plan>/", views.plan_detail, name="plan"),
    path("rencana/<int:plan>/ubah/", views.plan_update, name="plan_update"),
    path("rencana/<int:plan>/kegiatan/", views.activity_add, name="activity_add"),
    path("kegiatan/<int:activity>/", views.activity_detail, name="activity"),
    path("kegiatan/<int:activity>/ubah/", views.activity_update, name="activity_update"),
    path("kegiatan/<int:activity>/status/", views.activity_status, name="activity_status"),
    path("kegiatan/<int:activity>/pindah/", views.activity_move, name="activity_move"),
    path("kegiatan/<int:activity>/hapus/", views.activity_delete, name="activity_delete"),
    path("kegiatan/<int:activity>/realisasi/", views.step_add, name="step_add"),
    path("kegiatan/<int:activity>/bukti/berkas/", views.evidence_upload, name="evidence_upload"),
    path("kegiatan/<int:activity>/bukti/tautan/", views.evidence_link, name="evidence_link"),
    path("realisasi/<int:step>/ubah/", views.step_edit, name="step_edit"),
    path("realisasi/<int:step>/pindah/", views.step_move, name="step_move"),
    path("realisasi/<int:step>/hapus/", views.step_delete, name="step_delete"),
    path("bukti/<int:evidence>/", views.evidence_download, name="evidence_download"),
    path("bukti/<int:evidence>/hapus/", views.evidence_delete, name="evidence_delete"),
]
