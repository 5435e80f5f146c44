"""The PLIE's engagement contract (contrat d'engagement): its texts, the three signatures, and the entry it makes.

The contract is the PLIE's: signed by the person, their referent and the PLIE's direction, its last signature
is the entry into the pathway (the `sign_contract` transition of plie/workflow.py).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.audit.services import audit_record, model_snapshot
from parcours.core.concurrency import StaleObjectError, save_with_version
from parcours.core.db import column
from parcours.organisations.enums import Role
from parcours.organisations.models import Membership
from parcours.plie.enums import PathwayStatus
from parcours.pathways.models import Pathway
from parcours.plie.models import EngagementContract
from parcours.pathways.services import day_fr, pathway_act, pathway_lock, pathway_writer_check


SIGNATURE_FIELDS = ["participant_signed_on", "referent_signed_on", "director_signed_on"]
CONTRACT_FIELDS = ["objectives", "participant_commitments", "referent_commitments", "plie_commitments",
                   "participant_signed_on", "referent_signed_on", "director_signed_on", "director"]
# --- engagement contract --------------------------------------------------------------------------------------

def contract_defaults(pathway: Pathway) -> dict[str, str]:
    """Pre-filled texts: the objectives from the assessment's recommendations, the usual commitments."""
    assessment = getattr(pathway, "assessment", None)
    objectives = ""
    if assessment is not None:
        objectives = assessment.recommendations.strip()
        if assessment.professional_project.strip():
            objectives = _("Projet professionnel : %(project)s\n\n%(recommendations)s") % {
                "project": assessment.professional_project.strip(), "recommendations": objectives}
    return {
        "objectives": objectives,
        "participant_commitments": _(
            "Venir aux rendez-vous fixés avec mon / ma référent·e ou le / la prévenir en cas d'empêchement.\n"
            "Participer activement aux étapes de parcours convenues ensemble.\n"
            "Informer mon / ma référent·e de tout changement de situation (emploi, formation, adresse).\n"
            "Rechercher activement un emploi durable."),
        "referent_commitments": _(
            "Recevoir la personne régulièrement, au moins une fois par mois, pendant tout le parcours.\n"
            "Construire avec elle un parcours d'insertion personnalisé et lui proposer les étapes adaptées.\n"
            "Mobiliser les partenaires utiles pour lever les freins à l'emploi.\n"
            "Assurer le suivi dans l'emploi pendant les six premiers mois."),
        "plie_commitments": _(
            "Mobiliser l'offre d'étapes du PLIE (formations, chantiers, relations entreprises).\n"
            "Garantir la confidentialité des informations partagées, sous le sceau du secret professionnel partagé.\n"
            "Veiller à la continuité de l'accompagnement en cas d'absence du / de la référent·e."),
    }


def directors_of(pathway: Pathway):
    """Users who may sign for the PLIE direction of the pathway's territory."""
    from parcours.organisations.models import User

    return User.objects.filter(
        is_active=True, memberships__role=Role.DIRECTOR, memberships__is_active=True,
        memberships__organisation__territory_id=pathway.participant.territory_id,
    ).distinct().order_by("last_name", "first_name")


def _check_contract(pathway: Pathway, contract: EngagementContract) -> None:
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    labels = {
        "participant_signed_on": _("Signature du / de la participant·e"),
        "referent_signed_on": _("Signature du / de la référent·e"),
        "director_signed_on": _("Signature de la direction du PLIE"),
    }
    for name in SIGNATURE_FIELDS:
        value = getattr(contract, name)
        if value is None:
            continue
        if value > today:
            errors.setdefault(name, []).append(
                _("%(field)s : la date ne peut pas être dans le futur.") % {"field": labels[name]})
        elif pathway.commission_date and value < pathway.commission_date:
            errors.setdefault(name, []).append(
                _("%(field)s : la date ne peut pas précéder la commission d'agrément (%(date)s).")
                % {"field": labels[name], "date": day_fr(pathway.commission_date)})
    if contract.director_id is not None:
        is_director = Membership.objects.filter(
            user_id=contract.director_id, role=Role.DIRECTOR, is_active=True, user__is_active=True,
            organisation__territory_id=pathway.participant.territory_id).exists()
        if not is_director:
            errors.setdefault("director", []).append(
                _("Pour la direction : cette personne n'a pas le rôle de direction du PLIE."))
    elif contract.director_signed_on is not None:
        errors.setdefault("director", []).append(
            _("Pour la direction : indiquez qui signe pour la direction du PLIE."))
    for name in ("objectives", "participant_commitments", "referent_commitments", "plie_commitments"):
        if not (getattr(contract, name) or "").strip():
            label = str(column(EngagementContract, name).verbose_name)
            errors.setdefault(name, []).append(_("%(field)s : ce champ est obligatoire.") % {"field": label.capitalize()})
    if errors:
        raise ValidationError(errors)


def contract_save(*, pathway: Pathway, by, values: dict[str, Any],
                  expected_version: int | None = None) -> EngagementContract:
    """Create or update the engagement contract; only while the pathway waits for its signature (admitted).

    `expected_version` is the contract's version the form was loaded with (None when creating);
    a stale save raises `StaleObjectError`.
    """
    pathway_writer_check(by, pathway)
    with transaction.atomic():
        locked = pathway_lock(pathway)
        if locked.status != PathwayStatus.ADMITTED:
            if locked.entry_date:
                raise ValidationError(_("Le contrat d'engagement est signé (entrée le %(date)s) : il n'est plus "
                                        "modifiable.") % {"date": day_fr(locked.entry_date)})
            raise ValidationError(_("Le contrat d'engagement se prépare après l'agrément de la commission."))
        contract = EngagementContract.objects.select_for_update().filter(pathway=locked).first()
        before = model_snapshot(contract, [_attname(n) for n in CONTRACT_FIELDS]) if contract else {}
        creating = contract is None
        if contract is None:
            contract = EngagementContract(pathway=locked)
        for name in CONTRACT_FIELDS:
            if name in values:
                setattr(contract, name, values[name])
        _check_contract(locked, contract)
        contract.full_clean()
        if creating:
            contract.save()
        elif expected_version is None:
            # The form was opened before someone else created the contract.
            raise StaleObjectError(contract, 0)
        else:
            save_with_version(contract, expected_version, CONTRACT_FIELDS)
        audit_record(actor=by, action="contract.create" if creating else "contract.update", obj=contract,
                     participant_id=locked.participant_id, before=before,
                     after=model_snapshot(contract, [_attname(n) for n in CONTRACT_FIELDS]))
    return contract


def contract_sign(*, pathway: Pathway, by) -> Pathway:
    """The three signatures are recorded: the pathway enters (entry date = the last signature)."""
    return pathway_act(pathway=pathway, name="sign_contract", by=by)


def _attname(name: str) -> str:
    return "director_id" if name == "director" else name
