"""The immersion agreement (PMSMP) as a table applied by the engine (core/workflow.py):

    (created) ─draw_up→ draft ─sign→ signed ─complete→ done
                          │            │
                          └──cancel────┴──→ cancelled   (only before the immersion's first day)

- **sign**: the three parties signed; the engine records the PMSMP situation of the young person with the
  agreement's dates and aim (`YouthSituation`, category `pmsmp`), the row the activity report counts
  (docs/spec/youth.md, `pmsmp`);
- **complete**: the immersion took place, from its last day on;
- **cancel**: before its first day only; nothing is removed (the agreement stays, marked cancelled, with its log).

All are for the advisers who write the file (`youth.write` in its territory).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from parcours.core.workflow import CREATED, NoPayload, SystemActor, Transition, TransitionRefused, Workflow, capability_policy
from parcours.organisations.capabilities import YOUTH_WRITE
from parcours.organisations.scope import territory_ids_with

from .enums import ImmersionStatus, SituationCategory
from .models import ImmersionAgreement, ImmersionAgreementTransition, YouthSituation

S = ImmersionStatus
WRITERS = frozenset({YOUTH_WRITE})


@dataclass(frozen=True)
class Cancellation:
    reason: str = ""


def immersion_policy(actor: Any, transition: Transition, obj: ImmersionAgreement) -> bool:
    if isinstance(actor, SystemActor) or not capability_policy(actor, transition, obj):
        return False
    return obj.territory_id in territory_ids_with(actor, YOUTH_WRITE)


def _effect_sign(a: ImmersionAgreement, payload: NoPayload, by: Any) -> None:
    a.situation = YouthSituation.objects.create(
        territory_id=a.territory_id, situation_ref=f"S-{uuid.uuid4().hex[:12]}", youth_file_id=a.youth_file_id,
        category=SituationCategory.PMSMP, start_date=a.start_date, end_date=a.end_date, pmsmp_aim=a.aim,
        employer_siret=a.company_siret)


def _check_complete(a: ImmersionAgreement, payload: NoPayload) -> None:
    if timezone.localdate() < a.end_date:
        raise TransitionRefused(_("Fin : l'immersion se termine le %(day)s ; elle est réalisée à partir de ce jour.")
                                % {"day": a.end_date.strftime("%d/%m/%Y")})


def _check_cancel(a: ImmersionAgreement, payload: Cancellation) -> None:
    if timezone.localdate() >= a.start_date:
        raise TransitionRefused(_("Annulation : l'immersion a commencé le %(day)s ; on n'annule qu'avant son premier "
                                  "jour.") % {"day": a.start_date.strftime("%d/%m/%Y")})


IMMERSION_WORKFLOW = Workflow(
    state_field="status", states=dict(S.choices), initial=S.DRAFT, log_model=ImmersionAgreementTransition,
    log_object_field="agreement", policy=immersion_policy,
    state_refusal=_l("Action « %(action)s » impossible : la convention est « %(state)s »."))
for _transition in (
    Transition("draw_up", frozenset({CREATED}), S.DRAFT, _l("Préparer la convention"), WRITERS, manual=False),
    Transition("sign", frozenset({S.DRAFT}), S.SIGNED, _l("Enregistrer la signature"), WRITERS,
               effect=_effect_sign),
    Transition("complete", frozenset({S.SIGNED}), S.DONE, _l("Immersion réalisée"), WRITERS,
               check=_check_complete),
    Transition("cancel", frozenset({S.DRAFT, S.SIGNED}), S.CANCELLED, _l("Annuler la convention"), WRITERS,
               check=_check_cancel, payload=Cancellation),
):
    IMMERSION_WORKFLOW.add(_transition)
