from django.urls import path

from . import invitation_views, views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("buat/", views.report_create, name="create"),
    path("<int:report>/", views.report_detail, name="detail"),
    path("<int:report>/ubah/", views.report_edit, name="edit"),
    path("<int:report>/draf/", views.build_start, name="build_start"),
    path("<int:report>/draf/<int:build>/status/", views.build_status, name="build_status"),
    path("<int:report>/draf/<int:build>/pdf/", views.build_download, name="build_download"),
    path("<int:report>/tandatangani/", views.report_sign, name="sign"),
    path("<int:report>/versi/<int:number>/unduh/", views.version_download, name="version_download"),
    path("undangan/<int:meeting>/tandatangani/", invitation_views.invitation_sign, name="invitation_sign"),
    path("undangan/<int:meeting>/pdf/", invitation_views.invitation_pdf, name="invitation_pdf"),
    path("verifikasi/", views.verify_upload, name="verify"),
    path("verifikasi/<str:ref>/", views.verify_code, name="verify_code"),
]
