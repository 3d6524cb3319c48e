from django.urls import path

from . import views

app_name = "lobby"
urlpatterns = [
    path("papan/", views.board, name="board"),
    path("papan/isi/", views.board_parts, name="board_parts"),
    path("kami-bertindak/", views.we_act, name="we_act"),
]
