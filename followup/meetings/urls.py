"""URLs of the meetings half (names in the `followup` namespace, see followup/urls.py)."""

from django.urls import path

from . import attendance_views, fkp_views, views

urlpatterns = [
    path("rapat/", views.meeting_list, name="meetings"),
    path("rapat/baru/", views.meeting_create, name="meeting_create"),
    path("rapat/<int:meeting>/", views.meeting_detail, name="meeting"),
    path("rapat/<int:meeting>/ubah/", views.meeting_edit, name="meeting_edit"),
    path("rapat/<int:meeting>/hapus/", views.meeting_delete, name="meeting_delete"),
    path("rapat/<int:meeting>/nomor-surat/", views.letter_number, name="letter_number"),
    path("rapat/<int:meeting>/nomor-surat/koreksi/", views.letter_number_correct, name="letter_number_correct"),
    path("nomor-surat/", views.letter_numbering, name="letter_numbering"),
    path("rapat/<int:meeting>/undangan/", views.invitation, name="invitation"),
    path("rapat/<int:meeting>/undangan.pdf", views.invitation_pdf, name="invitation_pdf"),
    path("rapat/<int:meeting>/undangan/kelompok/", views.invitee_group_add, name="invitee_group_add"),
    path("kelompok-undangan/<int:group>/", views.invitee_group_edit, name="invitee_group_edit"),
    path("kelompok-undangan/<int:group>/hapus/", views.invitee_group_delete, name="invitee_group_delete"),
    path("rapat/<int:meeting>/notula/", views.minutes, name="minutes"),
    path("rapat/<int:meeting>/notula.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("rapat/<int:meeting>/notula/ubah/", views.minutes_edit, name="minutes_edit"),
    path("rapat/<int:meeting>/daftar-hadir/", views.attendance, name="attendance"),
    path("rapat/<int:meeting>/daftar-hadir.pdf", views.attendance_pdf, name="attendance_pdf"),
    path("rapat/<int:meeting>/daftar-hadir/tambah/", attendance_views.attendee_add, name="attendee_add"),
    path("rapat/<int:meeting>/daftar-hadir/qr/", attendance_views.checkin_poster, name="checkin_poster"),
    path("rapat/<int:meeting>/daftar-hadir/buka-tutup/", attendance_views.checkin_toggle, name="checkin_toggle"),
    path("rapat/<int:meeting>/daftar-hadir/pindaian/", attendance_views.scan_upload, name="scan_upload"),
    path("peserta/<int:attendee>/hapus/", attendance_views.attendee_delete, name="attendee_delete"),
    path("peserta/<int:attendee>/coret/", attendance_views.attendee_strike, name="attendee_strike"),
    path("pindaian/<int:scan>/", attendance_views.scan_download, name="scan_download"),
    path("pindaian/<int:scan>/hapus/", attendance_views.scan_delete, name="scan_delete"),
    path("rapat/<int:meeting>/berita-acara/", views.berita_acara, name="berita_acara"),
    path("rapat/<int:meeting>/berita-acara.pdf", views.berita_acara_pdf, name="berita_acara_pdf"),
    path("rapat/<int:meeting>/berita-acara/ubah/", fkp_views.berita_acara_edit, name="berita_acara_edit"),
    path("rapat/<int:meeting>/rekomendasi/", fkp_views.recommendation_add, name="recommendation_add"),
    path("rekomendasi/<int:recommendation>/", fkp_views.recommendation_edit, name="recommendation_edit"),
    path("rekomendasi/<int:recommendation>/status/", fkp_views.recommendation_status, name="recommendation_status"),
    path("rekomendasi/<int:recommendation>/hapus/", fkp_views.recommendation_delete, name="recommendation_delete"),
    path("rapat/<int:meeting>/perwakilan/", fkp_views.representative_add, name="representative_add"),
    path("perwakilan/<int:representative>/hapus/", fkp_views.representative_delete, name="representative_delete"),
    path("kegiatan/<int:activity>/bukti/rapat/", fkp_views.evidence_record, name="evidence_record"),
    # Public, no login: the QR check-in and the community's monitoring of FKP recommendations.
    path("hadir/<str:checkin>/", attendance_views.checkin, name="checkin"),
    path("pemantauan-fkp/", fkp_views.fkp_monitoring, name="fkp_monitoring"),
    path("pemantauan-fkp/<int:meeting>/", fkp_views.fkp_monitoring_detail, name="fkp_monitoring_detail"),
]
