"""URLs of the web interface; each area has its own module under parcours.web."""

from django.contrib.auth import views as auth_views
from django.urls import path

from parcours.web.accounts.views import LoginView

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("connexion/", LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("sante/", views.health, name="health"),
    path("structure/", views.scope_switch, name="scope_switch"),
]
