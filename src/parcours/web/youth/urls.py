from django.urls import path

from . import views

app_name = "youth"
urlpatterns = [
    path("rapport/", views.report, name="report"),
]
