from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.import_list, name="import_list"),
    path("nouveau/", views.import_create, name="import_create"),
    path("<int:pk>/", views.import_detail, name="import_detail"),
    path("<int:pk>/avancement/", views.import_progress, name="import_progress"),
    path("<int:pk>/confirmer/", views.import_confirm_view, name="import_confirm"),
    path("<int:pk>/abandonner/", views.import_cancel_view, name="import_cancel"),
]
