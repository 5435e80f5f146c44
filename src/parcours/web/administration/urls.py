from django.urls import path

from . import views

app_name = "administration"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("dispositif/<int:pk>/regles/", views.programme_rules, name="programme_rules"),
    path("structures/nouvelle/", views.organisation_edit, name="organisation_create"),
    path("structures/<int:pk>/", views.organisation_edit, name="organisation_edit"),
    path("comptes/", views.user_list, name="user_list"),
    path("comptes/nouveau/", views.user_edit, name="user_create"),
    path("comptes/<int:pk>/", views.user_edit, name="user_edit"),
    path("comptes/<int:pk>/roles/", views.membership_create, name="membership_create"),
    path("comptes/<int:pk>/invitation/", views.user_invite, name="user_invite"),
    path("comptes/<int:pk>/double-authentification/", views.user_twofactor_reset, name="user_twofactor_reset"),
    path("roles/<int:pk>/retirer/", views.membership_remove, name="membership_remove"),
    path("demandes-de-role/<int:pk>/confirmer/", views.grant_request_confirm, name="grant_request_confirm"),
    path("demandes-de-role/<int:pk>/refuser/", views.grant_request_refuse, name="grant_request_refuse"),
    path("demandes-de-role/<int:pk>/annuler/", views.grant_request_cancel, name="grant_request_cancel"),
]
