from django.urls import path

from . import files, immersions, views

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
    path("immersions/", immersions.follow_ups_due, name="immersion_follow_ups_due"),
    path("jeunes/<int:pk>/immersions/", immersions.immersion_add, name="immersion_add"),
    path("jeunes/<int:pk>/immersions/<int:immersion_pk>/", immersions.immersion_detail, name="immersion_detail"),
    path("jeunes/<int:pk>/immersions/<int:immersion_pk>/pdf/", immersions.immersion_pdf_view, name="immersion_pdf"),
    path("jeunes/<int:pk>/immersions/<int:immersion_pk>/etat/<slug:transition>/", immersions.immersion_transition,
         name="immersion_transition"),
    path("jeunes/<int:pk>/immersions/<int:immersion_pk>/evaluation/", immersions.immersion_evaluation,
         name="immersion_evaluation"),
    path("jeunes/<int:pk>/immersions/<int:immersion_pk>/suivis/<slug:milestone>/", immersions.immersion_follow_up,
         name="immersion_follow_up"),
]
