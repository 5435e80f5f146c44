"""Writes on the commission d'agrément: planning sessions, recording decisions, closing a session.

A decision and the pathway's transition (admit, refuse, reorient, postpone) happen in one
transaction, so the commission date lands on the file exactly when the decision is recorded.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.audit.services import audit_record
from parcours.core.workflow import TransitionRefused, transition_apply
from parcours.organisations.capabilities import COMMISSION_DECIDE, COMMISSION_PLAN
from parcours.pathways.models import Pathway
from parcours.pathways.services import pathway_act
from parcours.plie.definition import PLIE
from parcours.programmes.models import Programme
from parcours.territory.models import Territory

from .enums import CommissionOutcome, CommissionStatus
from .models import Commission, CommissionDecision
from .workflow import COMMISSION_WORKFLOW

TRANSITION_OF_OUTCOME: dict[str, str] = {  # keyed by the outcome as a form or the API sends it
    CommissionOutcome.ADMITTED: "admit",
    CommissionOutcome.REFUSED: "refuse",
    CommissionOutcome.REORIENTED: "reorient",
    CommissionOutcome.POSTPONED: "postpone",
}


def commission_next_date(territory: Territory) -> datetime.date:
    """The day after the latest session by the PLIE's interval, or today for the first one (one query)."""
    programme = (Programme.objects.filter(territory_id=territory.pk, kind=PLIE)
                 .annotate(latest=Max("territory__commissions__date")).get())
    if programme.latest is None:
        return timezone.localdate()
    return programme.latest + datetime.timedelta(days=programme.parameter("commission_interval_days"))


def commission_plan(*, territory: Territory, by, on: datetime.date | None = None) -> Commission:
    """Plan a session on `on`, by default the next date of the territory's rhythm."""
    if not by.can(COMMISSION_PLAN):
        raise TransitionRefused(_("Seule l'équipe d'animation programme les commissions."))
    on = on or commission_next_date(territory)
    with transaction.atomic():
        if Commission.objects.filter(territory=territory, date=on).exists():
            raise ValidationError({"date": _("Une commission est déjà programmée le %(date)s.")
                                   % {"date": on.strftime("%d/%m/%Y")}})
        commission = Commission(territory=territory, date=on)
        commission.full_clean()
        commission.save()
        audit_record(actor=by, action="commission_plan", obj=commission, participant_id=None,
                     after={"date": str(on)})
    return commission


def commission_decide(*, commission: Commission, pathway: Pathway, outcome: str, by, motive: str = "",
                      reoriented_to: str = "") -> CommissionDecision:
    """Record the commission's decision on one file and apply the matching transition."""
    if not by.can(COMMISSION_DECIDE):
        raise TransitionRefused(_("Seules la coordination et la direction du PLIE décident en commission."))
    if outcome not in TRANSITION_OF_OUTCOME:
        raise ValidationError({"outcome": _("Décision inconnue.")})
    motive, reoriented_to = motive.strip(), reoriented_to.strip()
    with transaction.atomic():
        locked = Commission.objects.select_for_update().get(pk=commission.pk)
        if locked.status == CommissionStatus.HELD:
            raise TransitionRefused(_("Cette commission est close : ses décisions ne changent plus."))
        if locked.date > timezone.localdate():
            raise TransitionRefused(_("La commission du %(date)s n'a pas encore eu lieu.")
                                    % {"date": locked.date.strftime("%d/%m/%Y")})
        if pathway.participant.territory_id != locked.territory_id:
            raise TransitionRefused(_("Ce dossier ne relève pas de cette commission."))
        if CommissionDecision.objects.filter(commission=locked, pathway=pathway).exists():
            raise TransitionRefused(_("Ce dossier a déjà une décision dans cette commission."))
        decision = CommissionDecision(commission=locked, pathway=pathway, outcome=outcome, motive=motive,
                                      reoriented_to=reoriented_to if outcome == CommissionOutcome.REORIENTED else "",
                                      decided_by=by)
        decision.full_clean()
        decision.save()
        pathway_act(pathway=pathway, name=TRANSITION_OF_OUTCOME[outcome], by=by,
                    data={"commission_date": locked.date, "motive": motive, "reoriented_to": reoriented_to})
    return decision


def commission_close(*, commission: Commission, by) -> Commission:
    """Mark the session held, once every file of its agenda has a decision (COMMISSION_WORKFLOW)."""
    if not by.can(COMMISSION_DECIDE):
        raise TransitionRefused(_("Seules la coordination et la direction du PLIE closent une commission."))
    with transaction.atomic():
        locked = transition_apply(COMMISSION_WORKFLOW, commission, "close", by=by)
        audit_record(actor=by, action="commission_close", obj=locked, participant_id=None,
                     before={"status": CommissionStatus.PLANNED}, after={"status": CommissionStatus.HELD})
    return locked
