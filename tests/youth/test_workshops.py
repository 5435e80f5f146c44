"""Workshops and information sessions (docs/youth.md): the catalogue, sessions with places, registrations from the
file and from the session, attendance marked in one form, the attendance sheet; each refusal named in French, each
write audited, each page showing a young person logged."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from parcours.audit.models import AccessLog, AuditEvent
from parcours.youth.models import Workshop, WorkshopRegistration, WorkshopSession, YouthEvent
from parcours.youth.selectors import youth_report
from parcours.youth.services import (
    workshop_attendance_mark, workshop_create, workshop_registration_create, workshop_session_plan, workshop_update,
)
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def mission_locale(territory):
    return factories.OrganisationFactory(territory=territory, prescriber=True, name="Mission Locale")


@pytest.fixture
def adviser(mission_locale):
    return factories.UserFactory(membership=(mission_locale, "youth_adviser"))


@pytest.fixture
def desk(mission_locale):
    return factories.UserFactory(membership=(mission_locale, "youth_reception"))


def values(**changes):
    return {"name": "Pass to Work", "kind": "workshop", "theme": "employment", "description": "", "run_by": "internal",
            "partner_name": "", "default_capacity": 2, "is_active": True, **changes}


@pytest.fixture
def workshop(territory, adviser):
    return workshop_create(by=adviser, territory=territory, values=values())


def young(territory, last_name="Lefèvre"):
    return factories.YouthFileFactory(participant__territory=territory, participant__last_name=last_name,
                                      first_reception_date=TODAY - 30 * DAY)


def held_session(workshop, day=TODAY, **fields):
    """A session as the interchange imports it (any date), of the catalogue entry."""
    return WorkshopSession.objects.create(territory_id=workshop.territory_id,
                                          session_ref=f"S-{WorkshopSession.objects.count() + 1}",
                                          workshop=workshop.name, theme=workshop.theme, date=day,
                                          catalogue=workshop, **fields)


def refusal(excinfo, field: str) -> str:
    return " ".join(excinfo.value.message_dict[field])


# --- the catalogue --------------------------------------------------------------------------------------------------

def test_a_catalogue_entry_is_audited_and_its_name_unique_in_the_territory(territory, adviser, workshop):
    assert AuditEvent.objects.filter(action="workshop_create", object_id=str(workshop.pk)).exists()
    with pytest.raises(ValidationError) as excinfo:
        workshop_create(by=adviser, territory=territory, values=values(name="pass to work"))
    assert "déjà au catalogue" in refusal(excinfo, "name")
    other = factories.TerritoryFactory(name="Ailleurs")
    assert workshop_create(by=adviser, territory=other, values=values()).territory == other
    with pytest.raises(IntegrityError), transaction.atomic():
        Workshop.objects.create(territory=territory, name="Pass to Work", theme="employment")


def test_a_partner_is_named_when_it_runs_the_workshop(territory, adviser, workshop):
    with pytest.raises(ValidationError) as excinfo:
        workshop_create(by=adviser, territory=territory, values=values(name="Santé", run_by="partner"))
    assert "Nom du partenaire" in refusal(excinfo, "partner_name")
    updated = workshop_update(by=adviser, workshop=workshop, values=values(run_by="partner", partner_name="CPAM"))
    assert updated.partner_name == "CPAM"
    assert workshop_update(by=adviser, workshop=workshop, values=values(partner_name="CPAM")).partner_name == ""
    assert AuditEvent.objects.filter(action="workshop_update", object_id=str(workshop.pk)).count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        Workshop.objects.create(territory=territory, name="Sans partenaire", theme="health", run_by="partner")


def test_a_session_copies_its_entry_and_is_planned_today_or_later(territory, adviser, workshop):
    session = workshop_session_plan(by=adviser, workshop=workshop, day=TODAY + DAY, start_time=datetime.time(9, 30))
    assert (session.workshop, session.theme, session.capacity, session.catalogue) == (
        "Pass to Work", "employment", 2, workshop)
    assert workshop_session_plan(by=adviser, workshop=workshop, day=TODAY, capacity=8).capacity == 8
    with pytest.raises(ValidationError) as excinfo:
        workshop_session_plan(by=adviser, workshop=workshop, day=TODAY - DAY)
    assert "passée" in refusal(excinfo, "date")
    elsewhere = factories.SiteFactory(territory=factories.TerritoryFactory(name="Ailleurs"))
    with pytest.raises(ValidationError) as excinfo:
        workshop_session_plan(by=adviser, workshop=workshop, day=TODAY, site=elsewhere)
    assert "territoire" in refusal(excinfo, "site")
    workshop_update(by=adviser, workshop=workshop, values=values(is_active=False))
    with pytest.raises(ValidationError) as excinfo:
        workshop_session_plan(by=adviser, workshop=workshop, day=TODAY)
    assert "plus au catalogue" in refusal(excinfo, "date")
    assert WorkshopSession.objects.count() == 2


# --- registrations ---------------------------------------------------------------------------------------------------

def test_a_registration_is_prescribed_and_audited(territory, adviser, workshop):
    session = held_session(workshop)
    youth_file = young(territory)
    registration = workshop_registration_create(by=adviser, session=session, youth_file=youth_file)
    assert (registration.status, registration.registered_by) == ("prescribed", adviser)
    assert AuditEvent.objects.filter(action="workshop_registration_create",
                                     participant_id=youth_file.participant_id).exists()


def test_registrations_are_refused_full_twice_elsewhere_or_past(territory, adviser, workshop):
    session = held_session(workshop, capacity=2)
    first, second, third = young(territory, "Un"), young(territory, "Deux"), young(territory, "Trois")
    workshop_registration_create(by=adviser, session=session, youth_file=first)
    with pytest.raises(ValidationError) as excinfo:
        workshop_registration_create(by=adviser, session=session, youth_file=first)
    assert "déjà inscrit" in refusal(excinfo, "session")
    workshop_registration_create(by=adviser, session=session, youth_file=second)
    with pytest.raises(ValidationError) as excinfo:
        workshop_registration_create(by=adviser, session=session, youth_file=third)
    assert "complète (2 places)" in refusal(excinfo, "session")
    # A refusal frees its place.
    workshop_attendance_mark(by=adviser, session=session, statuses={
        first.registrations.get().pk: "refused_by_third_party"})
    workshop_registration_create(by=adviser, session=session, youth_file=third)
    with pytest.raises(ValidationError) as excinfo:
        workshop_registration_create(by=adviser, session=held_session(workshop, TODAY - DAY), youth_file=third)
    assert "on n'y inscrit plus" in refusal(excinfo, "session")
    stranger = young(factories.TerritoryFactory(name="Ailleurs"))
    with pytest.raises(ValidationError) as excinfo:
        workshop_registration_create(by=adviser, session=held_session(workshop, TODAY + DAY), youth_file=stranger)
    assert "territoire" in refusal(excinfo, "session")
    assert WorkshopRegistration.objects.count() == 3


def test_a_registration_locks_the_sessions_row(territory, adviser, workshop, django_assert_num_queries):
    """The places are counted under the session's row lock (SELECT … FOR UPDATE), so two advisers at once never
    exceed them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    session = held_session(workshop, capacity=1)
    with CaptureQueriesContext(connection) as queries:
        workshop_registration_create(by=adviser, session=session, youth_file=young(territory))
    if connection.features.has_select_for_update:
        sql = [q["sql"] for q in queries.captured_queries]
        locked = next(i for i, q in enumerate(sql) if "FOR UPDATE" in q)
        counted = next(i for i, q in enumerate(sql) if "COUNT" in q.upper())
        assert locked < counted


# --- attendance -----------------------------------------------------------------------------------------------------

def test_presence_is_marked_from_the_sessions_day_and_refusals_before(territory, adviser, workshop):
    session = held_session(workshop, TODAY + DAY)
    a, b = young(territory, "Un"), young(territory, "Deux")
    ra = workshop_registration_create(by=adviser, session=session, youth_file=a)
    rb = workshop_registration_create(by=adviser, session=session, youth_file=b)
    with pytest.raises(ValidationError) as excinfo:
        workshop_attendance_mark(by=adviser, session=session, statuses={ra.pk: "refused_by_youth", rb.pk: "present"})
    assert "le jour de la séance" in refusal(excinfo, f"r{rb.pk}")
    ra.refresh_from_db()
    assert ra.status == "prescribed"      # nothing half-saved
    assert workshop_attendance_mark(by=adviser, session=session, statuses={ra.pk: "refused_by_youth",
                                                                          rb.pk: "prescribed"}) == 1
    ra.refresh_from_db()
    assert ra.status == "refused_by_youth"


def test_a_presence_records_an_event_and_undoing_it_removes_it(territory, adviser, workshop):
    session = held_session(workshop)
    youth_file = young(territory)
    registration = workshop_registration_create(by=adviser, session=session, youth_file=youth_file)
    workshop_attendance_mark(by=adviser, session=session, statuses={registration.pk: "present"})
    registration.refresh_from_db()
    event = registration.event
    assert (event.kind, event.date, event.youth_file, event.author) == ("workshop", TODAY, youth_file, adviser)
    assert AuditEvent.objects.filter(action="workshop_attendance_mark", participant_id=youth_file.participant_id,
                                     changes__status=["prescribed", "present"]).exists()
    workshop_attendance_mark(by=adviser, session=session, statuses={registration.pk: "absent"})
    registration.refresh_from_db()
    assert registration.event is None and not YouthEvent.objects.filter(pk=event.pk).exists()


def test_an_information_session_records_its_kind(territory, adviser):
    info = workshop_create(by=adviser, territory=territory, values=values(name="Info CEJ",
                                                                         kind="information_session"))
    session = held_session(info)
    registration = workshop_registration_create(by=adviser, session=session, youth_file=young(territory))
    workshop_attendance_mark(by=adviser, session=session, statuses={registration.pk: "present"})
    registration.refresh_from_db()
    assert registration.event.kind == "information_session"


def test_a_registration_of_another_session_is_refused(territory, adviser, workshop):
    session, other = held_session(workshop), held_session(workshop, TODAY - DAY)
    youth_file = young(territory)
    registration = WorkshopRegistration.objects.create(session=other, youth_file=youth_file, status="prescribed")
    with pytest.raises(ValidationError) as excinfo:
        workshop_attendance_mark(by=adviser, session=session, statuses={registration.pk: "present"})
    assert "pas de cette séance" in refusal(excinfo, f"r{registration.pk}")


def test_the_report_counts_registrations_and_presence_makes_the_young_person_accompanied(territory, adviser,
                                                                                        workshop):
    """docs/spec/youth.md: `workshops` counts registrations of any status and those present; `accompanied` reads
    events only: a registration alone does not count, the presence's event does."""
    session = held_session(workshop)
    present, prescribed = young(territory, "Présent"), young(territory, "Prescrit")
    rp = workshop_registration_create(by=adviser, session=session, youth_file=present)
    workshop_registration_create(by=adviser, session=session, youth_file=prescribed)
    workshop_attendance_mark(by=adviser, session=session, statuses={rp.pk: "present"})
    report = youth_report(territory_id=territory.pk, date_from=TODAY, date_to=TODAY)
    assert (report["workshops"]["sessions"], report["workshops"]["prescribed"], report["workshops"]["present"]) == (
        1, 2, 1)
    assert report["workshops"]["by_theme"]["employment"] == {"sessions": 1, "prescribed": 2, "present": 1}
    assert report["accompanied"]["total"] == 1


# --- pages ----------------------------------------------------------------------------------------------------------

def test_the_catalogue_pages_are_the_advisers(client, territory, adviser, desk, workshop):
    client.force_login(desk)
    assert client.get(reverse("youth:workshop_list")).status_code == 403
    client.force_login(adviser)
    assert "Pass to Work" in client.get(reverse("youth:workshop_list")).content.decode()
    response = client.post(reverse("youth:workshop_create"), values(name="Pass to Work", default_capacity=""))
    assert response.status_code == 400 and "déjà au catalogue" in response.content.decode()
    response = client.post(reverse("youth:workshop_create"), values(name="Un métier des informations",
                                                                    run_by="partner", partner_name="CIO",
                                                                    default_capacity=""))
    created = Workshop.objects.get(name="Un métier des informations")
    assert response.status_code == 302 and created.partner_name == "CIO" and created.default_capacity is None
    response = client.post(reverse("youth:session_create", args=[created.pk]),
                           {"date": (TODAY + DAY).isoformat(), "start_time": "14:00", "capacity": "10"})
    session = created.sessions.get()
    assert response.status_code == 302 and session.capacity == 10 and session.created_by == adviser


def test_the_session_page_logs_the_young_people_and_marks_attendance_in_one_post(client, territory, adviser,
                                                                                 workshop):
    session = held_session(workshop)
    a, b = young(territory, "Alpha"), young(territory, "Bravo")
    ra = workshop_registration_create(by=adviser, session=session, youth_file=a)
    rb = workshop_registration_create(by=adviser, session=session, youth_file=b)
    client.force_login(adviser)
    page = client.get(reverse("youth:session_detail", args=[session.pk])).content.decode()
    assert "ALPHA" in page and "BRAVO" in page
    assert set(AccessLog.objects.filter(screen="workshop_session").values_list("participant_id", flat=True)) == {
        a.participant_id, b.participant_id}
    response = client.post(reverse("youth:session_attendance", args=[session.pk]),
                           {f"r{ra.pk}": "present", f"r{rb.pk}": "absent"})
    assert response.status_code == 302
    assert dict(WorkshopRegistration.objects.values_list("pk", "status")) == {ra.pk: "present", rb.pk: "absent"}


def test_registering_from_the_session_page_by_the_files_identifier(client, territory, adviser, workshop):
    session = held_session(workshop, TODAY + DAY, capacity=1)
    a, b = young(territory, "Alpha"), young(territory, "Bravo")
    client.force_login(adviser)
    url = reverse("youth:session_register", args=[session.pk])
    assert client.post(url, {"youth_ref": "J-inconnu"}).status_code == 400
    assert client.post(url, {"youth_ref": a.youth_ref}).status_code == 302
    response = client.post(url, {"youth_ref": b.youth_ref})
    assert response.status_code == 400 and "complète" in response.content.decode()
    assert list(session.registrations.values_list("youth_file", flat=True)) == [a.pk]


def test_registering_from_the_file(client, territory, adviser, workshop):
    youth_file = young(territory)
    session = held_session(workshop, TODAY + DAY)
    held_session(workshop, TODAY - DAY)   # held: not offered
    client.force_login(adviser)
    assert reverse("youth:file_workshop_register", args=[youth_file.pk]) in client.get(
        reverse("youth:file_detail", args=[youth_file.pk])).content.decode()
    page = client.get(reverse("youth:file_workshop_register", args=[youth_file.pk])).content.decode()
    assert page.count("<option") == 1
    response = client.post(reverse("youth:file_workshop_register", args=[youth_file.pk]), {"session": session.pk})
    assert response.status_code == 302 and youth_file.registrations.get().session == session


def test_the_attendance_sheet_names_the_registered_and_logs_them(client, territory, adviser, workshop):
    session = held_session(workshop)
    a, b = young(territory, "Alpha"), young(territory, "Refusant")
    workshop_registration_create(by=adviser, session=session, youth_file=a)
    rb = workshop_registration_create(by=adviser, session=session, youth_file=b)
    workshop_attendance_mark(by=adviser, session=session, statuses={rb.pk: "refused_by_youth"})
    client.force_login(adviser)
    response = client.get(reverse("youth:session_sheet", args=[session.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "ALPHA" in text and "REFUSANT" not in text and "Signature" in text and "Pass to Work" in text
    assert list(AccessLog.objects.filter(screen="workshop_attendance_sheet").values_list(
        "participant_id", flat=True)) == [a.participant_id]


def test_another_territorys_adviser_gets_404(client, territory, adviser, workshop):
    session = held_session(workshop)
    elsewhere = factories.OrganisationFactory(territory=factories.TerritoryFactory(name="Ailleurs"), prescriber=True,
                                              name="Mission Locale d'ailleurs")
    client.force_login(factories.UserFactory(membership=(elsewhere, "youth_adviser")))
    for name, pk in (("youth:workshop_detail", workshop.pk), ("youth:workshop_edit", workshop.pk),
                     ("youth:session_create", workshop.pk), ("youth:session_detail", session.pk),
                     ("youth:session_sheet", session.pk)):
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    assert client.post(reverse("youth:session_attendance", args=[session.pk]), {}).status_code == 404
    assert client.post(reverse("youth:session_register", args=[session.pk]), {}).status_code == 404


# --- query counts -------------------------------------------------------------------------------------------------

def _grow(territory, adviser, workshop, session, start: int, more: int) -> None:
    for index in range(start, start + more):
        other = Workshop.objects.create(territory=territory, name=f"Atelier {index}", theme="health")
        held_session(other, TODAY + DAY)
        held_session(workshop, TODAY - (index + 1) * DAY)
        youth_file = young(territory, f"Jeune{index}")
        WorkshopRegistration.objects.create(session=session, youth_file=youth_file, status="prescribed")


@pytest.mark.parametrize(("name", "target", "pinned"), [
    # session, user, memberships, count, page (with its sessions to come)
    ("youth:workshop_list", None, 5),
    # session, user, memberships; the entry, the territories with youth.write, count, page of sessions
    ("youth:workshop_detail", "workshop", 6),
    # + the session, count and page of registrations, the people logged, places taken
    ("youth:session_detail", "session", 8),
    # session, user, memberships; the session, its registrations, the people logged
    ("youth:session_sheet", "session", 6),
    # the file, the sessions open to them, its access-log row
    ("youth:file_workshop_register", "file", 6),
])
def test_the_pages_cost_the_same_queries_at_one_and_five_rows(client, django_assert_num_queries, territory, adviser,
                                                              workshop, name, target, pinned):
    session = held_session(workshop, TODAY)
    youth_file = young(territory)
    client.force_login(adviser)
    args = {"workshop": [workshop.pk], "session": [session.pk], "file": [youth_file.pk], None: []}[target]
    for start, more in ((0, 1), (1, 4)):
        _grow(territory, adviser, workshop, session, start, more)
        with django_assert_num_queries(pinned):
            assert client.get(reverse(name, args=args)).status_code == 200
