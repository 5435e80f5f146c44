from django.urls import path

from . import events, views

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
    path("evenements/", events.event_list, name="event_list"),
    path("evenements/nouveau/", events.event_create, name="event_create"),
    path("evenements/<int:pk>/", events.event_detail, name="event_detail"),
    path("evenements/<int:pk>/modifier/", events.event_edit, name="event_edit"),
    path("evenements/<int:pk>/employeurs/", events.event_employer_add, name="event_employer_add"),
    path("evenements/<int:pk>/employeurs/<int:employer_pk>/retirer/", events.event_employer_remove,
         name="event_employer_remove"),
    path("evenements/<int:pk>/presences/", events.event_attendance, name="event_attendance"),
    path("evenements/inviter/<int:pathway>/", events.event_invite, name="event_invite"),
    path("evenements/invitations/<int:pk>/retirer/", events.invitation_withdraw, name="invitation_withdraw"),
    path("parrainages/", events.sponsorship_list, name="sponsorship_list"),
    path("parrainages/nouveau/<int:pathway>/", events.sponsorship_create, name="sponsorship_create"),
    path("parrainages/<int:pk>/", events.sponsorship_detail, name="sponsorship_detail"),
    path("parrainages/<int:pk>/rencontres/", events.sponsorship_meeting_add, name="sponsorship_meeting_add"),
    path("parrainages/<int:pk>/fin/", events.sponsorship_end_view, name="sponsorship_end"),
]
