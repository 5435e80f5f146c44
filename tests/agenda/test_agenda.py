"""The agenda: planning, attendance and its workflow, moving and cancelling, convocations, reminders, calendar
files, the pages and who sees them (docs/agenda.md)."""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from parcours.agenda import services
from parcours.agenda.models import Attendance, AttendanceTransition, Meeting, MeetingChange
from parcours.agenda.workflow import ATTENDANCE_WORKFLOW
from parcours.audit.models import AccessLog, AuditEvent
from parcours.organisations.models import Membership
from parcours.pathways.models import Appointment
from parcours.plie.enums import PathwayStatus
from parcours.territory.models import Helpdesk
from tests import factories
from tests.conftest import VerifiedClient

pytestmark = pytest.mark.django_db


def _at(days: int, hour: int = 10) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)), timezone.get_current_timezone())


@pytest.fixture
def person(territory):
    return factories.ParticipantFactory(territory=territory, first_name="Léa", last_name="Martin",
                                        email="lea.martin@example.org", address="3 rue du Port", postal_code="63000")


@pytest.fixture
def pathway(person, operator, referent):
    return factories.PathwayFactory(participant=person, operator=operator, referent=referent, active=True)


@pytest.fixture
def helpdesk(territory, operator):
    return Helpdesk.objects.create(territory=territory, name="Maison de l'emploi Nord", address="1 place Nord",
                                   phone="04 73 00 00 00", organisation=operator)


def _values(**extra) -> services.MeetingValues:
    values = {"starts_at": _at(3), "duration_minutes": 45, "kind": "individual", "mode": "in_person",
              "subject": "Point sur la recherche d'emploi", **extra}
    return services.MeetingValues(**values)


def _plan(pathway, referent, **extra) -> Meeting:
    return services.meeting_plan(by=referent, pathway=pathway, values=_values(**extra))


def _held(meeting: Meeting, days: int = -1) -> None:
    """Time travel: the appointment is now in the past."""
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=_at(days))


def _client(user):
    client = VerifiedClient()
    client.force_login(user)
    return client


# --- planning -------------------------------------------------------------------------------------------------------

def test_planning_creates_the_meeting_its_attendance_and_their_log(pathway, referent, helpdesk, operator):
    meeting = _plan(pathway, referent, helpdesk=helpdesk, place="Salle 2")
    attendance = meeting.attendances.get()
    assert (meeting.organiser, meeting.organisation, attendance.status) == (referent, operator, "planned")
    assert [r.transition for r in attendance.transitions.all()] == ["plan"]
    assert ATTENDANCE_WORKFLOW.history_problems(attendance.transitions.all(), final="planned") == []
    assert AuditEvent.objects.filter(action="meeting.plan", participant_id=pathway.participant_id).exists()
    # Not yet a held contact: the ESF+ claim and the indicators read held ones only.
    assert not Appointment.objects.filter(pathway=pathway).exists()


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"starts_at": _at(-2)}, "starts_at", "se planifie à venir"),
    ({"starts_at": _at(400)}, "starts_at", "au plus un an"),
    ({"duration_minutes": 0}, "duration_minutes", "entre 1 et 600"),
    ({"subject": "  "}, "subject", "Objet : ce champ est obligatoire"),
])
def test_planning_refusals_name_the_field(pathway, referent, values, field, message):
    with pytest.raises(ValidationError) as refused:
        _plan(pathway, referent, **values)
    assert message in " ".join(refused.value.message_dict[field])
    assert not Meeting.objects.exists()


def test_a_helpdesk_of_another_territory_is_refused(pathway, referent):
    elsewhere = Helpdesk.objects.create(territory=factories.TerritoryFactory(name="Ailleurs"), name="Loin")
    with pytest.raises(ValidationError) as refused:
        _plan(pathway, referent, helpdesk=elsewhere)
    assert "pas sur le territoire" in " ".join(refused.value.message_dict["helpdesk"])


def test_no_meeting_outside_the_pathway_nor_without_the_right_to_write(territory, operator, referent, prescriber):
    waiting = factories.PathwayFactory(participant__territory=territory, operator=operator, referent=referent,
                                       status=PathwayStatus.SUBMITTED)
    with pytest.raises(ValidationError, match="pendant le parcours"):
        _plan(waiting, referent)
    active = factories.PathwayFactory(participant__territory=territory, operator=operator, referent=referent,
                                      active=True)
    with pytest.raises(ValidationError, match="ne permet pas"):
        _plan(active, prescriber)


# --- attendance -------------------------------------------------------------------------------------------------------

def test_seen_records_the_held_contact_with_its_minutes(pathway, referent, helpdesk):
    meeting = _plan(pathway, referent, helpdesk=helpdesk)
    attendance = meeting.attendances.get()
    with pytest.raises(ValidationError, match="pas encore eu lieu"):
        services.attendance_mark(attendance=attendance, by=referent, transition="seen")
    _held(meeting)
    marked = services.attendance_mark(attendance=attendance, by=referent, transition="seen",
                                      data={"summary": "CV repris.", "duration_minutes": 50})
    appointment = marked.appointment
    assert (marked.status, appointment.duration_minutes, appointment.summary) == ("seen", 50, "CV repris.")
    assert (appointment.date, appointment.place, appointment.mode) == (
        timezone.localdate() - timedelta(days=1), "Maison de l'emploi Nord, 1 place Nord", "in_person")
    pathway.refresh_from_db()
    assert pathway.last_contact_date == appointment.date
    # Seen once: a second click changes nothing.
    with pytest.raises(ValidationError, match="Venu"):
        services.attendance_mark(attendance=marked, by=referent, transition="seen")
    assert Appointment.objects.filter(pathway=pathway).count() == 1


def test_seen_without_a_duration_takes_the_planned_one(pathway, referent):
    meeting = _plan(pathway, referent)
    _held(meeting)
    marked = services.attendance_mark(attendance=meeting.attendances.get(), by=referent, transition="seen",
                                      data={"summary": ""})
    assert marked.appointment.duration_minutes == 45


def test_no_show_waits_for_the_time_and_can_be_corrected(pathway, referent):
    meeting = _plan(pathway, referent)
    attendance = meeting.attendances.get()
    with pytest.raises(ValidationError, match="pas encore eu lieu"):
        services.attendance_mark(attendance=attendance, by=referent, transition="no_show")
    _held(meeting)
    services.attendance_mark(attendance=attendance, by=referent, transition="no_show")
    with pytest.raises(ValidationError, match="Motif"):
        services.attendance_mark(attendance=attendance, by=referent, transition="correct", data={"reason": " "})
    corrected = services.attendance_mark(attendance=attendance, by=referent, transition="correct",
                                         data={"reason": "Elle était là, erreur de saisie."})
    assert corrected.status == "planned"
    rows = list(AttendanceTransition.objects.filter(attendance=attendance))
    assert [r.transition for r in rows] == ["plan", "no_show", "correct"]
    assert ATTENDANCE_WORKFLOW.history_problems(rows, final="planned") == []


def test_excused_and_cancel_need_a_reason(pathway, referent):
    attendance = _plan(pathway, referent).attendances.get()
    for name in ("excused", "cancel"):
        with pytest.raises(ValidationError, match="Motif"):
            services.attendance_mark(attendance=attendance, by=referent, transition=name, data={"reason": ""})
    excused = services.attendance_mark(attendance=attendance, by=referent, transition="excused",
                                       data={"reason": "Enfant malade"})
    assert excused.status == "excused"
    assert AttendanceTransition.objects.get(attendance=attendance, transition="excused").data == {
        "reason": "Enfant malade"}


# --- collective, move, cancel -------------------------------------------------------------------------------------------

def test_a_collective_meeting_takes_more_people_once_each(pathway, referent, territory, operator):
    other = factories.PathwayFactory(participant__territory=territory, operator=operator, referent=referent,
                                     active=True)
    individual = _plan(pathway, referent)
    with pytest.raises(ValidationError, match="une seule personne"):
        services.attendance_add(meeting=individual, pathway=other, by=referent)
    collective = _plan(pathway, referent, kind="collective", subject="Atelier CV")
    services.attendance_add(meeting=collective, pathway=other, by=referent)
    with pytest.raises(ValidationError, match="déjà convoquée"):
        services.attendance_add(meeting=collective, pathway=other, by=referent)
    assert collective.attendances.count() == 2


def test_moving_keeps_the_change_and_asks_for_a_new_convocation(pathway, referent):
    meeting = _plan(pathway, referent)
    attendance = meeting.attendances.get()
    services.convocation_send(attendance=attendance, by=referent)
    with pytest.raises(ValidationError, match="Motif"):
        services.meeting_move(meeting=meeting, by=referent, starts_at=_at(5), reason="")
    with pytest.raises(ValidationError, match="à venir"):
        services.meeting_move(meeting=meeting, by=referent, starts_at=_at(-1), reason="Erreur")
    old = meeting.starts_at
    services.meeting_move(meeting=meeting, by=referent, starts_at=_at(5, 14), reason="Référente en formation")
    change = MeetingChange.objects.get(meeting=meeting)
    assert (change.previous_starts_at, change.new_starts_at, change.reason) == (old, _at(5, 14),
                                                                                "Référente en formation")
    attendance.refresh_from_db()
    assert attendance.convened_at is None and attendance.convocation_channel == ""


def test_cancelling_cancels_everyone_still_expected(pathway, referent, territory, operator):
    other = factories.PathwayFactory(participant__territory=territory, operator=operator, referent=referent,
                                     active=True)
    meeting = _plan(pathway, referent, kind="collective")
    services.attendance_add(meeting=meeting, pathway=other, by=referent)
    first = meeting.attendances.get(pathway=pathway)
    services.attendance_mark(attendance=first, by=referent, transition="excused", data={"reason": "Malade"})
    assert services.meeting_cancel(meeting=meeting, by=referent, reason="Salle indisponible") == 1
    assert dict(meeting.attendances.values_list("pathway_id", "status")) == {pathway.pk: "excused",
                                                                             other.pk: "cancelled"}
    with pytest.raises(ValidationError, match="Plus personne"):
        services.meeting_cancel(meeting=meeting, by=referent, reason="Encore")


# --- convocations, reminders, calendar files ------------------------------------------------------------------------------

def test_the_convocation_mail_carries_the_calendar_file(pathway, referent, helpdesk):
    meeting = _plan(pathway, referent, helpdesk=helpdesk)
    attendance = meeting.attendances.get()
    services.convocation_send(attendance=attendance, by=referent)
    message = mail.outbox[-1]
    assert message.to == ["lea.martin@example.org"]
    assert message.subject.startswith("Convocation : rendez-vous le ")
    assert "Maison de l'emploi Nord, 1 place Nord" in message.body
    assert "04 73 00 00 00" in message.body
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == ("rendez-vous.ics", "text/calendar")
    text = content.decode() if isinstance(content, bytes) else content
    assert "BEGIN:VEVENT" in text and f"UID:meeting-{meeting.pk}@" in text
    assert "Point sur la recherche d'emploi" in text
    attendance.refresh_from_db()
    assert attendance.convocation_channel == "email" and attendance.convened_at is not None


def test_no_mail_without_an_address_nor_when_the_server_fails(pathway, referent, settings):
    attendance = _plan(pathway, referent).attendances.get()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    with pytest.raises(ValidationError, match="n'a pas répondu"):
        services.convocation_send(attendance=attendance, by=referent)
    attendance.refresh_from_db()
    assert attendance.convened_at is None
    pathway.participant.email = ""
    pathway.participant.save()
    attendance = Attendance.objects.get(pk=attendance.pk)
    with pytest.raises(ValidationError, match="pas d'adresse"):
        services.convocation_send(attendance=attendance, by=referent)


def test_reminders_go_two_days_before_once(pathway, referent):
    meeting = _plan(pathway, referent, starts_at=_at(4))
    now = timezone.now()
    assert services.reminders_due(now=now) == []
    # Two days before the day: due.
    later = now + timedelta(days=2)
    assert [a.pk for a in services.reminders_due(now=later)] == [meeting.attendances.get().pk]
    assert services.reminders_send(now=later) == (1, 0)
    assert mail.outbox[-1].subject.startswith("Rappel : rendez-vous le ")
    assert services.reminders_send(now=later) == (0, 0)


def test_a_programme_chooses_its_reminder_days(pathway, referent):
    programme = pathway.programme
    programme.parameters = {**programme.parameters, "reminder_days_before": 0}
    programme.save()
    _plan(pathway, referent, starts_at=_at(1))
    assert services.reminders_due(now=timezone.now()) == []
    programme.parameters["reminder_days_before"] = 5
    programme.save()
    assert len(services.reminders_due(now=timezone.now())) == 1
    # At most a fortnight: 30 reads as 14 (the appointment in 20 days waits, the one in 10 days is due).
    programme.parameters["reminder_days_before"] = 30
    programme.save()
    _plan(pathway, referent, starts_at=_at(20))
    _plan(pathway, referent, starts_at=_at(10))
    due = services.reminders_due(now=timezone.now())
    assert sorted(timezone.localdate(a.meeting.starts_at) for a in due) == [
        timezone.localdate(_at(1)), timezone.localdate(_at(10))]


def test_the_reminder_command_says_what_it_sent(pathway, referent):
    from django.core.management import call_command
    from io import StringIO

    _plan(pathway, referent, starts_at=_at(1))
    out = StringIO()
    call_command("agenda_reminders", stdout=out)
    assert "Rappels envoyés : 1" in out.getvalue()


# --- pages ----------------------------------------------------------------------------------------------------------------

def test_planning_from_the_file_page(pathway, referent, helpdesk):
    client = _client(referent)
    page = client.get(reverse("pathways:pathway_detail", args=[pathway.pk]))
    assert reverse("agenda:meeting_plan", args=[pathway.pk]) in page.content.decode()
    day = (timezone.localdate() + timedelta(days=2)).isoformat()
    answer = client.post(reverse("agenda:meeting_plan", args=[pathway.pk]), {
        "subject": "Préparer l'entretien", "day": day, "hour": "14:30", "duration_minutes": "30",
        "kind": "individual", "mode": "in_person", "helpdesk": helpdesk.pk, "place": "", "send_email": "on"})
    meeting = Meeting.objects.get()
    assert answer.status_code == 302 and answer.url == reverse("agenda:meeting_detail", args=[meeting.pk])
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "14:30"
    assert mail.outbox[-1].to == ["lea.martin@example.org"]
    file_page = client.get(reverse("pathways:pathway_detail", args=[pathway.pk])).content.decode()
    assert "Préparer l&#x27;entretien" in file_page


def test_a_past_time_is_refused_on_the_day_field(pathway, referent):
    answer = _client(referent).post(reverse("agenda:meeting_plan", args=[pathway.pk]), {
        "subject": "X", "day": (timezone.localdate() - timedelta(days=1)).isoformat(), "hour": "09:00",
        "duration_minutes": "30", "kind": "individual", "mode": "in_person"})
    assert answer.status_code == 400
    assert "se planifie à venir" in answer.content.decode()
    assert not Meeting.objects.exists()


def test_the_agenda_week_shows_the_people_and_logs_them(pathway, referent):
    meeting = _plan(pathway, referent, starts_at=_at(1))
    client = _client(referent)
    page = client.get(reverse("agenda:agenda"), {"vue": "week", "date": timezone.localdate(_at(1)).isoformat(),
                                                  "referent": referent.pk})
    body = page.content.decode()
    assert page.status_code == 200 and "Léa Martin" in body
    assert reverse("agenda:meeting_detail", args=[meeting.pk]) in body
    assert AccessLog.objects.filter(user=referent, participant_id=pathway.participant_id, screen="agenda").exists()
    for view in ("day", "list"):
        assert client.get(reverse("agenda:agenda"), {"vue": view, "date": timezone.localdate(_at(1)).isoformat(),
                                                     "referent": referent.pk}).status_code == 200


def test_the_agenda_counts_no_shows(pathway, referent, territory, operator):
    for index in range(4):
        other = factories.PathwayFactory(participant__territory=territory, operator=operator, referent=referent,
                                         active=True)
        meeting = _plan(other, referent)
        _held(meeting, days=-2 - index)
        services.attendance_mark(attendance=meeting.attendances.get(), by=referent,
                                 transition="no_show" if index == 0 else "seen", data=None if index == 0 else {})
    page = _client(referent).get(reverse("agenda:agenda"), {"vue": "list", "date": _at(-10).date().isoformat(),
                                                             "referent": referent.pk})
    figures = page.context["figures"]
    assert (figures["seen"], figures["no_show"], figures["no_show_rate"]) == (3, 1, 25.0)


def test_marking_from_the_meeting_page(pathway, referent):
    meeting = _plan(pathway, referent)
    _held(meeting)
    attendance = meeting.attendances.get()
    client = _client(referent)
    page = client.get(reverse("agenda:meeting_detail", args=[meeting.pk]))
    assert page.status_code == 200 and "Venu·e" in page.content.decode()
    refused = client.post(reverse("agenda:attendance_mark", args=[attendance.pk]), {"transition": "excused"})
    assert refused.status_code == 400 and "Motif" in refused.content.decode()
    done = client.post(reverse("agenda:attendance_mark", args=[attendance.pk]),
                       {"transition": "seen", "summary": "Bien", "duration_minutes": ""})
    assert done.status_code == 302
    assert Attendance.objects.get(pk=attendance.pk).status == "seen"


def test_the_letter_and_the_calendar_file(pathway, referent):
    meeting = _plan(pathway, referent)
    attendance = meeting.attendances.get()
    client = _client(referent)
    letter = client.get(reverse("agenda:convocation_pdf", args=[attendance.pk]))
    assert letter["Content-Type"] == "application/pdf"
    import io
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(letter.content)).pages)
    assert "Convocation à un rendez-vous" in text and "3 rue du Port" in text and "63000" in text
    assert Attendance.objects.get(pk=attendance.pk).convocation_channel == "letter"
    calendar = client.get(reverse("agenda:meeting_ics", args=[meeting.pk]))
    assert calendar["Content-Type"].startswith("text/calendar") and b"Martin" in calendar.content
    own = client.get(reverse("agenda:agenda_ics"))
    assert own.status_code == 200 and b"BEGIN:VCALENDAR" in own.content


def test_another_structure_sees_nothing(pathway, referent, other_referent):
    meeting = _plan(pathway, referent)
    attendance = meeting.attendances.get()
    client = _client(other_referent)
    assert client.get(reverse("agenda:meeting_detail", args=[meeting.pk])).status_code == 404
    assert client.post(reverse("agenda:attendance_mark", args=[attendance.pk]),
                       {"transition": "cancel", "reason": "x"}).status_code == 404
    assert client.get(reverse("agenda:convocation_pdf", args=[attendance.pk])).status_code == 404
    page = client.get(reverse("agenda:agenda"), {"vue": "list", "referent": ""})
    assert "Léa Martin" not in page.content.decode() and "Point sur la recherche" not in page.content.decode()
    assert Attendance.objects.get(pk=attendance.pk).status == "planned"


def test_the_team_sees_a_referents_agenda(pathway, referent, coordinator, territory, operator):
    # One more membership than accounts: a referent's membership id and account id then differ (the choice is
    # the account's).
    Membership.objects.create(user=coordinator, organisation=operator, role="dpo")
    second = factories.UserFactory(first_name="Inès", membership=(operator, "referent"))
    assert second.memberships.get().pk != second.pk
    followed = factories.PathwayFactory(participant__territory=territory, participant__first_name="Yanis",
                                        participant__last_name="Roux", operator=operator, referent=second,
                                        active=True)
    _plan(pathway, referent, starts_at=_at(1))
    _plan(followed, second, starts_at=_at(1, 11))
    client = _client(coordinator)
    for chosen, shown, hidden in ((referent, "Léa Martin", "Yanis Roux"), (second, "Yanis Roux", "Léa Martin")):
        page = client.get(reverse("agenda:agenda"), {"vue": "week", "referent": chosen.pk,
                                                     "date": _at(1).date().isoformat()})
        body = page.content.decode()
        assert page.status_code == 200 and page.context["organiser"] == chosen
        assert shown in body and hidden not in body


def test_the_database_refuses_what_the_services_refuse(referent, operator):
    from django.db import IntegrityError, transaction

    values = {"organiser": referent, "organisation": operator, "starts_at": _at(1), "mode": "in_person"}
    for wrong in ({"duration_minutes": 0, "subject": "Point"}, {"duration_minutes": 30, "subject": ""}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Meeting.objects.create(**values, **wrong)
    meeting = Meeting.objects.create(**values, duration_minutes=30, subject="Point")
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingChange.objects.create(meeting=meeting, previous_starts_at=_at(1), new_starts_at=_at(2), reason="",
                                     by=referent)
