"""URLs of the web interface; each area has its own module under parcours.web."""

from django.contrib.auth import views as auth_views
from django.urls import path

from parcours.web.accounts.views import (
    LoginView, PasswordResetConfirmView, password_reset, password_reset_complete, password_reset_done,
)

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("connexion/", LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe-oublie/", password_reset, name="password_reset"),
    path("mot-de-passe-oublie/envoye/", password_reset_done, name="password_reset_done"),
    path("mot-de-passe/<uidb64>/<token>/", PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("mot-de-passe/choisi/", password_reset_complete, name="password_reset_complete"),
    path("sante/", views.health, name="health"),
    path("structure/", views.scope_switch, name="scope_switch"),
]
