from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("verification/", views.verify, name="verify"),
    path("confirmer-mot-de-passe/", views.reauthenticate, name="reauthenticate"),
    path("double-authentification/activer/", views.twofactor_enrol, name="twofactor_enrol"),
    path("double-authentification/codes-de-secours/", views.recovery_codes_regenerate, name="recovery_codes"),
    path("double-authentification/retirer/", views.twofactor_remove, name="twofactor_remove"),
    path("courriel/", views.email_change, name="email_change"),
    path("mot-de-passe/", views.PasswordChangeView.as_view(), name="password_change"),
    path("jetons-api/<int:pk>/revoquer/", views.api_token_revoke, name="api_token_revoke"),
]
