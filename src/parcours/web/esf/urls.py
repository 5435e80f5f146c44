"""URLs of the ESF+ pages: database ids only, never a name."""

from django.urls import path

from . import views

app_name = "esf"
urlpatterns = [
    path("operations/", views.operation_list, name="operation_list"),
    path("operations/nouvelle/", views.operation_create, name="operation_create"),
    path("operations/<int:pk>/", views.operation_detail, name="operation_detail"),
    path("operations/<int:pk>/modifier/", views.operation_edit, name="operation_edit"),
    path("operations/<int:pk>/avenant/", views.operation_amend, name="operation_amend"),
    path("operations/<int:pk>/completude/", views.operation_completeness, name="operation_completeness"),
    path("operations/<int:pk>/demande-de-paiement/", views.operation_claim, name="operation_claim"),
    path("parcours/<int:pk>/", views.pathway_participations, name="pathway_participations"),
    path("parcours/<int:pk>/participations/<int:participation_pk>/", views.participation_edit,
         name="participation_edit"),
]
