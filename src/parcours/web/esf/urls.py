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
    # Saved payment claims and their control (esf.workflow).
    path("operations/<int:pk>/demandes/", views.claim_list, name="claim_list"),
    path("operations/<int:pk>/demandes/nouvelle/", views.claim_create, name="claim_create"),
    path("demandes/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("demandes/<int:pk>/action/<str:name>/", views.claim_act, name="claim_act"),
    path("demandes/<int:pk>/echantillon/", views.claim_sample_draw, name="claim_sample_draw"),
    path("demandes/<int:pk>/echantillon/<int:item_pk>/", views.claim_sample_check, name="claim_sample_check"),
    path("demandes/<int:pk>/export.xlsx", views.claim_export, name="claim_export"),
    path("demandes/<int:pk>/demande.pdf", views.claim_pdf_view, name="claim_pdf"),
]
