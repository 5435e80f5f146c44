from django.urls import path

from . import files, views

app_name = "youth"
urlpatterns = [
    path("rapport/", views.report, name="report"),
    path("jeunes/", files.file_list, name="file_list"),
    path("premier-accueil/", files.reception, name="reception"),
    path("jeunes/<int:pk>/", files.file_detail, name="file_detail"),
    path("jeunes/<int:pk>/modifier/", files.file_edit, name="file_edit"),
    path("jeunes/<int:pk>/evenements/", files.event_add, name="event_add"),
    path("jeunes/<int:pk>/situations/", files.situation_add, name="situation_add"),
    path("jeunes/<int:pk>/situations/<int:situation_pk>/fin/", files.situation_end, name="situation_end"),
    path("jeunes/<int:pk>/themes/", files.support_open, name="support_open"),
    path("jeunes/<int:pk>/themes/<int:support_pk>/clore/", files.support_close, name="support_close"),
    path("jeunes/<int:pk>/diagnostics/", files.diagnostic_add, name="diagnostic_add"),
    path("jeunes/<int:pk>/dispositifs/<slug:scheme>/", files.scheme_enter_page, name="scheme_enter"),
    path("jeunes/<int:pk>/dispositifs/<int:enrolment_pk>/fin/", files.scheme_end_page, name="scheme_end"),
    path("jeunes/<int:pk>/dispositifs/<int:enrolment_pk>/phases/", files.phase_add, name="phase_add"),
    path("jeunes/<int:pk>/phases/<int:phase_pk>/evaluation/", files.phase_evaluate, name="phase_evaluate"),
    path("jeunes/<int:pk>/aides/", files.aid_add, name="aid_add"),
]
