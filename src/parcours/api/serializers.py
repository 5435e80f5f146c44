from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from parcours.participants.models import Participant
from parcours.pathways.models import Appointment, Pathway, Step


class ParticipantSerializer(serializers.ModelSerializer):
    commune_insee = serializers.CharField(source="commune.insee", read_only=True, allow_null=True, default=None)
    qpv_code = serializers.CharField(source="qpv.code", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Participant
        fields = ["id", "external_ref", "last_name", "first_name", "sex", "birth_date", "email", "phone",
                  "address", "postal_code", "commune_insee", "qpv_code", "education_level",
                  "rsa", "ass", "aah", "deld", "inactive_12m", "single_parent", "rqth"]
        read_only_fields = fields


class SensitiveHiddenParticipantSerializer(ParticipantSerializer):
    """For roles that may not read RQTH: the field is left out, not merely blanked."""

    class Meta(ParticipantSerializer.Meta):
        fields = [f for f in ParticipantSerializer.Meta.fields if f != "rqth"]
        read_only_fields = fields


class PathwaySerializer(serializers.ModelSerializer):
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


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = Step
        fields = ["id", "external_ref", "pathway", "step_type", "start_date", "end_date", "operator_name",
                  "employer_siret", "contract_type", "social_clause", "hours", "comment"]
        read_only_fields = ["id", "external_ref", "pathway"]


class AppointmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Appointment
        fields = ["id", "external_ref", "pathway", "date", "kind", "mode", "duration_minutes", "place", "summary"]
        read_only_fields = ["id", "external_ref", "pathway"]
