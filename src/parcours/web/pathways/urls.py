"""URLs of the pathway area: database ids only, never a name (docs/architecture.md)."""

from django.urls import path

from . import views

app_name = "pathways"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("export/", views.caseload_export, name="caseload_export"),
    path("<int:pk>/", views.pathway_detail, name="pathway_detail"),
    path("<int:pk>/action/<slug:name>/", views.pathway_act, name="pathway_act"),
    path("<int:pk>/contrat/", views.contract_edit, name="contract_edit"),
    path("<int:pk>/contrat/pdf/", views.contract_pdf_view, name="contract_pdf"),
    path("<int:pk>/etapes/ajouter/", views.step_add, name="step_add"),
    path("<int:pk>/etapes/<int:step_pk>/", views.step_edit, name="step_edit"),
    path("<int:pk>/etapes/<int:step_pk>/fin/", views.step_end, name="step_end"),
    path("<int:pk>/rendez-vous/ajouter/", views.appointment_add, name="appointment_add"),
    path("<int:pk>/freins/ajouter/", views.barrier_review_add, name="barrier_review_add"),
    path("<int:pk>/notes/ajouter/", views.note_add, name="note_add"),
    path("<int:pk>/documents/ajouter/", views.document_add, name="document_add"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
]
