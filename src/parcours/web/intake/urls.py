from django.urls import path

from . import views

app_name = "intake"
urlpatterns = [
    path("", views.application_list, name="application_list"),
    path("nouvelle/", views.application_create, name="application_create"),
    path("eligibilite/", views.eligibility_preview, name="eligibility_preview"),
    path("recherche-personne/", views.person_search, name="person_search"),
    path("<int:pk>/", views.application_detail, name="application_detail"),
    path("affectation/", views.assignment_queue, name="assignment_queue"),
    path("<int:pk>/affectation/", views.assign, name="assign"),
    path("<int:pk>/premier-accueil/", views.reception, name="reception"),
    path("<int:pk>/bilan/", views.assessment, name="assessment"),
    path("<int:pk>/bilan/cloture/", views.assessment_complete, name="assessment_complete"),
    path("bilans-a-realiser/", views.assessments_due, name="assessments_due"),
    path("action-collective/", views.collective_entry, name="collective_entry"),
    path("action-collective/<int:pk>/", views.collective_entry_done, name="collective_entry_done"),
]
