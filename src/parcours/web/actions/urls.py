from django.urls import path

from . import views

app_name = "actions"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("nouvelle/", views.action_create, name="action_create"),
    path("<int:pk>/", views.action_detail, name="action_detail"),
    path("<int:pk>/modifier/", views.action_edit, name="action_edit"),
    path("<int:pk>/seances/", views.session_add, name="session_add"),
    path("<int:pk>/positionner/<int:pathway>/", views.propose, name="propose"),
    path("<int:pk>/personnes/", views.action_people_page, name="action_people"),
    path("operateur/", views.operator_home, name="operator_home"),
    path("positionnements/<int:pk>/<slug:name>/", views.decide, name="decide"),
    path("seances/<int:pk>/presences/", views.attendance, name="attendance"),
]
