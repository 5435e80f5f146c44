from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("", views.indicators, name="indicators"),
    path("export.<str:fmt>", views.export, name="export"),
]
