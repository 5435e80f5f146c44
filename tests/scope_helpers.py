"""Helpers for tests of the scope (organisations.scope): a person with several memberships."""

from parcours.organisations.models import Membership, User


def membership_add(user: User, organisation, role: str, *, is_active: bool = True) -> Membership:
    """Give `user` one more membership, and forget the memberships already read (`active_memberships`)."""
    membership = Membership.objects.create(user=user, organisation=organisation, role=role, is_active=is_active)
    user.__dict__.pop("active_memberships", None)
    return membership
