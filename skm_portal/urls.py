from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("dasbor/", views.dashboard, name="dashboard"),
    path("profil-instansi/", views.office_edit, name="office_edit"),
    path("riwayat-perubahan/", views.audit_log, name="audit_log"),
    path("dasbor/kirim-ulang-email/", views.mail_retry, name="mail_retry"),
    path("", include("surveys.urls")),
    path("tindak-lanjut/", include("followup.urls")),
    path("perizinan/", include("permits.urls")),
    path("laporan/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
