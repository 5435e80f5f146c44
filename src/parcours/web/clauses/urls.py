from django.urls import path

from . import views

app_name = "clauses"
urlpatterns = [
    path("", views.contract_list, name="contract_list"),
    path("marches/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("marches/<int:pk>/releves/", views.statement_add, name="statement_add"),
    path("chiffres/", views.report, name="report"),
    path("acheteurs/nouveau/", views.buyer_create_view, name="buyer_create"),
    path("acheteurs/<int:pk>/modifier/", views.buyer_edit, name="buyer_edit"),
    path("marches/nouveau/", views.contract_create, name="contract_create"),
    path("marches/<int:pk>/modifier/", views.contract_edit, name="contract_edit"),
    path("beneficiaires/", views.beneficiary_list, name="beneficiary_list"),
    path("beneficiaires/nouveau/", views.beneficiary_create_view, name="beneficiary_create"),
    path("beneficiaires/<int:pk>/modifier/", views.beneficiary_edit, name="beneficiary_edit"),
    path("marches/<int:pk>/bilan.xlsx", views.buyer_report, {"fmt": "xlsx"}, name="buyer_report_xlsx"),
    path("marches/<int:pk>/bilan.pdf", views.buyer_report, {"fmt": "pdf"}, name="buyer_report_pdf"),
]
