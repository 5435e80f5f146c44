from django.urls import path

from . import views

app_name = "agenda"

urlpatterns = [
    path("", views.agenda, name="agenda"),
    path("agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("planifier/<int:pk>/", views.meeting_plan, name="meeting_plan"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/rendez-vous.ics", views.meeting_ics, name="meeting_ics"),
    path("<int:pk>/deplacer/", views.meeting_move, name="meeting_move"),
    path("<int:pk>/annuler/", views.meeting_cancel, name="meeting_cancel"),
    path("<int:pk>/ajouter/", views.attendance_add, name="attendance_add"),
    path("presence/<int:pk>/", views.attendance_mark, name="attendance_mark"),
    path("presence/<int:pk>/convoquer/", views.convocation_send, name="convocation_send"),
    path("presence/<int:pk>/convocation.pdf", views.convocation_pdf, name="convocation_pdf"),
]
