from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views, views_people

urlpatterns = [
    path("", include("home.urls")),
    path("masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("profil-instansi/", views.office_edit, name="office_edit"),
    path("pengguna/", views_people.people_list, name="people"),
    path("pengguna/baru/", views_people.person_create, name="person_create"),
    path("pengguna/<int:person>/", views_people.person_edit, name="person_edit"),
    path("pengguna/<int:person>/aktif/", views_people.person_active, name="person_active"),
    path("pengguna/<int:person>/tautan-sandi/", views_people.person_password_link, name="person_password_link"),
    path("lupa-sandi/", views_people.ForgottenPasswordView.as_view(), name="password_reset"),
    path("lupa-sandi/terkirim/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("atur-sandi/<uidb64>/<token>/", views_people.NewPasswordView.as_view(), name="password_reset_confirm"),
    path("atur-sandi/selesai/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("riwayat-perubahan/", views.audit_log, name="audit_log"),
    path("dasbor/kirim-ulang-email/", views.mail_retry, name="mail_retry"),
    path("", include("surveys.urls")),
    path("tindak-lanjut/", include("followup.urls")),
    path("perizinan/", include("permits.urls")),
    path("laporan/", include("reports.urls")),
    path("", include("api.urls")),
    path("", include("lobby.urls")),
    path("admin/", admin.site.urls),
]
