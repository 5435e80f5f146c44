from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .fields import BirthDateField, EventDateField, NameField, PhoneField, PlausibleModelSerializer, SiretField
from parcours.plie.definition import PLIE_DEFINITION, SITUATION_CHOICES
from parcours.participants.enums import Barrier, EducationLevel, Sex
from parcours.participants.models import Participant
from parcours.pathways.enums import Decision
from parcours.plie.enums import PathwayStatus
from parcours.plie.enums import FollowUpStatus
from parcours.pathways.models import Appointment, Pathway, Step
from parcours.pathways.services import APPOINTMENT_FIELDS, MAX_APPOINTMENT_MINUTES, STEP_FIELDS
from parcours.reporting.indicators import CATEGORY_KEYS, EXIT_REASONS, PROFILE_KEYS, STEP_TYPES


class OutputModelSerializer(serializers.ModelSerializer):
    """A read-only model serializer whose description admits the blank texts the model admits.

    DRF drops `allow_blank` from read-only fields, so the OpenAPI description said that a blank value (no exit
    reason yet, no e-mail, no contract type) could not be answered; the schemathesis run found it.
    """

    def get_fields(self):
        fields = super().get_fields()
        for name, field in fields.items():
            if not isinstance(field, serializers.CharField | serializers.ChoiceField):
                continue
            try:
                model_field = self.Meta.model._meta.get_field(field.source or name)
            except FieldDoesNotExist:
                continue
            if isinstance(model_field, models.CharField | models.TextField) and model_field.blank:
                field.allow_blank = True
        return fields


class SituationField(serializers.BooleanField):
    """One criterion of the person, read from their situation rows (prefetched): true, false, or null if unknown."""

    def __init__(self, code: str, **kwargs):
        self.code = code
        super().__init__(source="*", read_only=True, allow_null=True, **kwargs)

    def to_representation(self, participant):
        return participant.situation(self.code)


# Version 1 of the API answers the PLIE's criteria as the columns they were (the JSON shape stays as it was).
API_SITUATIONS = ["rsa", "ass", "aah", "deld", "inactive_12m", "single_parent", "rqth"]


class ParticipantSerializer(OutputModelSerializer):
    commune_insee = serializers.CharField(source="commune.insee", read_only=True, allow_null=True, default=None)
    qpv_code = serializers.CharField(source="qpv.code", read_only=True, allow_null=True, default=None)
    rsa = SituationField("rsa")
    ass = SituationField("ass")
    aah = SituationField("aah")
    deld = SituationField("deld")
    inactive_12m = SituationField("inactive_12m")
    single_parent = SituationField("single_parent")
    rqth = SituationField("rqth")

    class Meta:
        model = Participant
        fields = ["id", "external_ref", "last_name", "first_name", "sex", "birth_date", "email", "phone",
                  "address", "postal_code", "commune_insee", "qpv_code", "education_level",
                  *API_SITUATIONS]
        read_only_fields = fields


class SensitiveHiddenParticipantSerializer(ParticipantSerializer):
    """For roles that may not read RQTH: the field is left out, not merely blanked."""

    class Meta(ParticipantSerializer.Meta):
        fields = [f for f in ParticipantSerializer.Meta.fields if f != "rqth"]
        read_only_fields = fields


class PathwaySerializer(OutputModelSerializer):
    operator = serializers.CharField(source="operator.name", read_only=True, allow_null=True, default=None)
    referent = serializers.SerializerMethodField()

    class Meta:
        model = Pathway
        fields = ["id", "external_ref", "participant", "status", "entry_route", "operator", "referent",
                  "prescriber_type", "application_date", "commission_date", "decision", "entry_date",
                  "exit_date", "exit_reason", "last_contact_date"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_referent(self, pathway: Pathway) -> str | None:
        if pathway.referent_id:
            return pathway.referent.email
        return pathway.referent_ref or None


@extend_schema_field({"type": "string", "pattern": "^(" + "|".join(FollowUpStatus.values) + ")$",
                      "description": "open : en cours ; validated : emploi durable validé ; "
                                     "job_ended : emploi terminé avant l'échéance"})
class FollowUpStatusField(serializers.ChoiceField):
    """A pattern, not an enum: drf-spectacular names enums after the field, and `status` is the pathway's."""


class FollowUpSerializer(serializers.Serializer):
    status = FollowUpStatusField(choices=FollowUpStatus.choices)
    started_on = serializers.DateField()
    due_on = serializers.DateField()


class StepSerializer(OutputModelSerializer):
    followup = serializers.SerializerMethodField()

    class Meta:
        model = Step
        fields = ["id", "external_ref", "pathway", "step_type", "start_date", "end_date", "operator_name",
                  "employer_siret", "contract_type", "social_clause", "hours", "comment", "version", "followup"]
        read_only_fields = fields

    @extend_schema_field(FollowUpSerializer(allow_null=True))
    def get_followup(self, step: Step) -> dict | None:
        """The follow-up in employment this job opened, if any (a lasting job opens it)."""
        followup = getattr(step, "followup", None)
        return FollowUpSerializer(followup).data if followup is not None else None


class AppointmentSerializer(OutputModelSerializer):
    class Meta:
        model = Appointment
        fields = ["id", "external_ref", "pathway", "date", "kind", "mode", "duration_minutes", "place", "summary"]
        read_only_fields = fields


# --- steps and appointments: writes ---------------------------------------------------------------------------

class StepWriteSerializer(PlausibleModelSerializer):
    """A new step; the rules (dates, contract type, SIRET, the follow-up it opens) are the service's."""

    # The API writes the PLIE's pathways: its step types (the model checks them against the pathway's programme).
    step_type = serializers.ChoiceField(choices=PLIE_DEFINITION.step_types)
    employer_siret = SiretField(required=False, allow_blank=True)

    class Meta:
        model = Step
        fields = STEP_FIELDS
        extra_kwargs = {"hours": {"min_value": Decimal("0")}}


class StepPatchSerializer(StepWriteSerializer):
    """Any of the step's fields, with the `version` read from the step (optimistic locking).

    Never partial: each step field is optional by itself, `version` is required. (drf-spectacular marks the
    serializer of a PATCH partial, which would document `version` as optional: the property keeps it whole.)
    """

    step_type = serializers.ChoiceField(choices=PLIE_DEFINITION.step_types, required=False)
    version = serializers.IntegerField(
        min_value=1, max_value=2_147_483_647,
        help_text=_("Version de l'étape lue avant la modification ; si l'étape a changé depuis, la réponse est 409."))

    class Meta(StepWriteSerializer.Meta):
        fields = STEP_FIELDS + ["version"]
        extra_kwargs = {**StepWriteSerializer.Meta.extra_kwargs,
                        **{name: {"required": False} for name in ("step_type", "start_date")}}

    @property
    def partial(self) -> bool:
        return False

    @partial.setter
    def partial(self, value: bool) -> None:
        pass


class AppointmentWriteSerializer(PlausibleModelSerializer):
    """A contact held with the person: dated today or before, 1 to 600 minutes."""

    class Meta:
        model = Appointment
        fields = APPOINTMENT_FIELDS
        extra_kwargs = {
            # Blank reaches the service, whose French message is the web form's.
            "mode": {"required": True},
            "duration_minutes": {"required": True, "allow_null": False, "min_value": 1,
                                 "max_value": MAX_APPOINTMENT_MINUTES},
        }


# --- applications -----------------------------------------------------------------------------------------------

class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ApplicationFileSerializer(serializers.Serializer):
    """What the application holds, for users who may open the person's file (PLIE team, referents)."""

    participant = serializers.IntegerField(source="participant_id", help_text=_("Voir /api/v1/participants/{id}/."))
    prescribed_by = serializers.EmailField(source="application.prescribed_by.email")
    situations = serializers.ListField(child=serializers.ChoiceField(choices=SITUATION_CHOICES),
                                       source="application.situations")
    barriers_seen = serializers.ListField(child=serializers.ChoiceField(choices=Barrier.choices),
                                          source="application.barriers_seen")
    motivation = serializers.CharField(source="application.motivation")
    participant_signed_on = serializers.DateField(source="application.participant_signed_on")
    prescriber_signed_on = serializers.DateField(source="application.prescriber_signed_on")
    signed_scan_received = serializers.SerializerMethodField()
    eligible = serializers.SerializerMethodField()
    eligibility = serializers.JSONField(
        source="application.eligibility",
        help_text=_("Décision d'éligibilité enregistrée au dépôt (règles du territoire)."))
    possible_duplicates = serializers.SerializerMethodField()
    operator = serializers.CharField(source="operator.name", allow_null=True, default=None)
    referent = serializers.SerializerMethodField()
    assigned_at = serializers.DateField(allow_null=True)

    @extend_schema_field(serializers.BooleanField())
    def get_signed_scan_received(self, pathway: Pathway) -> bool:
        return pathway.application.signed_scan_id is not None

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_eligible(self, pathway: Pathway) -> bool | None:
        return pathway.application.eligibility.get("eligible")

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField(), allow_null=True,
                                               help_text=_("Personnes du territoire de mêmes nom, prénom et date de "
                                                           "naissance (équipe du PLIE seulement ; null sinon).")))
    def get_possible_duplicates(self, pathway: Pathway) -> list[int] | None:
        if not self.context.get("team"):
            return None
        return [p.pk for p in pathway.application.possible_duplicate_of.all()]

    @extend_schema_field(serializers.EmailField(allow_null=True))
    def get_referent(self, pathway: Pathway) -> str | None:
        return pathway.referent.email if pathway.referent_id else None


class ApplicationSerializer(serializers.Serializer):
    """An application and its outcome. `file` is null for a prescriber: they learn the outcome, not the file."""

    id = serializers.IntegerField(help_text=_("Identifiant du dossier (le même que /api/v1/pathways/{id}/)."))
    status = serializers.ChoiceField(choices=PathwayStatus.choices)
    decision = serializers.ChoiceField(choices=Decision.choices, allow_blank=True)
    application_date = serializers.DateField(allow_null=True)
    commission_date = serializers.DateField(allow_null=True)
    prescriber_organisation = OrganisationRefSerializer(source="application.prescriber_organisation")
    last_name = serializers.CharField(source="participant.last_name")
    first_name = serializers.CharField(source="participant.first_name")
    file = serializers.SerializerMethodField()

    @extend_schema_field(ApplicationFileSerializer(allow_null=True))
    def get_file(self, pathway: Pathway) -> dict | None:
        if not pathway.full_file:
            return None
        return ApplicationFileSerializer(pathway, context=self.context).data


SCAN_REQUIRED = _("Joignez le dossier signé par la personne et le prescripteur (PDF, JPEG ou PNG).")


class ApplicationCreateSerializer(serializers.Serializer):
    """An application as the web form takes it (multipart/form-data, the signed scan being a file)."""

    prescriber_organisation = serializers.IntegerField(
        required=False, min_value=1, max_value=2_147_483_647,
        help_text=_("Structure prescriptrice ; facultatif si vous ne prescrivez que pour une structure."))
    participant = serializers.IntegerField(
        required=False, min_value=1, max_value=2_147_483_647,
        help_text=_("Nouvelle candidature d'une personne déjà connue (équipe du PLIE seulement)."))
    last_name = NameField(max_length=150)
    first_name = NameField(max_length=150)
    birth_name = NameField(max_length=150, required=False, allow_blank=True, default="")
    sex = serializers.ChoiceField(choices=Sex.choices)
    birth_date = BirthDateField()
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = PhoneField(required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    postal_code = serializers.RegexField(r"^\d{5}$", required=False, allow_blank=True, default="",
                                         error_messages={"invalid": _("Le code postal compte 5 chiffres.")})
    commune = serializers.CharField(max_length=5, required=False, allow_blank=True, default="",
                                    help_text=_("Code INSEE de la commune de résidence, sur le territoire."))
    qpv = serializers.CharField(max_length=64, required=False, allow_blank=True, default="",
                                help_text=_("Code du quartier prioritaire de résidence, s'il y a lieu."))
    education_level = serializers.ChoiceField(choices=EducationLevel.choices, required=False, allow_blank=True,
                                              default="")
    situations = serializers.MultipleChoiceField(choices=SITUATION_CHOICES, required=False)
    deld = serializers.BooleanField(required=False, default=False)
    barriers_seen = serializers.MultipleChoiceField(choices=Barrier.choices, required=False)
    motivation = serializers.CharField(max_length=10_000)
    participant_signed_on = EventDateField()
    prescriber_signed_on = EventDateField()
    signed_scan = serializers.FileField(
        help_text=_("Dossier signé par la personne et le prescripteur : PDF, JPEG ou PNG (le contenu est vérifié)."),
        error_messages={"required": SCAN_REQUIRED, "empty": SCAN_REQUIRED})


# --- indicators -------------------------------------------------------------------------------------------------

def _figures(name: str, keys, field) -> type[serializers.Serializer]:
    """A serializer (for the schema) with one field per key, every key always present."""
    return type(name, (serializers.Serializer,), {key: field() for key in keys})


def _count():
    return serializers.IntegerField(min_value=0)


def _rate():
    return serializers.FloatField(allow_null=True)


IndicatorsPeriodSerializer = _figures("IndicatorsPeriod", ["from", "to"], serializers.DateField)


class IndicatorsExitsSerializer(serializers.Serializer):
    total = serializers.IntegerField(min_value=0)
    positive = serializers.IntegerField(min_value=0)
    neutralised = serializers.IntegerField(min_value=0)
    by_reason = _figures("IndicatorsExitsByReason", EXIT_REASONS, _count)()


class IndicatorsRatesSerializer(serializers.Serializer):
    positive_exit_rate = _rate()
    positive_exit_rate_excluding_moves = _rate()
    positive_exits_per_entry = _rate()


class IndicatorsStepsSerializer(serializers.Serializer):
    started = serializers.IntegerField(min_value=0)
    per_participant = _rate()
    by_type = _figures("IndicatorsStepsByType", STEP_TYPES, _count)()


class IndicatorsSerializer(serializers.Serializer):
    """The JSON of `parcours indicators --format json` (docs/spec/indicators.md)."""

    period = IndicatorsPeriodSerializer()
    entries = serializers.IntegerField(min_value=0)
    participants_in_pathway = serializers.IntegerField(min_value=0)
    exits = IndicatorsExitsSerializer()
    rates = IndicatorsRatesSerializer()
    mean_pathway_duration_days = _rate()
    entries_profile = _figures("IndicatorsEntriesProfile", PROFILE_KEYS, _count)()
    steps = IndicatorsStepsSerializer()
    positive_exit_rate_by_category = _figures("IndicatorsPositiveExitRateByCategory", CATEGORY_KEYS, _rate)()


class IndicatorsQuerySerializer(serializers.Serializer):
    """The period, both days included; `from` and `to` are not Python names, hence the mapping."""

    def get_fields(self):
        # The window every date of a file keeps (core/plausibility.py), checked by the fields themselves.
        return {"from": EventDateField(), "to": EventDateField()}

    def validate(self, attrs):
        if attrs["from"] > attrs["to"]:
            raise serializers.ValidationError({"to": [_("La date de fin précède la date de début.")]})
        return attrs


# --- errors (for the schema) ------------------------------------------------------------------------------------

class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
