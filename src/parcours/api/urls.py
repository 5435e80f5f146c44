from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("participants", views.ParticipantViewSet, basename="participant")
router.register("applications", views.ApplicationViewSet, basename="application")
router.register("pathways", views.PathwayViewSet, basename="pathway")
PATHWAY = r"pathways/(?P<pathway_pk>" + views.ID_SEGMENT + ")"
router.register(PATHWAY + "/steps", views.StepViewSet, basename="pathway-step")
router.register(PATHWAY + "/appointments", views.AppointmentViewSet, basename="pathway-appointment")

app_name = "api"
urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/indicators/", views.IndicatorsView.as_view(), name="indicators"),
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
