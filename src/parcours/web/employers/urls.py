from django.urls import path

from . import views

app_name = "employers"
urlpatterns = [
    path("", views.employer_list, name="employer_list"),
    path("nouveau/", views.employer_create, name="employer_create"),
    path("<int:pk>/", views.employer_detail, name="employer_detail"),
    path("<int:pk>/modifier/", views.employer_edit, name="employer_edit"),
    path("<int:pk>/contacts/", views.contact_add, name="contact_add"),
    path("<int:pk>/contacts/<int:contact_pk>/", views.contact_edit, name="contact_edit"),
    path("<int:pk>/echanges/", views.exchange_add, name="exchange_add"),
    path("<int:pk>/offres/nouvelle/", views.offer_create, name="offer_create"),
    path("offres/", views.offer_list, name="offer_list"),
    path("offres/<int:pk>/", views.offer_detail, name="offer_detail"),
    path("offres/<int:pk>/modifier/", views.offer_edit, name="offer_edit"),
    path("offres/<int:pk>/proposer/<int:pathway>/", views.candidacy_propose_view, name="candidacy_propose"),
    path("positionnements/<int:pk>/", views.candidacy_detail, name="candidacy_detail"),
    path("positionnements/<int:pk>/<slug:name>/", views.candidacy_decide_view, name="candidacy_decide"),
]
