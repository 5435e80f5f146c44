"""The PLIE as a programme definition: its workflow, step types, exit reasons and the rules a territory sets."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .enums import CLOSED_STATES, FOLLOWED_STATES, IN_PATHWAY_STATES, ExitReason, StepType
from parcours.programmes.models import Programme
from parcours.programmes.registry import Criterion, Parameter, ProgrammeDefinition, criteria_catalogue

from . import steps
from .capabilities import PLIE_CAPABILITIES
from .selectors import plie_timeline_entries
from .workflow import PATHWAY_WORKFLOW

PLIE = "plie"

# The situation criteria the PLIE reads (its application asks them; the interchange format and the indicators
# read them), in the order its pages list them.
CRITERIA = (
    Criterion("inactive_12m", _("Sans activité professionnelle depuis plus de 12 mois")),
    Criterion("rsa", _("Bénéficiaire du RSA")),
    Criterion("ass", _("Bénéficiaire de l'ASS")),
    Criterion("aah", _("Bénéficiaire de l'AAH")),
    Criterion("deld", _("Demandeur·se d'emploi de longue durée (DELD)")),
    Criterion("single_parent", _("Parent isolé")),
    Criterion("rqth", _("Reconnaissance de la qualité de travailleur handicapé (RQTH)"), sensitive=True),
)
# Those an application declares as its "situations", one of which may open the PLIE (eligible_situations);
# DELD is asked apart and opens nothing by itself.
SITUATION_CRITERIA = tuple(c.code for c in CRITERIA if c.code != "deld")
SITUATION_CHOICES = [(c.code, c.label) for c in CRITERIA if c.code in SITUATION_CRITERIA]


def _days(label) -> forms.Field:
    return forms.IntegerField(label=label, min_value=1, max_value=32767)


def _age(label) -> forms.Field:
    return forms.IntegerField(label=label, min_value=0, max_value=120)


PARAMETERS = (
    Parameter("min_age", 26, lambda: _age(_("Âge minimum à l'entrée"))),
    Parameter("youth_min_age", 16, lambda: _age(_("Âge minimum orienté vers la Mission Locale"))),
    Parameter("youth_max_age", 25, lambda: _age(_("Âge maximum orienté vers la Mission Locale"))),
    Parameter("eligible_situations", list(SITUATION_CRITERIA),
              lambda: forms.MultipleChoiceField(label=_("Situations ouvrant droit au PLIE"), choices=SITUATION_CHOICES,
                                                widget=forms.CheckboxSelectMultiple,
                                                required=False)),
    Parameter("qpv_residence_eligible", True,
              lambda: forms.BooleanField(label=_("Résider en QPV ouvre droit"), required=False)),
    Parameter("commission_interval_days", 15, lambda: _days(_("Intervalle entre commissions (jours)"))),
    Parameter("assessment_deadline_days", 42, lambda: _days(_("Délai du bilan socio-professionnel (jours)"))),
    Parameter("followup_months", 6,
              lambda: forms.IntegerField(label=_("Durée du suivi dans l'emploi (mois)"), min_value=1, max_value=60)),
)


def _parameters_check(values: Mapping[str, Any]) -> None:
    if values["youth_min_age"] > values["youth_max_age"]:
        raise ValidationError({"youth_max_age": _("Tranche d'âge Mission Locale incohérente.")})


PLIE_DEFINITION = ProgrammeDefinition(
    kind=PLIE,
    label=_("PLIE"),
    workflow=PATHWAY_WORKFLOW,
    step_types=tuple(StepType.choices),
    exit_reasons=tuple(ExitReason.choices),
    capabilities=PLIE_CAPABILITIES,
    step_check=steps.step_check,
    step_change_check=steps.step_change_check,
    step_recorded=steps.followup_open_if_lasting,
    timeline_entries=plie_timeline_entries,
    in_pathway_states=frozenset(IN_PATHWAY_STATES),
    closed_states=frozenset(CLOSED_STATES),
    followed_states=frozenset(FOLLOWED_STATES),
    parameters=PARAMETERS,
    parameters_check=_parameters_check,
    criteria=CRITERIA,
)


def other_programmes_criteria(codes) -> bool:
    """Whether every code is a criterion of another registered programme, one the PLIE does not read."""
    own, catalogue = PLIE_DEFINITION.criterion_codes(), criteria_catalogue()
    return all(c in catalogue and c not in own for c in codes)


def situations_refusal(codes) -> str | None:
    """Why these codes are not situations a PLIE application declares (French, for the field "situations")."""
    wrong = [c for c in codes if c not in SITUATION_CRITERIA]
    if not wrong:
        return None
    if other_programmes_criteria(wrong):
        return str(_("Critère d'un autre programme, que le PLIE ne lit pas : %(codes)s.") % {"codes": ", ".join(wrong)})
    return str(_("Situation inconnue : %(codes)s.") % {"codes": ", ".join(wrong)})


def plie_programme_of(territory_id: int) -> Programme:
    """The PLIE programme of a territory (each territory that has a PLIE has exactly one)."""
    return Programme.objects.get(territory_id=territory_id, kind=PLIE)
