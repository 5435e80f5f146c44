"""Administration of the PLIE: its rules, structures, accounts and roles (administrators only)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcours.core.french import of_name
from parcours.accounts import twofactor
from parcours.accounts.mail import account_invitation_send, twofactor_reset
from parcours.accounts.sessions import reauth_moment
from parcours.organisations.access import administered_territory_ids
from parcours.organisations.capabilities import ADMINISTRATION_MANAGE
from parcours.organisations.models import Membership, MembershipGrantRequest, Organisation, User
from parcours.organisations.selectors import grant_requests_pending
from parcours.organisations.services import (
    ReauthenticationRequired, membership_end, membership_grant, membership_grant_cancel, membership_grant_confirm,
    membership_grant_refuse, organisation_save, user_save,
)
from parcours.programmes.models import Programme
from parcours.programmes.services import programme_configure
from parcours.territory.models import Territory

from ..form_errors import validation_error_apply
from ..permissions import capability_required
from ..submission import submit_once
from .forms import MembershipForm, NewUserForm, OrganisationForm, ProgrammeRulesForm, SearchForm, UserForm

admin_only = capability_required(ADMINISTRATION_MANAGE)
PAGE_SIZE = 50


def _territories(request):
    return Territory.objects.filter(pk__in=administered_territory_ids(request.user))


def _reauthenticate(request, back: str):
    """To the re-authentication page, then back to `back` (a POST cannot be replayed: the user clicks again)."""
    messages.info(request, _("Ce rôle ouvre des données personnelles : confirmez votre identité, puis recommencez."))
    return redirect(f"{reverse('accounts:reauthenticate')}?{urlencode({'next': back})}")


def _report(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@admin_only
def overview(request):
    territories = _territories(request)
    organisations = (Organisation.objects.filter(territory__in=territories)
                     .annotate(members=Count("memberships", filter=Q(memberships__is_active=True)))
                     .order_by("kind", "name"))
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    programmes = Programme.objects.filter(territory__in=territories).select_related("territory")
    grant_requests = grant_requests_pending(territory_ids=administered_territory_ids(request.user))
    return render(request, "administration/overview.html",
                  {"programmes": programmes, "page": page, "grant_requests": grant_requests})


@admin_only
def programme_rules(request, pk: int):
    programme = get_object_or_404(Programme.objects.filter(territory__in=_territories(request))
                                  .select_related("territory"), pk=pk)
    form = ProgrammeRulesForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            programme_configure(programme=programme, by=request.user, values=dict(form.cleaned_data))
        except ValidationError as error:
            validation_error_apply(form, error)
        else:
            messages.success(request, _("Les règles du dispositif sont enregistrées."))
            return redirect("administration:overview")
    return render(request, "administration/programme_rules.html", {"programme": programme, "form": form})


@admin_only
@submit_once
def organisation_edit(request, pk: int | None = None):
    territories = _territories(request)
    instance = get_object_or_404(Organisation.objects.filter(territory__in=territories), pk=pk) if pk else None
    form = OrganisationForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        organisation = form.save(commit=False)
        if instance is None:
            organisation.territory = territories.first()
        try:
            organisation_save(organisation=organisation, by=request.user)
        except ValidationError as error:
            validation_error_apply(form, error)
        else:
            messages.success(request, _("La structure « %(name)s » est enregistrée.") % {"name": organisation.name})
            return redirect("administration:overview")
    return render(request, "administration/organisation_form.html", {"form": form, "organisation": instance})


def _users_in_scope(request):
    territories = administered_territory_ids(request.user)
    return User.objects.filter(
        Q(memberships__organisation__territory_id__in=territories) | Q(memberships__isnull=True)
    ).distinct()


@admin_only
def user_list(request):
    """The list pages by GET; the search by POST (its page in the form), so that staff names stay out of URLs."""
    searching = request.method == "POST"
    form = SearchForm(request.POST if searching else None)
    users = _users_in_scope(request).order_by("last_name", "first_name")
    number = request.GET.get("page")
    if searching and form.is_valid():
        number = form.cleaned_data["page"]
        if q := form.cleaned_data["q"]:
            users = users.filter(Q(last_name__icontains=q) | Q(first_name__icontains=q) | Q(email__icontains=q))
    page = Paginator(users, PAGE_SIZE).get_page(number)
    memberships = (Membership.objects.filter(user__in=[u.pk for u in page], is_active=True)
                   .select_related("organisation").order_by("organisation__name"))
    by_user: dict[int, list] = {}
    for membership in memberships:
        by_user.setdefault(membership.user_id, []).append(membership)
    rows = [(user, by_user.get(user.pk, [])) for user in page]
    return render(request, "administration/user_list.html",
                  {"form": form, "page": page, "rows": rows, "searching": searching, "page_query": ""})


@admin_only
@submit_once
def user_edit(request, pk: int | None = None):
    instance = get_object_or_404(_users_in_scope(request), pk=pk) if pk else None
    form_class = UserForm if instance else NewUserForm
    form = form_class(request.POST or None, instance=instance)
    territory_ids = administered_territory_ids(request.user)
    membership_form = MembershipForm(territory_ids=territory_ids)
    if request.method == "POST" and form.is_valid():
        user = form.save(commit=False)
        try:
            user_save(user=user, by=request.user, password=form.cleaned_data.get("password"))
        except ValidationError as error:
            validation_error_apply(form, error)
        else:
            messages.success(request, _("Le compte %(of_name)s est enregistré.") % {"of_name": of_name(user.get_full_name())})
            if instance is None and not form.cleaned_data.get("password"):
                _invite(request, user)
            return redirect("administration:user_edit", pk=user.pk)
    memberships = (instance.memberships.filter(is_active=True).select_related("organisation")
                   .order_by("organisation__name", "role", "pk") if instance else Membership.objects.none())
    grant_requests = (grant_requests_pending(territory_ids=territory_ids, account_id=instance.pk) if instance
                      else MembershipGrantRequest.objects.none())
    return render(request, "administration/user_form.html", {
        "form": form, "account": instance, "memberships": memberships, "membership_form": membership_form,
        "grant_requests": grant_requests, "own_account": instance is not None and instance.pk == request.user.pk,
        "has_second_factor": instance is not None and twofactor.has_device(instance),
    })


def _invite(request, account: User) -> None:
    try:
        sent = account_invitation_send(user=account, by=request.user, base_url=request.build_absolute_uri("/"))
    except ValidationError as error:
        _report(request, error)
        return
    if sent:
        messages.success(request, _("Une invitation à choisir son mot de passe est envoyée à %(email)s.")
                         % {"email": account.email})
    else:
        messages.error(request, _("L'invitation n'a pas pu être envoyée (serveur de courriel indisponible) : "
                                  "réessayez plus tard, ou donnez un mot de passe provisoire."))


@admin_only
@require_POST
def user_invite(request, pk: int):
    """Send (again) the invitation to choose a password, to an account never signed in."""
    _invite(request, get_object_or_404(_users_in_scope(request), pk=pk))
    return redirect("administration:user_edit", pk=pk)


@admin_only
@require_POST
def user_twofactor_reset(request, pk: int):
    """A lost phone: the person's second factor removed, their sessions ended, an e-mail tells them."""
    account = get_object_or_404(_users_in_scope(request), pk=pk)
    back = reverse("administration:user_edit", args=[account.pk])
    try:
        sent = twofactor_reset(account=account, by=request.user, reauthenticated_at=reauth_moment(request))
    except ReauthenticationRequired:
        messages.info(request, _("Réinitialiser une double authentification : confirmez votre identité, puis "
                                 "recommencez."))
        return redirect(f"{reverse('accounts:reauthenticate')}?{urlencode({'next': back})}")
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("La double authentification est réinitialisée ; la personne en enregistrera une "
                                    "nouvelle à sa prochaine connexion.")
                         + ("" if sent else " " + _("Le courriel qui l'en informe n'a pas pu être envoyé.")))
    return redirect(back)


@admin_only
def membership_create(request, pk: int):
    account = get_object_or_404(_users_in_scope(request), pk=pk)
    form = MembershipForm(request.POST, territory_ids=administered_territory_ids(request.user))
    back = reverse("administration:user_edit", args=[account.pk])
    if request.method == "POST" and form.is_valid():
        role = form.cleaned_data["role"]
        try:
            granted = membership_grant(account=account, organisation=form.cleaned_data["organisation"], role=role,
                                       by=request.user, reauthenticated_at=reauth_moment(request))
        except ReauthenticationRequired:
            return _reauthenticate(request, back)
        except ValidationError as error:
            _report(request, error)
        else:
            if isinstance(granted, MembershipGrantRequest):
                messages.success(request, _("La demande est enregistrée : un·e autre administrateur·rice doit la "
                                            "confirmer pour que le rôle soit attribué."))
            else:
                messages.success(request, _("Le rôle est ajouté."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label} : {' '.join(errors)}" if label else " ".join(errors))
    return redirect("administration:user_edit", pk=account.pk)


@admin_only
def membership_remove(request, pk: int):
    membership = get_object_or_404(
        Membership.objects.filter(organisation__territory_id__in=administered_territory_ids(request.user), is_active=True), pk=pk)
    if request.method == "POST":
        try:
            membership_end(membership=membership, by=request.user)
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(request, _("Le rôle est retiré."))
    return redirect("administration:user_edit", pk=membership.user_id)


def _grant_request(request, pk: int) -> MembershipGrantRequest:
    """A pending request on a structure of the user's administered territories (others: 404)."""
    return get_object_or_404(grant_requests_pending(territory_ids=administered_territory_ids(request.user)), pk=pk)


@admin_only
def grant_request_confirm(request, pk: int):
    grant_request = _grant_request(request, pk)
    back = reverse("administration:user_edit", args=[grant_request.account_id])
    if request.method == "POST":
        try:
            membership_grant_confirm(grant_request=grant_request, by=request.user,
                                     reauthenticated_at=reauth_moment(request))
        except ReauthenticationRequired:
            return _reauthenticate(request, back)
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(request, _("La demande est confirmée : le rôle est attribué."))
    return redirect(back)


def _grant_request_close(request, pk: int, close, done: str):
    """Refuse or cancel a pending request (POST), then back to the account's page."""
    grant_request = _grant_request(request, pk)
    if request.method == "POST":
        try:
            close(grant_request=grant_request, by=request.user)
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(request, done)
    return redirect("administration:user_edit", pk=grant_request.account_id)


@admin_only
def grant_request_refuse(request, pk: int):
    return _grant_request_close(request, pk, membership_grant_refuse, _("La demande est refusée."))


@admin_only
def grant_request_cancel(request, pk: int):
    return _grant_request_close(request, pk, membership_grant_cancel, _("La demande est annulée."))
