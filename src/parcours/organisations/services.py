"""Writes on structures, users and memberships (administrators only; the views check the capability).

Roles follow two rules, here so that the web and any other caller obey them (docs/authorisation.md, "Granting
roles"): nobody adds, confirms or ends a role of their own account; a role of enums.CONFIRMED_ROLES is never
granted by one administrator alone — the request waits for a second administrator of the territory, and both
must have re-authenticated within PARCOURS_REAUTH_SECONDS.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.audit.services import audit_record, model_snapshot

from parcours.territory.models import Helpdesk, Territory

from .capabilities import ADMINISTRATION_MANAGE, PLACES_MANAGE
from .enums import CONFIRMED_ROLES, GrantRequestState, OrganisationKind, Role
from .models import Membership, MembershipGrantRequest, Organisation, User
from .notifications import grant_request_notify
from .scope import territory_ids_with

# Which kinds of structure may hold which role.
ROLE_KINDS: dict[str, set[str]] = {
    Role.COORDINATOR: {OrganisationKind.PLIE},
    Role.DIRECTOR: {OrganisationKind.PLIE},
    Role.ADMINISTRATOR: {OrganisationKind.PLIE},
    Role.REFERENT: {OrganisationKind.OPERATOR, OrganisationKind.PLIE},
    Role.PRESCRIBER: {OrganisationKind.PRESCRIBER, OrganisationKind.OPERATOR, OrganisationKind.PLIE},
    Role.YOUTH_MANAGER: {OrganisationKind.PRESCRIBER},   # the Mission Locale is a prescribing structure of the PLIE
    Role.YOUTH_ADVISER: {OrganisationKind.PRESCRIBER},
    Role.YOUTH_RECEPTION: {OrganisationKind.PRESCRIBER},
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
    """Create or update an account; a new account gets the password the administrator set, or none it could sign
    in with until the person chooses theirs from the invitation (accounts.mail.account_invitation_send)."""
    with transaction.atomic():
        creating = user.pk is None
        before = {} if creating else model_snapshot(User.objects.get(pk=user.pk), ["email", "first_name", "last_name", "is_active"])
        user.email = (user.email or "").strip().lower()
        if User.objects.filter(email__iexact=user.email).exclude(pk=user.pk).exists():
            raise ValidationError({"email": _("Un compte utilise déjà ce courriel.")})
        if creating:
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        audit_record(actor=by, action="user_create" if creating else "user_update", obj=user, participant_id=None,
                     before=before, after=model_snapshot(user, ["email", "first_name", "last_name", "is_active"]))
    return user


HELPDESK_FIELDS = ["name", "kind", "address", "phone", "email", "opening_hours", "offer", "organisation_id"]


def helpdesk_save(*, by: User, territory: Territory, values: dict, helpdesk: Helpdesk | None = None) -> Helpdesk:
    """Create a place of `territory` (an agency, a structure's premises, a permanence) or edit `helpdesk`; the
    actor keeps the territory's places (places.manage). `values` holds HELPDESK_FIELDS."""
    if territory.pk not in territory_ids_with(by, PLACES_MANAGE):
        raise ValidationError({"name": _("Vous ne tenez pas à jour les lieux de ce territoire.")})
    if helpdesk is not None and helpdesk.territory_id != territory.pk:
        raise ValidationError({"name": _("Ce lieu n'est pas sur ce territoire.")})
    organisation_id = values.get("organisation_id")
    if organisation_id is not None and not Organisation.objects.filter(pk=organisation_id,
                                                                         territory=territory).exists():
        raise ValidationError({"organisation": _("Structure : elle n'est pas sur le territoire de ce lieu.")})
    place = helpdesk if helpdesk is not None else Helpdesk(territory=territory)
    before = {name: getattr(place, name) for name in HELPDESK_FIELDS} if helpdesk is not None else {}
    for name in HELPDESK_FIELDS:
        value = values.get(name)
        setattr(place, name, value.strip() if isinstance(value, str) else value)
    place.full_clean()
    with transaction.atomic():
        place.save()
        audit_record(actor=by, action="helpdesk_update" if helpdesk is not None else "helpdesk_create", obj=place,
                     participant_id=None, before=before,
                     after={name: getattr(place, name) for name in HELPDESK_FIELDS})
    return place


class ReauthenticationRequired(ValidationError):
    """The actor last typed their password (and code) too long ago: the web sends them to re-authenticate."""


def _own_account_refuse(*, account: User, by: User) -> None:
    if account.pk == by.pk:
        raise ValidationError({"role": _("Vous ne pouvez pas modifier vos propres rôles : demandez-le à un·e autre "
                                         "administrateur·rice.")})


def _administers(*, by: User, organisation: Organisation) -> None:
    if organisation.territory_id not in territory_ids_with(by, ADMINISTRATION_MANAGE):
        raise ValidationError({"organisation": _("Vous n'administrez pas le territoire de cette structure.")})


def _role_fits(*, role: str, organisation: Organisation) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Rôle inconnu.")})
    allowed = ROLE_KINDS.get(role)
    if allowed is not None and organisation.kind not in allowed:
        raise ValidationError({"role": _("Le rôle « %(role)s » n'existe pas dans une structure de type « %(kind)s ».")
                               % {"role": Role(role).label, "kind": organisation.get_kind_display()}})


def _fresh(reauthenticated_at: datetime.datetime | None) -> None:
    limit = datetime.timedelta(seconds=settings.PARCOURS_REAUTH_SECONDS)
    if reauthenticated_at is None or timezone.now() - reauthenticated_at > limit:
        raise ReauthenticationRequired({"password": _(
            "Ce rôle ouvre des données personnelles : confirmez d'abord votre mot de passe (et votre code de "
            "double authentification), puis recommencez.")})


def _membership_activate(*, account: User, organisation: Organisation, role: str, by: User) -> Membership:
    membership, created = Membership.objects.get_or_create(user=account, organisation=organisation, role=role)
    if not created and membership.is_active:
        raise ValidationError({"role": _("Cette personne a déjà ce rôle dans cette structure.")})
    membership.is_active = True
    membership.save()
    audit_record(actor=by, action="membership_add", obj=membership, participant_id=None,
                 after={"user": account.pk, "organisation": organisation.pk, "role": role})
    return membership


def membership_grant(*, account: User, organisation: Organisation, role: str, by: User,
                     reauthenticated_at: datetime.datetime | None = None) -> Membership | MembershipGrantRequest:
    """Give `account` a role in `organisation`: at once for an ordinary role; for a role of CONFIRMED_ROLES, a
    pending request that a second administrator confirms (membership_grant_confirm). Never one's own account."""
    _own_account_refuse(account=account, by=by)
    _role_fits(role=role, organisation=organisation)
    _administers(by=by, organisation=organisation)
    if role not in CONFIRMED_ROLES:
        with transaction.atomic():
            return _membership_activate(account=account, organisation=organisation, role=role, by=by)
    _fresh(reauthenticated_at)
    if Membership.objects.filter(user=account, organisation=organisation, role=role, is_active=True).exists():
        raise ValidationError({"role": _("Cette personne a déjà ce rôle dans cette structure.")})
    now = timezone.now()
    membership_grant_requests_expire(now=now, account=account)
    try:
        with transaction.atomic():
            grant_request = MembershipGrantRequest.objects.create(
                account=account, organisation=organisation, role=role, requested_by=by, requested_at=now,
                expires_at=now + datetime.timedelta(days=settings.PARCOURS_GRANT_REQUEST_DAYS))
            audit_record(actor=by, action="membership_grant_request", obj=grant_request, participant_id=None,
                         after={"user": account.pk, "organisation": organisation.pk, "role": role,
                                "state": GrantRequestState.PENDING})
            transaction.on_commit(lambda: grant_request_notify(grant_request=grant_request, event="requested"))
    except IntegrityError:   # the partial unique index: another request for the same role is pending
        raise ValidationError({"role": _("Une demande est déjà en attente pour ce rôle dans cette structure : "
                                         "un·e autre administrateur·rice doit la confirmer ou la refuser.")}) from None
    return grant_request


def _pending_locked(grant_request: MembershipGrantRequest) -> MembershipGrantRequest:
    """The request, locked, if it is still pending; else a French refusal saying what became of it."""
    locked = (MembershipGrantRequest.objects.select_for_update(of=("self",))
              .select_related("account", "organisation").get(pk=grant_request.pk))
    if locked.state != GrantRequestState.PENDING:
        raise ValidationError({"state": _("Cette demande n'est plus en attente (%(state)s).")
                               % {"state": locked.get_state_display()}})
    return locked


def _decide(grant_request: MembershipGrantRequest, *, state: str, by: User, event: str) -> None:
    before = {"state": grant_request.state}
    grant_request.state, grant_request.decided_by, grant_request.decided_at = state, by, timezone.now()
    grant_request.save(update_fields=["state", "decided_by", "decided_at"])
    audit_record(actor=by, action=f"membership_grant_{event}", obj=grant_request, participant_id=None,
                 before=before, after={"state": state})
    transaction.on_commit(lambda: grant_request_notify(grant_request=grant_request, event=event))


def membership_grant_confirm(*, grant_request: MembershipGrantRequest, by: User,
                             reauthenticated_at: datetime.datetime | None) -> Membership:
    """The second administrator confirms: the membership exists from now on. Not the requester, not the account."""
    _fresh(reauthenticated_at)
    membership_grant_requests_expire(now=timezone.now(), account=grant_request.account)
    with transaction.atomic():
        locked = _pending_locked(grant_request)
        if locked.requested_by_id == by.pk:
            raise ValidationError({"state": _("Vous avez fait cette demande : un·e autre administrateur·rice doit "
                                              "la confirmer.")})
        _own_account_refuse(account=locked.account, by=by)
        _administers(by=by, organisation=locked.organisation)
        _role_fits(role=locked.role, organisation=locked.organisation)
        membership = _membership_activate(account=locked.account, organisation=locked.organisation,
                                          role=locked.role, by=by)
        _decide(locked, state=GrantRequestState.CONFIRMED, by=by, event="confirmed")
    return membership


def membership_grant_refuse(*, grant_request: MembershipGrantRequest, by: User) -> None:
    """Another administrator refuses the request (the requester withdraws it: membership_grant_cancel)."""
    with transaction.atomic():
        locked = _pending_locked(grant_request)
        if locked.requested_by_id == by.pk:
            raise ValidationError({"state": _("Vous avez fait cette demande : annulez-la plutôt.")})
        _own_account_refuse(account=locked.account, by=by)
        _administers(by=by, organisation=locked.organisation)
        _decide(locked, state=GrantRequestState.REFUSED, by=by, event="refused")


def membership_grant_cancel(*, grant_request: MembershipGrantRequest, by: User) -> None:
    """The requester withdraws their own pending request."""
    with transaction.atomic():
        locked = _pending_locked(grant_request)
        if locked.requested_by_id != by.pk:
            raise ValidationError({"state": _("Seule la personne qui a fait la demande peut l'annuler ; vous pouvez "
                                              "la refuser.")})
        _decide(locked, state=GrantRequestState.CANCELLED, by=by, event="cancelled")


def membership_grant_requests_expire(*, now: datetime.datetime, account: User | None = None,
                                     dry_run: bool = False) -> int:
    """Mark the pending requests past their expiry as expired (all, or `account`'s); audited, no e-mail. Run by
    `parcours retention`, and before any request or confirmation touches the account."""
    stale = MembershipGrantRequest.objects.filter(state=GrantRequestState.PENDING, expires_at__lte=now)
    if account is not None:
        stale = stale.filter(account=account)
    if dry_run:
        return stale.count()
    with transaction.atomic():
        stale = stale.select_for_update(of=("self",))
        expired = list(stale.order_by("pk"))
        for grant_request in expired:
            grant_request.state, grant_request.decided_at = GrantRequestState.EXPIRED, now
            grant_request.save(update_fields=["state", "decided_at"])
            audit_record(actor=None, action="membership_grant_expired", obj=grant_request, participant_id=None,
                         before={"state": GrantRequestState.PENDING}, after={"state": GrantRequestState.EXPIRED})
    return len(expired)


def membership_end(*, membership: Membership, by: User) -> None:
    """End a role (the row stays, inactive). Never one's own: another administrator does it."""
    _own_account_refuse(account=membership.user, by=by)
    _administers(by=by, organisation=membership.organisation)
    with transaction.atomic():
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        audit_record(actor=by, action="membership_deactivate", obj=membership, participant_id=None,
                     before={"is_active": True}, after={"is_active": False})
