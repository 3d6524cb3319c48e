"""Public survey URLs (no login): /survei/..."""

from django.urls import path

from .views import public

urlpatterns = [
    path("survei/", public.service_list, name="service_list"),
    path("survei/terima-kasih/", public.survey_thanks, name="survey_thanks"),
    path("survei/t/<str:token>/", public.survey_token, name="survey_token"),
    path("survei/<slug:code>/", public.survey_form, name="survey_form"),
    path("survei/<slug:code>/poster/", public.service_poster, name="service_poster"),
    path("survei/<slug:code>/poster/qr.svg", public.service_poster_qr, name="service_poster_qr"),
    path("survei/<slug:code>/poster/poster.pdf", public.service_poster_pdf, name="service_poster_pdf"),
]
