"""The counter kiosk: the tablet's pages under /kiosk/ (no login; a paired device key) and
the officers' pages under /skm/kiosk/. Concatenated into the `surveys` namespace."""

from django.urls import path

from .views import kiosk, kiosk_admin

urlpatterns = [
    path("kiosk/", kiosk.kiosk_home, name="kiosk_home"),
    path("kiosk/pasang/", kiosk.kiosk_pair, name="kiosk_pair"),
    path("kiosk/mulai/", kiosk.kiosk_start, name="kiosk_start"),
    path("kiosk/kirim/", kiosk.kiosk_send, name="kiosk_send"),
    path("kiosk/status/", kiosk.kiosk_state, name="kiosk_state"),
    path("kiosk/sw.js", kiosk.kiosk_service_worker, name="kiosk_sw"),
    path("skm/kiosk/", kiosk_admin.counter_list, name="kiosk_counters"),
    path("skm/kiosk/<int:counter>/", kiosk_admin.counter_detail, name="kiosk_counter"),
    path("skm/kiosk/<int:counter>/kode/", kiosk_admin.counter_pair, name="kiosk_counter_pair"),
    path("skm/kiosk/<int:counter>/buka/", kiosk_admin.counter_unlock, name="kiosk_counter_unlock"),
    path(
        "skm/kiosk/<int:counter>/perangkat/<int:device>/lepas/", kiosk_admin.device_unpair, name="kiosk_device_unpair"
    ),
]
