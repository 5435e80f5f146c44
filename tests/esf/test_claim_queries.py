"""The claim pages cost a fixed number of queries: measured with one claim (one sampled item, its log, one
referent), then with five of each (tests/performance/test_query_counts.py points here)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from parcours.esf import services
from parcours.esf.models import ReferentCost
from tests import factories
from tests.esf.test_claim_workflow import END, START, YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(territory, plie, operator):
    operation = factories.OperationFactory(beneficiary=operator, start_date=START, end_date=END)
    return {"territory": territory, "operator": operator, "operation": operation, "n": 0,
            "officer": factories.UserFactory(membership=(operator, "financial_officer")),
            "controller": factories.UserFactory(membership=(plie, "esf_controller"))}


def _grow(world, count: int) -> None:
    """`count` more referents, each with a participant and an hour, and `count` more claims (one day each)."""
    for _ in range(count):
        world["n"] += 1
        n = world["n"]
        referent = factories.UserFactory(email=f"ref{n}@example.org", membership=(world["operator"], "referent"))
        pathway = factories.PathwayFactory(participant__territory=world["territory"], active=True,
                                           operator=world["operator"], referent=referent)
        factories.AppointmentFactory(pathway=pathway, date=datetime.date(YEAR, 3, 1), duration_minutes=60)
        factories.ParticipationFactory(participant=pathway.participant, operation=world["operation"],
                                       entry_date=START)
        ReferentCost.objects.create(territory=world["territory"], referent=referent, year=YEAR,
                                    annual_gross_cost=Decimal("43000"), work_time_share=Decimal("1"))
        day = datetime.date(YEAR, 12, n)
        services.claim_create(operation=world["operation"], by=world["officer"], date_from=day, date_to=day)


def _the_claim(world):
    """The claim under control over January–November, with a sample of all its participants."""
    claim = world.get("claim")
    if claim is None:
        claim = services.claim_create(operation=world["operation"], by=world["officer"], date_from=START,
                                      date_to=datetime.date(YEAR, 11, 30))
        claim = services.claim_transition(claim=claim, name="submit", by=world["officer"])
        claim = services.claim_transition(claim=claim, name="take", by=world["controller"])
        world["claim"] = claim
    return claim


PAGES = {
    # session, user, memberships; the operation (scoped), the claims' count and page; whether the user claims for it
    "esf:claim_list": ("officer", lambda w: {"pk": w["operation"].pk}, 7),
    # session, user, memberships, the operation (scoped)
    "esf:claim_create": ("officer", lambda w: {"pk": w["operation"].pk}, 4),
    # session, user, memberships; the claim (scoped, with its operation, beneficiary and author), the sample with
    # its participations and controllers, the log with its actors (the buttons' policy reads the memberships held)
    "esf:claim_detail": ("controller", lambda w: {"pk": _the_claim(w).pk}, 6),
    # session, user, memberships, the claim
    "esf:claim_act": ("controller", lambda w: {"pk": _the_claim(w).pk, "name": "request_corrections"}, 4),
    # the claim, its sample and its log, as on the page
    "esf:claim_export": ("controller", lambda w: {"pk": _the_claim(w).pk}, 6),
    "esf:claim_pdf": ("controller", lambda w: {"pk": _the_claim(w).pk}, 6),
}


REDRAWN = ("esf:claim_detail", "esf:claim_export", "esf:claim_pdf", "esf:claim_act")


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_claim_pages_do_not_grow(client, world, name, django_assert_num_queries):
    role, kwargs, expected = PAGES[name]
    _grow(world, 1)
    url = reverse(name, kwargs=kwargs(world))
    if name in REDRAWN:
        _redraw(world)
    client.force_login(world[role])
    assert client.get(url).status_code == 200     # warm the per-process caches
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    _grow(world, 4)
    if name in REDRAWN:
        _redraw(world)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def _redraw(world) -> None:
    """The sample of every participant counted (and a log row more at each measure: corrections, resubmission)."""
    from parcours.esf.models import ClaimSampleItem

    claim = _the_claim(world)
    ClaimSampleItem.objects.filter(claim=claim).delete()
    claim.sample_seed = claim.sample_size = None
    claim.save()
    services.claim_sample_draw(claim=claim, by=world["controller"], size=world["n"], seed=1)
