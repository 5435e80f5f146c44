from django.urls import path

from . import views

app_name = "api_access"
urlpatterns = [path("", views.token, name="token")]
