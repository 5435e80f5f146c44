"""API v1: the same scoping as the interface (organisations.access), through the same services.

Reads start from the scoped querysets (another structure's object: 404); writes call the services the web
forms call (`intake.services.application_submit`, `pathways.services.step_create`…), so every rule, refusal
and audit row is the same. Whole operations reserved to some roles answer 403 before any object is fetched.
"""

from django.db.models import Exists, Model, OuterRef, Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from parcours.audit.services import access_log_record, access_log_record_many
from parcours.plie.intake.services import application_submit
from parcours.organisations.scope import territory_ids_with
from parcours.pathways.access import participants_visible_to, pathways_visible_to
from parcours.plie.intake.access import applications_visible_to
from parcours.plie.intake.selectors import organisations_prescribable_by
from parcours.organisations import capabilities as c
from parcours.organisations.models import Organisation
from parcours.participants.models import Participant
from parcours.pathways import services as pathway_services
from parcours.pathways.models import Appointment, Pathway, Step
from parcours.reporting.indicators import indicators_compute
from parcours.territory.models import Commune, Qpv

from .permissions import CapabilityGatedMixin, capability_check
from .serializers import (
    ApplicationCreateSerializer, ApplicationSerializer, AppointmentSerializer, AppointmentWriteSerializer,
    ErrorSerializer, IndicatorsQuerySerializer, IndicatorsSerializer, ParticipantSerializer, PathwaySerializer,
    SensitiveHiddenParticipantSerializer, StepPatchSerializer, StepSerializer, StepWriteSerializer,
)

# Any id segment reaches the view, whose lookup answers a JSON 404 for what is not a visible row's id ("0.5",
# "abc"); DRF's default pattern leaves dots out, and such a URL got Django's HTML 404 page instead.
ID_SEGMENT = r"[^/]+"
# …while the description still says what an id is (a pattern would otherwise replace the model's integer).
ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description=_("Identifiant."))

VALIDATION_ERROR = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=_("Requête refusée : chaque clé nomme le champ ou le paramètre en cause (ou non_field_errors), "
                  "avec la liste des messages en français."))
NOT_AUTHENTICATED = OpenApiResponse(ErrorSerializer, description=_("Jeton absent ou invalide."))
ROLE_REFUSED = OpenApiResponse(ErrorSerializer, description=_("Opération réservée à d'autres rôles."))
NOT_FOUND = OpenApiResponse(ErrorSerializer, description=_("Inexistant, ou hors de votre périmètre."))
CONFLICT = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=_("Conflit : la fiche a changé depuis votre lecture (clé version), ou l'état du dossier ne le "
                  "permet pas (clé non_field_errors)."))


def errors(*codes: int) -> dict:
    known = {400: VALIDATION_ERROR, 401: NOT_AUTHENTICATED, 403: ROLE_REFUSED, 404: NOT_FOUND, 409: CONFLICT}
    return {code: known[code] for code in codes}


class AccessLoggedListMixin:
    """A list shows people's data: each person on the page answered is an opening of their file (one row each)."""

    list_screen = ""

    @staticmethod
    def participant_id_of(row) -> int:
        return row.participant_id

    def paginate_queryset(self, queryset):
        # Every list of the API is paginated (settings): the page is exactly what the answer shows.
        page = super().paginate_queryset(queryset)  # type: ignore[misc]
        if page is not None:
            access_log_record_many(user=self.request.user,  # type: ignore[attr-defined]
                                   participant_ids=[self.participant_id_of(row) for row in page],
                                   screen=self.list_screen)
        return page


@extend_schema_view(
    list=extend_schema(responses={200: ParticipantSerializer(many=True), **errors(401, 403, 404)}),
    retrieve=extend_schema(parameters=[ID], responses={200: ParticipantSerializer, **errors(401, 403, 404)}),
)
class ParticipantViewSet(CapabilityGatedMixin, AccessLoggedListMixin, viewsets.ReadOnlyModelViewSet):
    """People whose file the token's user may open."""

    lookup_value_regex = ID_SEGMENT
    action_capabilities = {"list": frozenset({c.PATHWAY_READ}), "retrieve": frozenset({c.PATHWAY_READ})}
    list_screen = "api_participant_list"

    @staticmethod
    def participant_id_of(row) -> int:
        return row.pk

    def get_queryset(self):
        return (participants_visible_to(self.request.user).select_related("commune", "qpv")
                .prefetch_related("situations").order_by("pk"))

    def get_serializer_class(self):
        if self.request.user.is_authenticated and self.request.user.can(c.SENSITIVE_READ):
            return ParticipantSerializer
        return SensitiveHiddenParticipantSerializer

    def retrieve(self, request, *args, **kwargs):
        participant = self.get_object()
        # Opening a person's file is logged, through the API as in the interface.
        access_log_record(user=request.user, participant_id=participant.pk, screen="api_participant")
        return Response(self.get_serializer(participant).data)


@extend_schema_view(
    list=extend_schema(responses={200: PathwaySerializer(many=True), **errors(401, 403, 404)}),
    retrieve=extend_schema(parameters=[ID], responses={200: PathwaySerializer, **errors(401, 403, 404)}),
)
class PathwayViewSet(CapabilityGatedMixin, AccessLoggedListMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PathwaySerializer
    lookup_value_regex = ID_SEGMENT
    action_capabilities = {"list": frozenset({c.PATHWAY_READ}), "retrieve": frozenset({c.PATHWAY_READ})}
    list_screen = "api_pathway_list"

    def get_queryset(self):
        return pathways_visible_to(self.request.user).select_related("operator", "referent").order_by("pk")

    def retrieve(self, request, *args, **kwargs):
        pathway = self.get_object()
        access_log_record(user=request.user, participant_id=pathway.participant_id, screen="api_pathway")
        return Response(self.get_serializer(pathway).data)


# --- applications -----------------------------------------------------------------------------------------------

@extend_schema_view(
    list=extend_schema(
        summary=_("Candidatures que vous pouvez voir"),
        description=_("Un·e prescripteur·rice voit les candidatures envoyées par sa structure et leur issue "
                      "(file = null) ; l'équipe du PLIE et les référent·es voient aussi le dossier."),
        responses={200: ApplicationSerializer(many=True), **errors(401, 403, 404)}),
    retrieve=extend_schema(parameters=[ID], summary=_("Une candidature"),
                           responses={200: ApplicationSerializer, **errors(401, 403, 404)}),
    create=extend_schema(
        summary=_("Adresser une candidature au PLIE"),
        description=_("Même traitement que le formulaire web : éligibilité calculée et enregistrée, doublons "
                      "possibles signalés à l'équipe, journal des modifications. Corps multipart/form-data : "
                      "le dossier signé (signed_scan) est un fichier PDF, JPEG ou PNG, obligatoire comme dans "
                      "le formulaire."),
        request={"multipart/form-data": ApplicationCreateSerializer},
        responses={201: ApplicationSerializer, **errors(400, 401, 403)}),
)
class ApplicationViewSet(CapabilityGatedMixin, AccessLoggedListMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                         viewsets.GenericViewSet):
    """Applications (dossiers de candidature), keyed by their pathway's id, as the interface shows them."""

    serializer_class = ApplicationSerializer
    parser_classes = [MultiPartParser]
    lookup_value_regex = ID_SEGMENT
    action_capabilities = {"list": frozenset({c.APPLICATION_READ}), "retrieve": frozenset({c.APPLICATION_READ}),
                           "create": frozenset({c.APPLICATION_SUBMIT})}
    list_screen = "api_application_list"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Pathway.objects.none()
        user = self.request.user
        rows = (applications_visible_to(user)
                .filter(application__isnull=False)
                # The whole file for those who may open it; the outcome only for the prescribing structure.
                .annotate(full_file=Exists(pathways_visible_to(user).filter(pk=OuterRef("pk"))))
                .select_related("participant", "operator", "referent", "application__prescriber_organisation",
                                "application__prescribed_by")
                .order_by("pk"))
        if user.can(c.APPLICATION_MANAGE):
            rows = rows.prefetch_related(Prefetch("application__possible_duplicate_of",
                                                  queryset=Participant.objects.only("pk").order_by("pk")))
        return rows

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["team"] = bool(self.request.user.is_authenticated and self.request.user.can(c.APPLICATION_MANAGE))
        return context

    def retrieve(self, request, *args, **kwargs):
        pathway = self.get_object()
        access_log_record(user=request.user, participant_id=pathway.participant_id,
                          screen="api_application" if pathway.full_file else "api_application_status")
        return Response(self.get_serializer(pathway).data)

    def create(self, request, *args, **kwargs):
        entry = ApplicationCreateSerializer(data=request.data)
        entry.is_valid(raise_exception=True)
        data = entry.validated_data
        organisation = self._organisation(data.get("prescriber_organisation"))
        territory_id = organisation.territory_id
        problems: dict[str, list[str]] = {}
        commune = qpv = participant = None
        if data["commune"]:
            commune = Commune.objects.filter(territory_id=territory_id, insee=data["commune"]).first()
            if commune is None:
                problems["commune"] = [_("Aucune commune du territoire n'a le code INSEE « %(code)s ».")
                                       % {"code": data["commune"]}]
        if data["qpv"]:
            qpv = Qpv.objects.filter(territory_id=territory_id, code=data["qpv"]).first()
            if qpv is None:
                problems["qpv"] = [_("Aucun quartier prioritaire du territoire n'a le code « %(code)s ».")
                                   % {"code": data["qpv"]}]
        if "participant" in data:
            if not request.user.can(c.APPLICATION_MANAGE):
                problems["participant"] = [_("Seule l'équipe du PLIE présente à nouveau une personne déjà connue.")]
            else:
                participant = participants_visible_to(request.user).filter(pk=data["participant"]).first()
                if participant is None:
                    problems["participant"] = [_("Cette personne est inconnue sur votre territoire.")]
        if problems:
            raise ValidationError(problems)
        person = {name: data[name] for name in ("last_name", "first_name", "birth_name", "sex", "birth_date",
                                                 "email", "phone", "address", "postal_code", "education_level")}
        person.update(commune=commune, qpv=qpv)
        application = application_submit(
            by=request.user, prescriber_organisation=organisation, person=person,
            situations=_ordered(data.get("situations", ()), "situations", entry),
            deld=data["deld"], barriers_seen=_ordered(data.get("barriers_seen", ()), "barriers_seen", entry),
            motivation=data["motivation"], participant_signed_on=data["participant_signed_on"],
            prescriber_signed_on=data["prescriber_signed_on"], signed_scan=data["signed_scan"],
            participant=participant)
        pathway = self.get_queryset().get(pk=application.pathway_id)
        location = reverse("api:application-detail", kwargs={"pk": pathway.pk})
        return Response(self.get_serializer(pathway).data, status=status.HTTP_201_CREATED,
                        headers={"Location": location})

    def _organisation(self, organisation_id: int | None) -> Organisation:
        """The structure the application is sent for: one the user may prescribe for (as the web form offers)."""
        user = self.request.user
        allowed = organisations_prescribable_by(user).select_related("territory").order_by("pk")
        if organisation_id is None:
            choices = list(allowed[:2])
            if len(choices) == 1:
                return choices[0]
            raise ValidationError({"prescriber_organisation": [
                _("Indiquez la structure prescriptrice : vous pouvez prescrire pour plusieurs structures.")]})
        organisation = allowed.filter(pk=organisation_id).first()
        if organisation is None:
            raise ValidationError({"prescriber_organisation": [
                _("Vous ne pouvez pas adresser de candidature au nom de cette structure.")]})
        return organisation


def _ordered(codes, field: str, serializer) -> list[str]:
    """A multiple choice (a set) as a list in the catalogue's order, so that the record is stable."""
    return [code for code in serializer.fields[field].choices if code in codes]


# --- steps and appointments -------------------------------------------------------------------------------------

@extend_schema(parameters=[OpenApiParameter("pathway_pk", int, OpenApiParameter.PATH,
                                            description=_("Identifiant du parcours."))])
class _PathwayChildViewSet(CapabilityGatedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                           viewsets.GenericViewSet):
    """Rows of one pathway, reached through the pathway the user may open (another structure's: 404).

    Writes are for the roles that write on a pathway's file (403 for the others, before any lookup)."""

    model: type[Model]
    related_name = ""
    lookup_value_regex = ID_SEGMENT
    action_capabilities = {"list": frozenset({c.PATHWAY_READ}), "retrieve": frozenset({c.PATHWAY_READ}),
                           "create": frozenset({c.PATHWAY_WRITE}), "partial_update": frozenset({c.PATHWAY_WRITE})}
    action_refusals = {"create": _("Votre rôle ne permet pas de modifier un dossier de parcours."),
                       "partial_update": _("Votre rôle ne permet pas de modifier un dossier de parcours.")}

    def pathway(self) -> Pathway:
        if not hasattr(self, "_pathway"):
            self._pathway = get_object_or_404(pathways_visible_to(self.request.user), pk=self.kwargs["pathway_pk"])
        return self._pathway

    def list(self, request, *args, **kwargs):
        # One person's rows: one opening of their file, whatever the number of rows.
        response = super().list(request, *args, **kwargs)
        access_log_record(user=request.user, participant_id=self.pathway().participant_id,
                          screen=f"api_{self.related_name}")
        return response

    def retrieve(self, request, *args, **kwargs):
        row = self.get_object()
        access_log_record(user=request.user, participant_id=self.pathway().participant_id,
                          screen=f"api_{self.related_name}")
        return Response(self.get_serializer(row).data)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            # Schema generation (drf-spectacular) has no user and no pathway: it only needs the model.
            return self.model.objects.none()
        return getattr(self.pathway(), self.related_name).order_by("pk")


@extend_schema_view(
    list=extend_schema(responses={200: StepSerializer(many=True), **errors(401, 403, 404)}),
    retrieve=extend_schema(parameters=[ID], responses={200: StepSerializer, **errors(401, 403, 404)}),
    create=extend_schema(
        summary=_("Enregistrer une étape"),
        description=_("Un emploi durable (CDI, ou CDD / intérim de six mois ou plus, en emploi non aidé, contrat "
                      "aidé ou GEIQ) ouvre le suivi dans l'emploi : la réponse le montre dans followup."),
        request=StepWriteSerializer, responses={201: StepSerializer, **errors(400, 401, 403, 404, 409)}),
    partial_update=extend_schema(
        parameters=[ID], summary=_("Modifier une étape"),
        description=_("Envoyez la version lue : si l'étape a changé depuis, la réponse est 409 et rien n'est "
                      "écrit."),
        request=StepPatchSerializer, responses={200: StepSerializer, **errors(400, 401, 403, 404, 409)}),
)
class StepViewSet(_PathwayChildViewSet):
    serializer_class = StepSerializer
    model = Step
    related_name = "steps"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().select_related("followup")

    def create(self, request, *args, **kwargs):
        pathway = self.pathway()
        entry = StepWriteSerializer(data=request.data)
        entry.is_valid(raise_exception=True)
        step = pathway_services.step_create(pathway=pathway, by=request.user, values=entry.validated_data)
        step = Step.objects.select_related("followup").get(pk=step.pk)
        location = reverse("api:pathway-step-detail", kwargs={"pathway_pk": pathway.pk, "pk": step.pk})
        return Response(StepSerializer(step).data, status=status.HTTP_201_CREATED, headers={"Location": location})

    def partial_update(self, request, *args, **kwargs):
        step = self.get_object()
        entry = StepPatchSerializer(data=request.data)
        entry.is_valid(raise_exception=True)
        values = dict(entry.validated_data)
        expected_version = values.pop("version")
        pathway_services.step_update(step=step, by=request.user, values=values, expected_version=expected_version)
        return Response(StepSerializer(Step.objects.select_related("followup").get(pk=step.pk)).data)


@extend_schema_view(
    list=extend_schema(responses={200: AppointmentSerializer(many=True), **errors(401, 403, 404)}),
    retrieve=extend_schema(parameters=[ID], responses={200: AppointmentSerializer, **errors(401, 403, 404)}),
    create=extend_schema(
        summary=_("Enregistrer un rendez-vous tenu"),
        description=_("Le rendez-vous avance la date du dernier contact du parcours."),
        request=AppointmentWriteSerializer, responses={201: AppointmentSerializer, **errors(400, 401, 403, 404, 409)}),
)
class AppointmentViewSet(_PathwayChildViewSet):
    serializer_class = AppointmentSerializer
    model = Appointment
    related_name = "appointments"
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request, *args, **kwargs):
        pathway = self.pathway()
        entry = AppointmentWriteSerializer(data=request.data)
        entry.is_valid(raise_exception=True)
        appointment = pathway_services.appointment_create(pathway=pathway, by=request.user,
                                                          values=entry.validated_data)
        location = reverse("api:pathway-appointment-detail", kwargs={"pathway_pk": pathway.pk, "pk": appointment.pk})
        return Response(AppointmentSerializer(appointment).data, status=status.HTTP_201_CREATED,
                        headers={"Location": location})


# --- indicators -------------------------------------------------------------------------------------------------

class IndicatorsView(APIView):
    """The indicators of the user's territories for a period: the JSON of `parcours indicators --format json`."""

    @extend_schema(
        operation_id="indicators_retrieve",
        summary=_("Indicateurs du PLIE sur une période"),
        description=_("Réservé à l'équipe d'animation du PLIE (coordination, direction, administration). Les "
                      "chiffres portent sur les territoires de vos rôles d'équipe, comme la page Indicateurs ; "
                      "définitions : docs/spec/indicators.md."),
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, OpenApiParameter.QUERY, required=True,
                             description=_("Premier jour de la période (AAAA-MM-JJ), inclus.")),
            OpenApiParameter("to", OpenApiTypes.DATE, OpenApiParameter.QUERY, required=True,
                             description=_("Dernier jour de la période (AAAA-MM-JJ), inclus.")),
        ],
        responses={200: IndicatorsSerializer, **errors(400, 401, 403)},
    )
    def get(self, request):
        capability_check(request.user, c.REPORTING_READ,
                         message=_("Les indicateurs sont réservés à l'équipe d'animation du PLIE."))
        query = IndicatorsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        period = query.validated_data
        return Response(indicators_compute(territory_ids=sorted(territory_ids_with(request.user, c.REPORTING_READ)),
                                           date_from=period["from"], date_to=period["to"]))
