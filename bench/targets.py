"""Who the virtual case workers are and which pages they open (run inside Django by bench/measure.py).

    build_targets(n_users, password) -> {"users": [{"email", "pages": [(name, path), …], "totp_key"?}],
                                         "solo": {…}, "login_path", "bare_path"}

Most virtual users are referents of the demo data (the ones with the largest caseloads, whatever their territory):
their home, their caseload, files of their own participants, and the agenda of their territory's next commission.
One in ten is a member of the demo PLIE's animation team (home, the whole PLIE's caseload, any file of the PLIE, the
agenda, the indicators page). At scale the data set holds several PLIE (demo/generator.py): each sees only its own. The team's roles
must sign in with a second factor: the benchmark gives each team virtual user its own bench account in the PLIE
with a confirmed TOTP device whose key is handed to the load generator, which then passes the real second step
(bench/loadgen.py computes the codes, RFC 6238). A TOTP code is accepted once per 30-second step and per device, so
the team accounts are not shared between virtual users. These accounts exist only in the benchmark's databases.
"""

from __future__ import annotations

import secrets

from django.contrib.auth.hashers import make_password
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from parcours.plie.commissions.models import Commission
from parcours.organisations.enums import OrganisationKind, Role
from parcours.organisations.models import Membership, Organisation, User
from parcours.plie.enums import PathwayStatus
from parcours.pathways.models import Pathway

FILES_PER_USER = 8
TEAM_SHARE = 10          # one virtual user in ten is of the animation team
BENCH_DOMAIN = "banc.parcours.invalid"
IN_PLIE = (PathwayStatus.ACTIVE, PathwayStatus.FOLLOWUP)


def _agenda_path(territory_id: int) -> str | None:
    """The next planned commission of the territory (its agenda), else the latest one."""
    today = timezone.localdate()
    commissions = Commission.objects.filter(territory_id=territory_id)
    commission = (commissions.filter(date__gte=today).order_by("date").first()
                  or commissions.order_by("-date").first())
    return reverse("commissions:commission_detail", args=[commission.pk]) if commission else None


def _team_account(plie: Organisation, index: int, password_hash: str) -> tuple[User, str]:
    user, _created = User.objects.update_or_create(
        email=f"equipe{index}@{BENCH_DOMAIN}",
        defaults={"first_name": "Banc", "last_name": f"Équipe {index}", "password": password_hash,
                  "is_active": True})
    Membership.objects.get_or_create(user=user, organisation=plie, role=Role.COORDINATOR)
    key = secrets.token_hex(20)
    TOTPDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(user=user, name="Banc", key=key, confirmed=True)
    return user, key


def build_targets(n_users: int, password: str) -> dict:
    n_team = max(1, n_users // TEAM_SHARE)
    n_referents = n_users - n_team
    home, caseload = reverse("web:home"), reverse("pathways:caseload")

    plie = Organisation.objects.filter(kind=OrganisationKind.PLIE).order_by("pk").first()
    agenda = _agenda_path(plie.territory_id)
    agendas = {plie.territory_id: agenda}
    busiest = list(Pathway.objects.filter(status__in=IN_PLIE, referent__isnull=False).values("referent")
                   .annotate(caseload=Count("pk")).order_by("-caseload", "referent")
                   .values_list("referent", flat=True)[:n_referents])
    if not busiest:
        raise SystemExit("no referent has a caseload: generate the demo data first (parcours demo-data)")
    emails = dict(User.objects.filter(pk__in=busiest).values_list("pk", "email"))
    territory_of = dict(Membership.objects.filter(user_id__in=busiest, role=Role.REFERENT)
                        .values_list("user_id", "organisation__territory_id"))

    users = []
    for index in range(n_referents):
        # A small data set has fewer referents than virtual users: then some accounts are used twice.
        referent = busiest[index % len(busiest)]
        files = list(Pathway.objects.filter(referent_id=referent, status__in=IN_PLIE)
                     .order_by("pk").values_list("pk", flat=True)[:FILES_PER_USER])
        pages = [("home", home), ("caseload", caseload)]
        pages += [("participant_file", reverse("pathways:pathway_detail", args=[pk])) for pk in files]
        territory = territory_of[referent]
        if territory not in agendas:
            agendas[territory] = _agenda_path(territory)
        if agendas[territory]:
            pages.append(("commission_agenda", agendas[territory]))
        users.append({"email": emails[referent], "pages": pages})

    password_hash = make_password(password)
    any_files = list(Pathway.objects.filter(participant__territory_id=plie.territory_id, status__in=IN_PLIE)
                     .order_by("-pk").values_list("pk", flat=True)[:FILES_PER_USER * n_team])
    for index in range(n_team):
        user, key = _team_account(plie, index, password_hash)
        files = any_files[index * FILES_PER_USER:(index + 1) * FILES_PER_USER]
        pages = [("home", home), ("caseload", caseload), ("indicators", reverse("reporting:indicators"))]
        pages += [("participant_file", reverse("pathways:pathway_detail", args=[pk])) for pk in files]
        if agenda:
            pages.append(("commission_agenda", agenda))
        users.append({"email": user.email, "pages": pages, "totp_key": key})
    # A separate team account for the unloaded pass (a TOTP code is accepted once per step and per device).
    solo, key = _team_account(plie, n_team, password_hash)
    solo_pages = [("home", home), ("caseload", caseload), ("indicators", reverse("reporting:indicators"))]
    solo_pages += [(name, path) for name, path in users[-1]["pages"] if name in ("participant_file", "commission_agenda")]
    return {"users": users, "solo": {"email": solo.email, "pages": solo_pages, "totp_key": key},
            "login_path": reverse("web:login"), "bare_path": reverse("web:health")}
