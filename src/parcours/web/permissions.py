"""Role gates for whole areas of the interface (objects are scoped by organisations.access)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def roles_required(*roles: str):
    """The view is for users holding one of `roles`; others get 403 (the area exists, it is not theirs)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not (request.user.roles & set(roles)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
