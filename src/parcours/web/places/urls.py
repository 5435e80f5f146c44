from django.urls import path

from . import views

app_name = "places"
urlpatterns = [
    path("", views.place_list, name="place_list"),
    path("nouveau/", views.place_create, name="place_create"),
    path("<int:pk>/modifier/", views.place_edit, name="place_edit"),
]
