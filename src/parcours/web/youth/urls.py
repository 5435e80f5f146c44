from django.urls import path

from . import files, views, workshops

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
    path("jeunes/<int:pk>/ateliers/", workshops.file_workshop_register, name="file_workshop_register"),
    path("ateliers/", workshops.workshop_list, name="workshop_list"),
    path("ateliers/nouveau/", workshops.workshop_create_page, name="workshop_create"),
    path("ateliers/<int:pk>/", workshops.workshop_detail, name="workshop_detail"),
    path("ateliers/<int:pk>/modifier/", workshops.workshop_edit, name="workshop_edit"),
    path("ateliers/<int:pk>/seances/", workshops.session_create, name="session_create"),
    path("ateliers/seances/<int:pk>/", workshops.session_detail, name="session_detail"),
    path("ateliers/seances/<int:pk>/inscriptions/", workshops.session_register, name="session_register"),
    path("ateliers/seances/<int:pk>/presences/", workshops.session_attendance, name="session_attendance"),
    path("ateliers/seances/<int:pk>/emargement.pdf", workshops.session_sheet, name="session_sheet"),
]
