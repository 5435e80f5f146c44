from django.urls import include, path

urlpatterns = [
    path("", include("parcours.web.urls")),
    path("administration/", include("parcours.web.administration.urls")),
    path("acces-api/", include("parcours.web.api_access.urls")),
    path("api/", include("parcours.api.urls")),
    path("droits/", include("parcours.web.rights.urls")),
    path("compte/", include("parcours.web.accounts.urls")),
    path("journal/", include("parcours.web.audit.urls")),
    path("parcours/", include("parcours.web.pathways.urls")),
    path("candidatures/", include("parcours.web.intake.urls")),
    path("commissions/", include("parcours.web.commissions.urls")),
    path("indicateurs/", include("parcours.web.reporting.urls")),
    path("mission-locale/", include("parcours.web.youth.urls")),
    path("imports/", include("parcours.web.imports.urls")),
    path("fse/", include("parcours.web.esf.urls")),
    path("clauses/", include("parcours.web.clauses.urls")),
    path("agenda/", include("parcours.web.agenda.urls")),
    path("actions/", include("parcours.web.actions.urls")),
    path("lieux/", include("parcours.web.places.urls")),
    path("employeurs/", include("parcours.web.employers.urls")),
]
