from django.urls import path

from . import views

app_name = "rights"
urlpatterns = [
    path("", views.guide, name="guide"),
    path("participant/<int:pk>/", views.participant_rights, name="participant_rights"),
    path("participant/<int:pk>/export/", views.export, name="export"),
    path("participant/<int:pk>/rectification/", views.rectify, name="rectify"),
    path("participant/<int:pk>/effacement/", views.erase, name="erase"),
]
