"""The session of a commission d'agrément, as a table applied by the engine: planned, then held once every file
of its agenda has a decision. It has no log of its own: the audit trail keeps who closed it and when."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from parcours.core.workflow import NoPayload, Transition, TransitionRefused, Workflow
from parcours.organisations.capabilities import COMMISSION_DECIDE

from .enums import CommissionStatus
from .models import Commission

DECIDING = frozenset({COMMISSION_DECIDE})


def _check_close(commission: Commission, payload: NoPayload) -> None:
    from .selectors import commission_pending

    if commission.date > timezone.localdate():
        raise TransitionRefused(_("Une commission ne se clôt qu'une fois tenue."))
    missing = commission_pending(commission).count()
    if missing:
        raise TransitionRefused(_("%(count)s dossier(s) de l'ordre du jour attendent encore une décision.")
                                % {"count": missing})


def _effect_close(commission: Commission, payload: NoPayload, by: Any) -> None:
    commission.closed_by = by


COMMISSION_WORKFLOW = Workflow(state_field="status", states=dict(CommissionStatus.choices),
                               initial=CommissionStatus.PLANNED,
                               state_refusal=_l("Cette commission est déjà close."))
COMMISSION_WORKFLOW.add(Transition("close", frozenset({CommissionStatus.PLANNED}), CommissionStatus.HELD,
                                   _l("Clore la commission"), DECIDING, _check_close, _effect_close))
