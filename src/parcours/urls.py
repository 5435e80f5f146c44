from django.urls import include, path

urlpatterns = [
    path("", include("parcours.web.urls")),
    path("administration/", include("parcours.web.administration.urls")),
    path("api/", include("parcours.api.urls")),
]
