"""The scope a request works in: one of the user's memberships (structure, role, and the programmes that
structure runs or works for), chosen in the header when a person works for several.

`scope_request(user, membership_id)` makes that membership the one in force for the rest of the request (read on
the first check): every check then asks a capability of its role only (`user.can(capability)`), and each app's
`access.py` scopes its querysets from `memberships_with()`. Outside a request every membership is in force
(commands, tests calling services), as the user's whole set of rights.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Membership, User


# Where a browser's session keeps the membership chosen in the header.
SCOPE_SESSION_KEY = "parcours_membership"


@dataclass(frozen=True)
class Scope:
    """What a request knows of where its user works."""

    memberships: tuple[Membership, ...]    # every active membership of the user (the switcher's choices)
    current: Membership | None              # the one in force

    @property
    def can_switch(self) -> bool:
        return len(self.memberships) > 1


def scope_request(user: User, membership_id: int | None) -> None:
    """Ask that `membership_id` be in force for `user` for the rest of the request (None: their first); it is
    resolved on the first check, so a request that checks nothing costs no query."""
    user.current_membership = None
    user.requested_membership = membership_id


def scope_of(user: User) -> Scope:
    """The request's Scope (resolving the requested membership: one membership that ended falls back to the
    first)."""
    user.scope_memberships  # noqa: B018 -- resolves the requested membership
    return Scope(memberships=tuple(user.active_memberships), current=user.current_membership)


def membership_of(user: User, membership_id: int) -> Membership | None:
    """One of the user's own active memberships, or None (another person's is never found)."""
    return next((m for m in user.active_memberships if m.pk == membership_id), None)


def memberships_with(user: User, capability: str) -> list[Membership]:
    """The memberships in force whose role grants `capability`."""
    return [m for m in user.scope_memberships if m.grants(capability)]


def organisation_ids_with(user: User, capability: str, *, without: str | None = None) -> set[int]:
    """The structures where the user holds `capability` (and, with `without`, not that other one)."""
    return {m.organisation_id for m in memberships_with(user, capability)
            if without is None or not m.grants(without)}


def territory_ids_with(user: User, capability: str) -> set[int]:
    return {m.organisation.territory_id for m in memberships_with(user, capability)}
