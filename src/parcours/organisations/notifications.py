"""E-mails telling a person and their territory's DPO that a role opening personal data was asked, granted or
refused (organisations.services). Plain French text naming the role and the structure, nothing else: no name,
no e-mail address of anyone, no link carrying an id."""

from __future__ import annotations

import logging
import smtplib

from django.core.mail import send_mass_mail
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from .capabilities import AUDIT_READ, capabilities_of
from .enums import Role
from .models import Membership, MembershipGrantRequest

logger = logging.getLogger("parcours.security")

SUBJECTS = {
    "requested": _l("[Parcours] Demande d'attribution d'un rôle"),
    "confirmed": _l("[Parcours] Rôle attribué"),
    "refused": _l("[Parcours] Demande de rôle refusée"),
    "cancelled": _l("[Parcours] Demande de rôle annulée"),
}


def _bodies(event: str, role: str, structure: str) -> tuple[str, str]:
    """(to the person, to the DPO)."""
    names = {"role": role, "structure": structure}
    if event == "requested":
        return (_("Le rôle « %(role)s » dans la structure « %(structure)s » a été demandé pour votre compte Parcours. "
                  "Il vous sera attribué quand un·e second·e administrateur·rice aura confirmé la demande.") % names,
                _("Le rôle « %(role)s » dans la structure « %(structure)s », qui ouvre des données personnelles, a été "
                  "demandé pour un compte Parcours. Un·e second·e administrateur·rice doit confirmer la demande. "
                  "Le détail figure dans le journal des modifications.") % names)
    if event == "confirmed":
        return (_("Le rôle « %(role)s » dans la structure « %(structure)s » vous est attribué sur Parcours, après "
                  "confirmation par un·e second·e administrateur·rice.") % names,
                _("Le rôle « %(role)s » dans la structure « %(structure)s », qui ouvre des données personnelles, a été "
                  "attribué à un compte Parcours après confirmation par un·e second·e administrateur·rice. "
                  "Le détail figure dans le journal des modifications.") % names)
    if event == "refused":
        return (_("La demande du rôle « %(role)s » dans la structure « %(structure)s » pour votre compte Parcours a "
                  "été refusée par un·e administrateur·rice.") % names,
                _("La demande du rôle « %(role)s » dans la structure « %(structure)s » pour un compte Parcours a été "
                  "refusée par un·e second·e administrateur·rice. Le détail figure dans le journal des "
                  "modifications.") % names)
    return (_("La demande du rôle « %(role)s » dans la structure « %(structure)s » pour votre compte Parcours a été "
              "annulée par la personne qui l'avait faite.") % names,
            _("La demande du rôle « %(role)s » dans la structure « %(structure)s » pour un compte Parcours a été "
              "annulée par la personne qui l'avait faite. Le détail figure dans le journal des modifications.")
            % names)


def dpo_emails(territory_id: int) -> list[str]:
    """The addresses of the active accounts holding the DPO's registers (audit.read) in the territory."""
    roles = [role for role in Role.values if AUDIT_READ in capabilities_of(role)]
    emails = (Membership.objects.filter(role__in=roles, is_active=True, organisation__is_active=True,
                                        organisation__territory_id=territory_id, user__is_active=True)
              .exclude(user__email="").order_by("user__email").values_list("user__email", flat=True).distinct())
    return list(emails)


def grant_request_notify(*, grant_request: MembershipGrantRequest, event: str) -> int:
    """Send one e-mail to the person and one to each DPO of the territory (no address: skipped); returns how
    many were sent. A mail server that fails is logged, never undoes the change already committed."""
    role = Role(grant_request.role).label
    structure = grant_request.organisation.name
    to_person, to_dpo = _bodies(event, str(role), structure)
    subject = str(SUBJECTS[event])
    person = grant_request.account.email if grant_request.account.is_active else ""
    messages = [(subject, to_person, None, [person])] if person else []
    messages += [(subject, to_dpo, None, [email]) for email in dpo_emails(grant_request.organisation.territory_id)
                 if email != person]
    if not messages:
        return 0
    try:
        return send_mass_mail(tuple(messages), fail_silently=False)
    except (smtplib.SMTPException, OSError):
        logger.warning("grant notification failed event=%s grant_request_id=%s", event, grant_request.pk)
        return 0
