"""Capability gates for whole areas of the interface (objects are scoped by each app's access.py)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from parcours.organisations.capabilities import CAPABILITIES
from parcours.organisations.scope import territory_ids_with
from parcours.territory.models import Territory


def capability_required(*capabilities: str):
    """The view is for users holding one of `capabilities` in their current scope; others get 403 (the area
    exists, it is not theirs)."""
    unknown = set(capabilities) - set(CAPABILITIES)
    if unknown:
        raise LookupError(f"undefined capabilities {sorted(unknown)}")

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not any(request.user.can(capability) for capability in capabilities):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.capabilities = frozenset(capabilities)
        return wrapped

    return decorator


def territory_for_new(user, capability: str) -> Territory | None:
    """The territory a new row goes to (a place, an employer, a commission): the first where the user holds the
    capability. A person keeps one territory's (their structure's); more than one is an instance serving a group of
    PLIE, where each team keeps its own."""
    return Territory.objects.filter(pk__in=territory_ids_with(user, capability)).order_by("pk").first()
