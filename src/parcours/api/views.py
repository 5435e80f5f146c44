"""API v1: the same scoping as the interface (organisations.access), through the same services."""

from django.db.models import Model
from django.shortcuts import get_object_or_404
from rest_framework import mixins, viewsets

from parcours.organisations.access import participants_visible_to, pathways_visible_to
from parcours.organisations.models import Role
from parcours.pathways.models import Appointment, Step

from .serializers import (
    AppointmentSerializer, ParticipantSerializer, PathwaySerializer, SensitiveHiddenParticipantSerializer,
    StepSerializer,
)

# Roles allowed to read RQTH and other sensitive details (see docs/authorisation.md).
SENSITIVE_READERS = frozenset({Role.REFERENT, Role.COORDINATOR, Role.DIRECTOR})


class ParticipantViewSet(viewsets.ReadOnlyModelViewSet):
    """People whose file the token's user may open."""

    def get_queryset(self):
        return participants_visible_to(self.request.user).select_related("commune", "qpv").order_by("pk")

    def get_serializer_class(self):
        if self.request.user.is_authenticated and self.request.user.roles & SENSITIVE_READERS:
            return ParticipantSerializer
        return SensitiveHiddenParticipantSerializer


class PathwayViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PathwaySerializer

    def get_queryset(self):
        return pathways_visible_to(self.request.user).select_related("operator", "referent").order_by("pk")


class _PathwayChildViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Rows of one pathway, reached through the pathway the user may open (another structure's: 404)."""

    model: type[Model]
    related_name = ""

    def pathway(self):
        return get_object_or_404(pathways_visible_to(self.request.user), pk=self.kwargs["pathway_pk"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            # Schema generation (drf-spectacular) has no user and no pathway: it only needs the model.
            return self.model.objects.none()
        return getattr(self.pathway(), self.related_name).order_by("pk")


class StepViewSet(_PathwayChildViewSet):
    serializer_class = StepSerializer
    model = Step
    related_name = "steps"


class AppointmentViewSet(_PathwayChildViewSet):
    serializer_class = AppointmentSerializer
    model = Appointment
    related_name = "appointments"
