from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["demo_accounts"] = DEMO_ACCOUNTS if settings.DEMO_MODE else []
        context["demo_password"] = DEMO_PASSWORD
        return context


@login_required
def home(request):
    return render(request, "web/home.html", {})


@never_cache
def health(request):
    """Liveness probe for load balancers; no database access, so it is also the framework's floor."""
    return HttpResponse("ok", content_type="text/plain")
