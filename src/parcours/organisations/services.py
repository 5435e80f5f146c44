"""Writes on structures, users and memberships (administrators only; the views check the role)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parcours.audit.services import audit_record, model_snapshot

from .enums import OrganisationKind, Role
from .models import Membership, Organisation, User

# Which kinds of structure may hold which role.
ROLE_KINDS: dict[str, set[str]] = {
    Role.COORDINATOR: {OrganisationKind.PLIE},
    Role.DIRECTOR: {OrganisationKind.PLIE},
    Role.ADMINISTRATOR: {OrganisationKind.PLIE},
    Role.REFERENT: {OrganisationKind.OPERATOR, OrganisationKind.PLIE},
    Role.PRESCRIBER: {OrganisationKind.PRESCRIBER, OrganisationKind.OPERATOR, OrganisationKind.PLIE},
}


def organisation_save(*, organisation: Organisation, by: User) -> Organisation:
    """Create or update a structure after validation."""
    with transaction.atomic():
        before = model_snapshot(Organisation.objects.get(pk=organisation.pk)) if organisation.pk else {}
        if organisation.kind == OrganisationKind.PLIE and not organisation.prescriber_type:
            organisation.prescriber_type = "plie"
        organisation.full_clean()
        organisation.save()
        audit_record(actor=by, action="organisation_save", obj=organisation, participant_id=None,
                     before=before, after=model_snapshot(organisation))
    return organisation


def user_save(*, user: User, by: User, password: str | None = None) -> User:
    """Create or update an account; a new account gets the password the administrator set."""
    with transaction.atomic():
        creating = user.pk is None
        before = {} if creating else model_snapshot(User.objects.get(pk=user.pk), ["email", "first_name", "last_name", "is_active"])
        user.email = (user.email or "").strip().lower()
        if User.objects.filter(email__iexact=user.email).exclude(pk=user.pk).exists():
            raise ValidationError({"email": _("Un compte utilise déjà ce courriel.")})
        if creating:
            if not password:
                raise ValidationError({"password": _("Choisissez un mot de passe provisoire.")})
            user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        audit_record(actor=by, action="user_create" if creating else "user_update", obj=user, participant_id=None,
                     before=before, after=model_snapshot(user, ["email", "first_name", "last_name", "is_active"]))
    return user


def membership_add(*, user: User, organisation: Organisation, role: str, by: User) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": _("Rôle inconnu.")})
    allowed = ROLE_KINDS.get(role)
    if allowed is not None and organisation.kind not in allowed:
        raise ValidationError({"role": _("Le rôle « %(role)s » n'existe pas dans une structure de type « %(kind)s ».")
                               % {"role": Role(role).label, "kind": organisation.get_kind_display()}})
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
        if not created and membership.is_active:
            raise ValidationError({"role": _("Cette personne a déjà ce rôle dans cette structure.")})
        membership.is_active = True
        membership.save()
        audit_record(actor=by, action="membership_add", obj=membership, participant_id=None,
                     after={"user": user.pk, "organisation": organisation.pk, "role": role})
    return membership


def membership_deactivate(*, membership: Membership, by: User) -> None:
    with transaction.atomic():
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        audit_record(actor=by, action="membership_deactivate", obj=membership, participant_id=None,
                     before={"is_active": True}, after={"is_active": False})
