"""Structures (the PLIE, its operators, the prescribers), the people who use Parcours and their roles."""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .capabilities import CAPABILITIES, capabilities_of
from .enums import GrantRequestState, OrganisationKind, PrescriberType, Role


# No scope asked: outside a request, every membership is in force.
NO_SCOPE = object()


class Organisation(models.Model):
    territory = models.ForeignKey("territory.Territory", verbose_name=_("territoire"), on_delete=models.PROTECT,
                                  related_name="organisations")
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=OrganisationKind.choices)
    prescriber_type = models.CharField(_("type de prescripteur"), max_length=20, choices=PrescriberType.choices,
                                       blank=True)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("structure")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "name"], name="organisation_unique_name"),
            models.CheckConstraint(
                condition=~models.Q(kind=OrganisationKind.PRESCRIBER) | ~models.Q(prescriber_type=""),
                name="prescriber_has_type",
                violation_error_message=_("Un prescripteur doit avoir un type de prescripteur."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("courriel"), unique=True)
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("actif"), default=True)
    is_staff = models.BooleanField(_("accès à l'administration technique"), default=False)
    date_joined = models.DateTimeField(_("créé le"), default=timezone.now)

    objects = UserManager()
    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("utilisateur·rice")
        ordering = ["last_name", "first_name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_unique_email_ci")]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name

    @cached_property
    def active_memberships(self) -> list[Membership]:
        # In a stated order: "the user's first structure" (web.intake's territory) must not be the database's pick.
        return list(self.memberships.filter(is_active=True, organisation__is_active=True)
                    .select_related("organisation").order_by("pk"))

    # The membership a request works in, set by organisations.scope (the header's switcher chooses it). Outside a
    # request (a command, a service called by a test) there is none: all memberships are in force.
    current_membership: Membership | None = None
    # The membership a request asked for (organisations.scope.scope_request), resolved on the first check: a
    # request that checks nothing reads no membership.
    requested_membership: int | None | object = NO_SCOPE

    @property
    def scope_memberships(self) -> list[Membership]:
        """The memberships in force: the current one, or all of them outside a request."""
        if self.requested_membership is not NO_SCOPE:
            self._scope_resolve()
        current = self.current_membership
        return [current] if current is not None else self.active_memberships

    def _scope_resolve(self) -> None:
        requested, self.requested_membership = self.requested_membership, NO_SCOPE
        memberships = self.active_memberships
        current = next((m for m in memberships if m.pk == requested), None) if requested else None
        # None asked, or one that ended: the first membership (a user with none works in none).
        self.current_membership = current or (memberships[0] if memberships else None)

    @property
    def roles(self) -> frozenset[str]:
        """The roles in force (one in a request). Permission checks ask `can()`; this is for display."""
        return frozenset(m.role for m in self.scope_memberships)

    @property
    def capabilities(self) -> frozenset[str]:
        """Every capability the memberships in force grant (organisations.capabilities)."""
        return frozenset().union(*(capabilities_of(m.role) for m in self.scope_memberships))

    def can(self, capability: str) -> bool:
        if capability not in CAPABILITIES:
            raise LookupError(f"undefined capability {capability!r}")
        return any(m.grants(capability) for m in self.scope_memberships)


class Membership(models.Model):
    user = models.ForeignKey(User, verbose_name=_("utilisateur·rice"), on_delete=models.CASCADE,
                             related_name="memberships")
    organisation = models.ForeignKey(Organisation, verbose_name=_("structure"), on_delete=models.CASCADE,
                                     related_name="memberships")
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)

    def grants(self, capability: str) -> bool:
        """Whether this membership's role grants `capability` (organisations.capabilities)."""
        return capability in capabilities_of(self.role)

    class Meta:
        verbose_name = _("appartenance")
        constraints = [models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"


class MembershipGrantRequest(models.Model):
    """A role of enums.CONFIRMED_ROLES asked for an account by one administrator, waiting for a second one
    (organisations.services.membership_grant). Confirmed, it becomes a Membership; the row stays as the record."""

    account = models.ForeignKey(User, verbose_name=_("compte"), on_delete=models.CASCADE,
                                related_name="grant_requests")
    organisation = models.ForeignKey(Organisation, verbose_name=_("structure"), on_delete=models.CASCADE,
                                     related_name="grant_requests")
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    state = models.CharField(_("état"), max_length=20, choices=GrantRequestState.choices,
                             default=GrantRequestState.PENDING)
    requested_by = models.ForeignKey(User, verbose_name=_("demandée par"), on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(_("demandée le"), default=timezone.now)
    expires_at = models.DateTimeField(_("expire le"))
    # Empty while pending, and when the request expired (nobody decided).
    decided_by = models.ForeignKey(User, verbose_name=_("décidée par"), on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("demande d'attribution de rôle")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["account", "organisation", "role"],
                                    condition=models.Q(state=GrantRequestState.PENDING),
                                    name="grantrequest_one_pending",
                                    violation_error_message=_("Une demande est déjà en attente pour ce rôle.")),
            models.CheckConstraint(condition=~models.Q(account=models.F("requested_by")),
                                   name="grantrequest_not_for_oneself",
                                   violation_error_message=_("Personne ne demande un rôle pour son propre compte.")),
            models.CheckConstraint(condition=~models.Q(account=models.F("decided_by")),
                                   name="grantrequest_not_decided_by_account",
                                   violation_error_message=_("Personne ne décide d'un rôle pour son propre compte.")),
            # Four eyes: the requester may withdraw (cancelled), never confirm or refuse their own request.
            models.CheckConstraint(condition=models.Q(state=GrantRequestState.CANCELLED)
                                   | ~models.Q(decided_by=models.F("requested_by")),
                                   name="grantrequest_four_eyes",
                                   violation_error_message=_("La demande doit être confirmée par un·e autre "
                                                             "administrateur·rice.")),
            models.CheckConstraint(
                condition=(models.Q(state=GrantRequestState.PENDING, decided_at__isnull=True,
                                    decided_by__isnull=True)
                           | models.Q(state=GrantRequestState.EXPIRED, decided_at__isnull=False,
                                      decided_by__isnull=True)
                           | models.Q(state__in=[GrantRequestState.CONFIRMED, GrantRequestState.REFUSED,
                                                 GrantRequestState.CANCELLED],
                                      decided_at__isnull=False, decided_by__isnull=False)),
                name="grantrequest_decision_recorded"),
            models.CheckConstraint(condition=models.Q(expires_at__gt=models.F("requested_at")),
                                   name="grantrequest_expires_after_request"),
        ]
        indexes = [models.Index(fields=["state", "expires_at"], name="grantrequest_state_idx")]

    def __str__(self) -> str:
        return f"{self.account} — {self.get_role_display()} — {self.organisation}"

    def is_open(self, now=None) -> bool:
        """Pending and not yet past its expiry (an expired row may wait to be marked so)."""
        return self.state == GrantRequestState.PENDING and self.expires_at > (now or timezone.now())
