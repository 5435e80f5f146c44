from django.conf import settings

from .navigation import menu_for


def parcours(request):
    user = getattr(request, "user", None)
    menu = menu_for(user) if user is not None and user.is_authenticated else []
    return {"demo_mode": settings.DEMO_MODE, "main_menu": menu, "scope": getattr(request, "scope", None)}
