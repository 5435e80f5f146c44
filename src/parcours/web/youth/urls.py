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
]
