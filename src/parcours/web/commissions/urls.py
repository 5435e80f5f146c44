from django.urls import path

from . import views

app_name = "commissions"
urlpatterns = [
    path("", views.commission_list, name="commission_list"),
    path("<int:pk>/", views.commission_detail, name="commission_detail"),
    path("<int:pk>/dossiers/<int:pathway_pk>/decision/", views.decide, name="decide"),
    path("<int:pk>/cloture/", views.close, name="close"),
    path("<int:pk>/releve-de-decisions.pdf", views.decision_record, name="decision_record"),
    path("decisions/<int:pk>/courrier.pdf", views.prescriber_letter, name="prescriber_letter"),
]
