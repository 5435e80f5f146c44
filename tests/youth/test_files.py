"""The young person's file (docs/youth.md): first reception at the desk with its duplicate check, the file's page
for reception and advisers, events with explicit back-dating, situations, support themes; the rules in the
services, the refusals named in French, the PLIE and the Mission Locale unable to see each other's people."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from parcours.audit.models import AccessLog, AuditEvent
from parcours.core.concurrency import StaleObjectError
from parcours.participants.models import Participant
from parcours.youth.enums import SiteKind
from parcours.youth.models import SchemeEnrolment, YouthEvent, YouthFile, YouthSituation, YouthSupport
from parcours.youth.services import (
    YouthDuplicates, youth_event_record, youth_file_receive, youth_file_update, youth_situation_end,
    youth_situation_record, youth_support_close, youth_support_open,
)
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def years_ago(years: int, days: int = 0) -> datetime.date:
    return TODAY.replace(year=TODAY.year - years) - datetime.timedelta(days=days) if not (
        TODAY.month == 2 and TODAY.day == 29) else datetime.date(TODAY.year - years, 2, 28)


@pytest.fixture
def mission_locale(territory):
    return factories.OrganisationFactory(territory=territory, prescriber=True, name="Mission Locale")


@pytest.fixture
def adviser(mission_locale):
    return factories.UserFactory(membership=(mission_locale, "youth_adviser"), first_name="Inès", last_name="Conseil")


@pytest.fixture
def desk(mission_locale):
    return factories.UserFactory(membership=(mission_locale, "youth_reception"))


@pytest.fixture
def antenna(territory):
    return factories.SiteFactory(territory=territory)


def person(**values):
    return {"last_name": "Lefèvre", "first_name": "Noa", "birth_name": "", "sex": "M", "birth_date": years_ago(19),
            "phone": "", "email": "", "address": "", "postal_code": "", "commune": None, "qpv": None,
            "education_level": "", **values}


def receive(territory, by, **values):
    return youth_file_receive(by=by, territory=territory, person=person(**values.pop("person", {})),
                              first_reception_date=values.pop("on", TODAY),
                              values={"reception_reason": "employment", "referral_source": "self", **values})


@pytest.fixture
def file(territory, desk, adviser):
    return receive(territory, desk, adviser=adviser)


# --- first reception ----------------------------------------------------------------------------------------------

def test_a_first_reception_makes_the_person_and_the_file_with_its_audit_row(territory, desk, adviser, antenna):
    youth_file = receive(territory, desk, adviser=adviser, antenna=antenna)
    assert youth_file.participant.territory == territory and youth_file.participant.last_name == "Lefèvre"
    assert youth_file.received_by == desk and youth_file.adviser == adviser and youth_file.antenna == antenna
    assert youth_file.youth_ref.startswith("J-")
    assert AuditEvent.objects.filter(action="youth_file_receive", participant_id=youth_file.participant_id).exists()


@pytest.mark.parametrize(("birth", "message"), [
    (years_ago(15), "ce jeune a 15 ans"), (years_ago(26), "ce jeune a 26 ans")])
def test_a_person_outside_the_ages_of_the_mission_locale_is_refused(territory, desk, birth, message):
    with pytest.raises(ValidationError) as refused:
        receive(territory, desk, person={"birth_date": birth})
    assert message in refused.value.message_dict["birth_date"][0]
    assert not Participant.objects.exists()


def test_the_last_day_before_26_is_still_received(territory, desk):
    assert receive(territory, desk, person={"birth_date": years_ago(26, days=-1)}).pk


def test_a_reception_in_the_future_is_refused(territory, desk):
    with pytest.raises(ValidationError) as refused:
        receive(territory, desk, on=TODAY + datetime.timedelta(days=1))
    assert "first_reception_date" in refused.value.message_dict


def test_a_duplicate_is_refused_until_a_homonym_is_confirmed(territory, desk, file):
    with pytest.raises(YouthDuplicates) as found:
        receive(territory, desk, person={"last_name": "LEFEVRE", "first_name": "noa"})
    assert found.value.files == [file]
    second = youth_file_receive(by=desk, territory=territory, person=person(), first_reception_date=TODAY,
                                values={}, homonym_confirmed=True)
    assert second.pk != file.pk and YouthFile.objects.count() == 2


def test_a_plie_participant_of_the_same_name_is_no_duplicate_of_the_mission_locale(territory, desk):
    factories.PathwayFactory(participant=factories.ParticipantFactory(
        territory=territory, last_name="Lefèvre", first_name="Noa", birth_date=years_ago(19)), active=True)
    assert receive(territory, desk).pk   # the PLIE's people are not the Mission Locale's to see


def test_an_adviser_of_another_structure_kind_or_territory_is_refused(territory, desk, referent):
    with pytest.raises(ValidationError) as refused:
        receive(territory, desk, adviser=referent)
    assert "n'est pas conseiller·ère de la Mission Locale" in refused.value.message_dict["adviser"][0]


def test_a_permanence_is_no_antenna(territory, desk):
    permanence = factories.SiteFactory(territory=territory, code="champratel", name="Champratel",
                                       kind=SiteKind.PERMANENCE)
    with pytest.raises(ValidationError) as refused:
        receive(territory, desk, antenna=permanence)
    assert refused.value.message_dict["antenna"] == ["Antenne : ce lieu n'est pas une antenne."]


# --- the file -----------------------------------------------------------------------------------------------------

def test_an_update_on_an_old_version_is_stale_and_writes_nothing(file, adviser):
    youth_file_update(by=adviser, youth_file=file, person={"phone": "+33612345678"}, values={"adviser": adviser},
                      version=1)
    with pytest.raises(StaleObjectError):
        youth_file_update(by=adviser, youth_file=YouthFile.objects.get(pk=file.pk), person={"phone": ""},
                          values={"adviser": None}, version=1)
    file.refresh_from_db()
    assert file.version == 2 and file.participant.phone == "+33612345678" and file.adviser == adviser


def test_an_event_before_today_needs_the_backdating_confirmed(file, adviser):
    yesterday = TODAY - datetime.timedelta(days=1)
    file.first_reception_date = yesterday - datetime.timedelta(days=10)
    file.save()
    with pytest.raises(ValidationError) as refused:
        youth_event_record(by=adviser, youth_file=file, day=yesterday, kind="phone")
    assert "backdated" in refused.value.message_dict
    event = youth_event_record(by=adviser, youth_file=file, day=yesterday, kind="phone", backdated_confirmed=True,
                               summary="  Rappel du jeune ")
    assert event.author == adviser and event.summary == "Rappel du jeune" and event.event_ref.startswith("E-")
    assert youth_event_record(by=adviser, youth_file=file, day=TODAY, kind="individual_interview").pk


@pytest.mark.parametrize(("day", "field"), [(TODAY + datetime.timedelta(days=1), "date"),
                                            (TODAY - datetime.timedelta(days=400), "date")])
def test_an_event_in_the_future_or_before_the_first_reception_is_refused(file, adviser, day, field):
    with pytest.raises(ValidationError) as refused:
        youth_event_record(by=adviser, youth_file=file, day=day, kind="phone", backdated_confirmed=True)
    assert field in refused.value.message_dict
    assert not YouthEvent.objects.exists()


def test_an_employment_needs_its_contract_and_an_immersion_its_aim(file, adviser):
    with pytest.raises(ValidationError) as refused:
        youth_situation_record(by=adviser, youth_file=file, category="employment", start_date=TODAY)
    assert "contract_type" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        youth_situation_record(by=adviser, youth_file=file, category="pmsmp", start_date=TODAY)
    assert "pmsmp_aim" in refused.value.message_dict
    situation = youth_situation_record(by=adviser, youth_file=file, category="pmsmp", start_date=TODAY,
                                       pmsmp_aim="discover_trade", contract_type="cdi")
    assert situation.contract_type == ""   # a contract belongs to an employment only
    with pytest.raises(ValidationError):
        youth_situation_end(by=adviser, situation=situation, end_date=TODAY - datetime.timedelta(days=1))
    youth_situation_end(by=adviser, situation=situation, end_date=TODAY + datetime.timedelta(days=14))
    assert YouthSituation.objects.get().end_date == TODAY + datetime.timedelta(days=14)


def test_a_support_theme_is_open_once_and_closes_after_its_opening(file, adviser):
    support = youth_support_open(by=adviser, youth_file=file, theme="housing", opened_on=TODAY)
    with pytest.raises(ValidationError) as refused:
        youth_support_open(by=adviser, youth_file=file, theme="housing", opened_on=TODAY)
    assert refused.value.message_dict["theme"] == ["Thème : ce thème est déjà ouvert pour ce jeune."]
    with pytest.raises(ValidationError):
        youth_support_close(by=adviser, support=support, closed_on=TODAY - datetime.timedelta(days=1))
    youth_support_close(by=adviser, support=support, closed_on=TODAY)
    with pytest.raises(ValidationError):
        youth_support_close(by=adviser, support=support, closed_on=TODAY)
    assert youth_support_open(by=adviser, youth_file=file, theme="housing", opened_on=TODAY).pk
    assert YouthSupport.objects.count() == 2


# --- pages --------------------------------------------------------------------------------------------------------

def _reception_post(**values):
    return {"last_name": "Martin", "first_name": "Lina", "sex": "F", "birth_date": years_ago(18).isoformat(),
            "phone": "06 12 34 56 78", "first_reception_date": TODAY.isoformat(), "reception_reason": "training",
            "referral_source": "school", **values}


def test_the_desk_records_a_first_reception_and_reads_only_the_identity(client, desk, adviser):
    client.force_login(desk)
    response = client.post(reverse("youth:reception"), _reception_post(adviser=adviser.pk))
    youth_file = YouthFile.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("youth:file_detail", args=[youth_file.pk])
    assert youth_file.participant.phone == "+33612345678"
    html = client.get(response["Location"]).content.decode()
    assert "MARTIN Lina" in html and "Inès Conseil" in html and "se former, s&#x27;orienter" in html
    assert "Événements" not in html and "Modifier le dossier" not in html
    assert AccessLog.objects.filter(participant_id=youth_file.participant_id, screen="youth_file").exists()
    for name in ("youth:event_add", "youth:file_edit", "youth:situation_add", "youth:support_open"):
        assert client.post(reverse(name, args=[youth_file.pk]), {}).status_code == 403


def test_the_reception_form_shows_the_existing_file_and_names_the_checkbox(client, desk, file):
    client.force_login(desk)
    data = _reception_post(last_name="Lefevre", first_name="Noa", birth_date=file.participant.birth_date.isoformat())
    response = client.post(reverse("youth:reception"), data)
    html = response.content.decode()
    assert response.status_code == 400 and reverse("youth:file_detail", args=[file.pk]) in html
    assert "Un dossier existe déjà pour ce nom et cette date de naissance" in html
    assert YouthFile.objects.count() == 1
    assert AccessLog.objects.filter(participant_id=file.participant_id, screen="youth_reception_duplicates").exists()


def test_a_bad_birth_date_is_refused_with_the_field_named(client, desk):
    client.force_login(desk)
    response = client.post(reverse("youth:reception"), _reception_post(birth_date=years_ago(30).isoformat()))
    assert response.status_code == 400
    assert "la Mission Locale accueille les jeunes de 16 à 25 ans" in response.content.decode()
    assert not Participant.objects.exists()


def test_the_adviser_writes_an_event_a_situation_and_a_theme_from_the_file(client, adviser, file):
    client.force_login(adviser)
    url = reverse("youth:file_detail", args=[file.pk])
    assert client.post(reverse("youth:event_add", args=[file.pk]), {
        "event-date": TODAY.isoformat(), "event-kind": "individual_interview", "event-duration_minutes": "45",
        "event-summary": "Projet : aide-soignante."})["Location"] == url
    assert client.post(reverse("youth:situation_add", args=[file.pk]), {
        "situation-category": "employment", "situation-start_date": TODAY.isoformat(),
        "situation-contract_type": "cdd"})["Location"] == url
    assert client.post(reverse("youth:support_open", args=[file.pk]), {
        "support-theme": "mobility", "support-opened_on": TODAY.isoformat()})["Location"] == url
    html = client.get(url).content.decode()
    assert "Projet : aide-soignante." in html and "Saisi par Inès Conseil" in html
    assert "CDD" in html and "Mobilité" in html


def test_a_backdated_event_without_its_box_is_given_back_with_the_field_named(client, adviser, file):
    file.first_reception_date = TODAY - datetime.timedelta(days=30)
    file.save()
    client.force_login(adviser)
    response = client.post(reverse("youth:event_add", args=[file.pk]), {
        "event-date": (TODAY - datetime.timedelta(days=3)).isoformat(), "event-kind": "phone"})
    assert response.status_code == 400
    assert "cochez la case pour confirmer la date" in response.content.decode()
    assert not YouthEvent.objects.exists()


def test_the_list_opens_on_the_advisers_own_young_people_and_searches_by_post(client, adviser, file, territory):
    other = factories.YouthFileFactory(participant__territory=territory, participant__last_name="Zidane",
                                       participant__first_name="Paul")
    client.force_login(adviser)
    html = client.get(reverse("youth:file_list")).content.decode()
    assert "LEFÈVRE Noa" in html and "ZIDANE" not in html
    html = client.get(reverse("youth:file_list"), {"adviser": "all"}).content.decode()
    assert "ZIDANE Paul" in html
    found = client.post(reverse("youth:file_list"), {"q": "zidane", "adviser": "all"}).content.decode()
    assert "ZIDANE Paul" in found and "LEFÈVRE" not in found
    assert AccessLog.objects.filter(participant_id=other.participant_id, screen="youth_file_list").exists()


def test_the_edit_form_gives_a_stale_save_back(client, adviser, file):
    client.force_login(adviser)
    url = reverse("youth:file_edit", args=[file.pk])
    data = {"version": "1", "last_name": "Lefèvre", "first_name": "Noa", "sex": "M",
            "birth_date": file.participant.birth_date.isoformat(), "phone": "0612345678", "adviser": adviser.pk}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "phone": "0699999999"})
    assert response.status_code == 400
    file.participant.refresh_from_db()
    assert file.participant.phone == "+33612345678"


def test_the_plie_and_the_mission_locale_do_not_see_each_others_people(client, file, adviser, coordinator,
                                                                       referent, operator):
    plie_person = factories.PathwayFactory(active=True, operator=operator, referent=referent,
                                           participant__last_name="Pliard", participant__first_name="Jo")
    client.force_login(coordinator)
    for name in ("youth:file_list", "youth:reception"):
        assert client.get(reverse(name)).status_code == 403
    assert client.get(reverse("youth:file_detail", args=[file.pk])).status_code == 403
    assert "Lefèvre" not in client.post(reverse("pathways:caseload"), {"q": "lefevre", "state": "all"}
                                         ).content.decode()
    client.force_login(adviser)
    assert client.get(reverse("pathways:caseload")).status_code == 403
    assert client.get(reverse("pathways:pathway_detail", args=[plie_person.pk])).status_code == 403
    assert "Pliard" not in client.post(reverse("youth:file_list"), {"q": "pliard", "adviser": "all"}
                                        ).content.decode()


def test_another_territorys_adviser_gets_404(client, file):
    elsewhere = factories.OrganisationFactory(territory=factories.TerritoryFactory(name="Ailleurs"), prescriber=True,
                                              name="Mission Locale d'ailleurs")
    client.force_login(factories.UserFactory(membership=(elsewhere, "youth_adviser")))
    assert client.get(reverse("youth:file_detail", args=[file.pk])).status_code == 404
    assert client.post(reverse("youth:event_add", args=[file.pk]), {}).status_code == 404


# --- query counts -------------------------------------------------------------------------------------------------

THEMES = ["health", "housing", "mobility", "justice", "childcare"]


def _grow(file, adviser, territory, start: int, more: int) -> None:
    for index in range(start, start + more):
        factories.YouthFileFactory(participant__territory=territory, adviser=adviser)
        youth_event_record(by=adviser, youth_file=file, day=TODAY, kind="phone", summary=f"Appel {index}")
        youth_situation_record(by=adviser, youth_file=file, category="training", start_date=TODAY)
        youth_support_open(by=adviser, youth_file=file, theme=THEMES[index], opened_on=TODAY)
        SchemeEnrolment.objects.create(territory=territory, scheme_ref=f"PPAE-{index}", youth_file=file, scheme="ppae",
                                       start_date=TODAY, end_date=TODAY, exit_situation="other", status="ended")


@pytest.mark.parametrize(("name", "user", "method", "pinned"), [
    # session, user, memberships, the territory, its advisers, count, page, the people logged: none per row
    ("youth:file_list", "adviser", "get", 8),
    ("youth:file_list", "adviser", "post", 8),
    ("youth:file_list", "desk", "get", 8),
    # the file, its access-log row, the full-read check, one query per block (themes, situations, schemes, aids,
    # workshops, events' count and page) and the forms' sites; reception reads the first three only
    ("youth:file_detail", "adviser", "get", 17),   # +1 the immersions' follow-ups (prefetched)
    ("youth:file_detail", "desk", "get", 5),
    ("youth:file_edit", "adviser", "get", 9),
    ("youth:reception", "desk", "get", 9),
])
def test_the_pages_cost_the_same_queries_at_one_and_five_rows(client, django_assert_num_queries, territory, adviser,
                                                              desk, file, name, user, method, pinned):
    client.force_login({"adviser": adviser, "desk": desk}[user])
    url = reverse(name, args=[file.pk]) if name in ("youth:file_detail", "youth:file_edit") else reverse(name)
    data = {"q": "a", "adviser": "all"} if method == "post" else {}
    for start, more in ((0, 1), (1, 4)):
        _grow(file, adviser, territory, start, more)
        with django_assert_num_queries(pinned):
            getattr(client, method)(url, data)
