"""The candidacies' pages: a referent puts a person forward from their file, the officer presents them, the referent
records the hire; a bad form names its field; each person shown is logged; who is refused; query counts pinned."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AccessLog
from parcours.employers.models import Candidacy, JobOffer
from parcours.employers.services import candidacy_decide, candidacy_propose
from tests import factories
from tests.conftest import VerifiedClient

pytestmark = pytest.mark.django_db


def _client(user) -> VerifiedClient:
    client = VerifiedClient()
    client.force_login(user)
    return client


@pytest.fixture
def offer(territory, officer):
    employer = factories.EmployerFactory(territory=territory, created_by=officer, name="Propreté Volcans")
    return JobOffer.objects.create(employer=employer, created_by=officer, title="Agent·e d'entretien",
                                   contract_type="cdi", hours_per_week=Decimal("35"),
                                   opens_on=timezone.localdate() - datetime.timedelta(days=3))


@pytest.fixture
def pathway(operator, referent):
    return factories.PathwayFactory(active=True, operator=operator, referent=referent)


def test_from_the_file_to_the_hire(offer, pathway, referent, officer):
    client = _client(referent)
    page = client.get(reverse("pathways:pathway_detail", args=[pathway.pk])).content.decode()
    assert f"{reverse('employers:offer_list')}?pathway={pathway.pk}" in page
    page = client.get(reverse("employers:offer_list"), {"pathway": pathway.pk}).content.decode()
    assert f"?pathway={pathway.pk}" in page and "Agent·e d&#x27;entretien" in page
    page = client.get(reverse("employers:offer_detail", args=[offer.pk]), {"pathway": pathway.pk}).content.decode()
    assert "Positionner sur l'offre" in page
    response = client.post(reverse("employers:candidacy_propose", args=[offer.pk, pathway.pk]),
                           {"comment": "Motivée, permis B"})
    candidacy = Candidacy.objects.get()
    assert response.status_code == 302 and response.url == reverse("employers:candidacy_detail", args=[candidacy.pk])

    officer_client = _client(officer)
    page = officer_client.get(reverse("employers:offer_detail", args=[offer.pk])).content.decode()
    assert str(pathway.participant) in page
    response = officer_client.post(reverse("employers:candidacy_decide", args=[candidacy.pk, "present"]), {})
    assert response.status_code == 302
    page = officer_client.get(reverse("employers:candidacy_detail", args=[candidacy.pk])).content.decode()
    assert 'action="' + reverse("employers:candidacy_decide", args=[candidacy.pk, "hire"]) not in page

    response = client.post(reverse("employers:candidacy_decide", args=[candidacy.pk, "hire"]),
                           {"hire-on": timezone.localdate().isoformat()})
    candidacy.refresh_from_db()
    assert response.status_code == 302 and candidacy.status == "hired" and candidacy.step_id is not None
    page = client.get(reverse("pathways:pathway_detail", args=[pathway.pk])).content.decode()
    assert "Positionnements sur des offres d" in page and reverse("employers:candidacy_detail",
                                                                  args=[candidacy.pk]) in page
    screens = set(AccessLog.objects.filter(participant_id=pathway.participant_id).values_list("screen", flat=True))
    assert {"job_offer_list", "job_offer_propose", "job_offer_candidacies", "candidacy"} <= screens


def test_a_bad_decision_names_its_field_and_changes_nothing(offer, pathway, referent, officer):
    candidacy = candidacy_propose(offer=offer, pathway=pathway, by=referent)
    candidacy_decide(candidacy=candidacy, name="present", by=officer)
    response = _client(officer).post(reverse("employers:candidacy_decide", args=[candidacy.pk, "refuse"]),
                                     {"refuse-reason": ""})
    assert response.status_code == 400
    assert "Motif" in response.content.decode()
    response = _client(referent).post(reverse("employers:candidacy_decide", args=[candidacy.pk, "hire"]),
                                      {"hire-on": (timezone.localdate() + datetime.timedelta(days=4)).isoformat()})
    assert response.status_code == 400 and "ne peut pas être dans le futur" in response.content.decode()
    assert Candidacy.objects.get(pk=candidacy.pk).status == "presented"


def test_a_referent_of_another_structure_sees_nothing_of_the_candidacy(territory, offer, pathway, referent):
    candidacy = candidacy_propose(offer=offer, pathway=pathway, by=referent)
    other = factories.UserFactory(membership=(factories.OrganisationFactory(territory=territory, operator=True),
                                              "referent"))
    client = _client(other)
    assert client.get(reverse("employers:candidacy_detail", args=[candidacy.pk])).status_code == 404
    page = client.get(reverse("employers:offer_detail", args=[offer.pk])).content.decode()
    assert str(pathway.participant) not in page
    assert client.get(reverse("employers:offer_detail", args=[offer.pk]), {"pathway": pathway.pk}).status_code == 404
    assert client.post(reverse("employers:candidacy_propose", args=[offer.pk, pathway.pk]), {}).status_code == 404


def test_a_prescriber_is_refused(offer, pathway, referent, prescriber):
    candidacy = candidacy_propose(offer=offer, pathway=pathway, by=referent)
    client = _client(prescriber)
    assert client.get(reverse("employers:candidacy_detail", args=[candidacy.pk])).status_code == 403
    assert client.post(reverse("employers:candidacy_decide", args=[candidacy.pk, "withdraw"]),
                       {"withdraw-withdrawal": "x"}).status_code == 403


@pytest.mark.parametrize("name", ["offer_detail", "candidacy_detail"])
def test_the_pages_cost_the_same_at_two_volumes(name, offer, pathway, referent, officer, operator,
                                                django_assert_num_queries):
    candidacy = candidacy_propose(offer=offer, pathway=pathway, by=referent)
    client = _client(officer)
    url = (reverse("employers:offer_detail", args=[offer.pk]) if name == "offer_detail"
           else reverse("employers:candidacy_detail", args=[candidacy.pk]))
    client.get(url)
    # session, user, memberships, the offer, the candidacies' count, rows and their access-log insert (offer);
    # the candidacy with its offer and person, whether the user opens the file, the log and the access-log row
    pins = {"offer_detail": 7, "candidacy_detail": 6}
    with django_assert_num_queries(pins[name]):
        assert client.get(url).status_code == 200
    for _index in range(20):
        other = factories.PathwayFactory(active=True, operator=operator, referent=referent)
        done = candidacy_propose(offer=offer, pathway=other, by=referent)
        candidacy_decide(candidacy=done, name="present", by=officer)
    candidacy_decide(candidacy=candidacy, name="present", by=officer)
    candidacy_decide(candidacy=candidacy, name="interview", by=officer, data={"on": timezone.localdate()})
    with django_assert_num_queries(pins[name]):
        assert client.get(url).status_code == 200
