from django.urls import path

from . import views

app_name = "clauses"
urlpatterns = [
    path("", views.contract_list, name="contract_list"),
    path("marches/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("marches/<int:pk>/releves/", views.statement_add, name="statement_add"),
    path("chiffres/", views.report, name="report"),
]
