from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache


@login_required
def home(request):
    return render(request, "web/home.html", {})


@never_cache
def health(request):
    """Liveness probe for load balancers; no database access, so it is also the framework's floor."""
    return HttpResponse("ok", content_type="text/plain")
