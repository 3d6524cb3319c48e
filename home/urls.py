from django.urls import path

from . import views

# No namespace: the names "home" and "dashboard" are used across the templates.
urlpatterns = [
    path("", views.home, name="home"),
    path("dasbor/", views.dashboard, name="dashboard"),
]
