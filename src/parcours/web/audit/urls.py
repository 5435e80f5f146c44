from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("consultations/", views.access_log, name="access_log"),
    path("modifications/", views.change_history, name="change_history"),
    path("refus/", views.refused_access, name="refused_access"),
]
