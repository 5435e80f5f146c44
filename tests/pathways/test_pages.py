"""Pages of the pathway area: caseload, the participant's file, forms, transitions, downloads; scoping and queries."""

import datetime
import html

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parcours.plie import contract as plie_contract
from parcours.audit.models import AccessLog
from parcours.plie.commissions.models import Commission, CommissionDecision
from parcours.plie.intake.models import Application, ReceptionInterview
from parcours.participants.models import Document, ParticipantSituation
from parcours.plie.enums import PathwayStatus
from parcours.pathways.models import PathwayTransition, Step
from parcours.plie.models import EngagementContract
from tests import factories

from .conftest import TODAY, days_ago
from .test_records import PDF


def text(response) -> str:
    return html.unescape(response.content.decode())


def detail(pathway):
    return reverse("pathways:pathway_detail", args=[pathway.pk])


# --- caseload ------------------------------------------------------------------------------------------------

def test_caseload_of_a_referent_shows_their_own_pathways(client, referent, active, other_referent, operator):
    mine = active
    colleague = factories.UserFactory(membership=(operator, "referent"))
    theirs = factories.PathwayFactory(operator=operator, referent=colleague, active=True)
    foreign = factories.PathwayFactory(operator=other_referent.active_memberships[0].organisation,
                                       referent=other_referent, active=True)
    client.force_login(referent)
    body = text(client.get(reverse("pathways:caseload")))
    assert "Mes participants" in body
    assert detail(mine) in body and detail(theirs) not in body and detail(foreign) not in body
    # The whole structure on request (empty referent filter), never another structure.
    body = text(client.get(reverse("pathways:caseload") + "?referent=&state=all"))
    assert detail(theirs) in body and detail(foreign) not in body


def test_caseload_of_the_team_is_the_whole_plie_filtered_by_state(client, coordinator, active, admitted):
    client.force_login(coordinator)
    body = text(client.get(reverse("pathways:caseload")))
    assert "Participants du PLIE" in body
    assert detail(active) in body and detail(admitted) in body
    body = text(client.get(reverse("pathways:caseload") + "?state=admitted"))
    assert detail(active) not in body and detail(admitted) in body


def test_search_by_name_is_posted_and_the_name_never_is_in_a_url(client, coordinator, active, territory):
    other = factories.PathwayFactory(participant=factories.ParticipantFactory(territory=territory, last_name="Zidane",
                                                                                 first_name="Paul"),
                                     active=True)
    client.force_login(coordinator)
    response = client.post(reverse("pathways:caseload"), {"q": "martin", "state": "open", "referent": ""})
    body = text(response)
    assert detail(active) in body and detail(other) not in body
    assert "?q=" not in body and "martin" not in response.request["PATH_INFO"]
    partial = client.post(reverse("pathways:caseload"), {"q": "zidane", "state": "open"}, HTTP_HX_REQUEST="true")
    assert text(partial).lstrip().startswith('<div id="resultats"')
    assert detail(other) in text(partial)


def test_caseload_is_refused_to_prescribers(client, prescriber):
    client.force_login(prescriber)
    assert client.get(reverse("pathways:caseload")).status_code == 403


def test_caseload_query_count_is_constant(client, coordinator, territory, django_assert_num_queries):
    for _ in range(3):
        factories.PathwayFactory(participant=factories.ParticipantFactory(territory=territory), active=True)
    client.force_login(coordinator)
    url = reverse("pathways:caseload")
    # session, user, memberships, the filters' referents, structures and communes, count, page
    with django_assert_num_queries(9):   # +1: the people shown, logged in one insert
        client.get(url)
    for _ in range(10):
        factories.PathwayFactory(participant=factories.ParticipantFactory(territory=territory), active=True)
    with django_assert_num_queries(9):   # +1: the people shown, logged in one insert
        client.get(url)
    with django_assert_num_queries(9):   # +1: the people shown, logged in one insert
        client.post(url, {"q": "a", "state": "all"})
    with django_assert_num_queries(10):   # +1 among open files: how many closed ones match too
        client.post(url, {"q": "a", "state": "open"})
    factories.PathwayFactory(participant=factories.ParticipantFactory(
        territory=territory, last_name="Lefèvre", birth_date=datetime.date(1990, 3, 12), phone="+33612345678"),
        active=True)
    with django_assert_num_queries(10):
        response = client.post(url, {"q": "06 12 34 56 78 12/03/1990 LEFEVRE", "state": "open"})
    assert "1 dossier trouvé." in text(response)


# --- the participant's file ----------------------------------------------------------------------------------

def fill(pathway, referent, coordinator, prescriber_org, prescriber, *, n=1, offset=0):
    """Rows of every kind on the file, `n` of each repeated kind."""
    Application.objects.get_or_create(
        pathway=pathway, defaults={"prescriber_organisation": prescriber_org, "prescribed_by": prescriber,
                                   "situations": ["rsa", "rqth"], "barriers_seen": ["mobility", "health"],
                                   "motivation": "Emploi.", "participant_signed_on": days_ago(121),
                                   "prescriber_signed_on": days_ago(120)})
    commission = Commission.objects.get_or_create(territory=pathway.participant.territory, date=days_ago(90))[0]
    CommissionDecision.objects.get_or_create(commission=commission, pathway=pathway,
                                             defaults={"outcome": "admitted", "decided_by": coordinator})
    EngagementContract.objects.get_or_create(pathway=pathway, defaults={
        "objectives": "Emploi durable.", "participant_commitments": "Venir.", "referent_commitments": "Recevoir.",
        "plie_commitments": "Mobiliser.", "participant_signed_on": days_ago(80), "referent_signed_on": days_ago(80),
        "director_signed_on": days_ago(80)})
    for i in range(offset, offset + n):
        ReceptionInterview.objects.create(pathway=pathway, date=days_ago(115 - i), mode="in_person",
                                          duration_minutes=60, place="Agence", referent=referent)
        PathwayTransition.objects.create(pathway=pathway, transition="assign", from_state="submitted",
                                         to_state="assigned", by=coordinator)
        factories.StepFactory(pathway=pathway, start_date=days_ago(70 - i))
        factories.AppointmentFactory(pathway=pathway, date=days_ago(60 - i), referent=referent)
        factories.BarrierReviewFactory(pathway=pathway, barrier="mobility", reviewed_on=days_ago(50 - i),
                                       reviewed_by=referent)
        factories.BarrierReviewFactory(pathway=pathway, barrier="health", reviewed_on=days_ago(50 - i),
                                       reviewed_by=referent, comment="Détail de santé confidentiel")
        factories.NoteFactory(pathway=pathway, author=referent, body=f"Note factuelle {i}")
        document = Document(participant=pathway.participant, pathway=pathway, kind="cv", title=f"CV {i}",
                            content_type="application/pdf", size=len(PDF), uploaded_by=referent)
        document.file.save("x.pdf", ContentFile(PDF), save=False)
        document.save()


@pytest.mark.parametrize("who", ["referent", "coordinator", "director"])
def test_file_opens_and_is_logged(client, active, who, request):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(detail(active))
    assert response.status_code == 200
    assert AccessLog.objects.filter(user=user, participant=active.participant, screen="pathway_detail").count() == 1


@pytest.mark.parametrize("who", ["other_referent", "foreign_coordinator"])
def test_another_structure_file_is_not_found(client, active, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(detail(active)).status_code == 404
    assert client.get(reverse("pathways:step_add", args=[active.pk])).status_code == 404
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("who", ["prescriber", "administrator"])
def test_roles_that_follow_nobody_are_refused_and_open_nothing(client, active, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(detail(active)).status_code == 403
    assert not AccessLog.objects.exists()


def test_file_shows_one_timeline(client, active, referent, coordinator, prescriber_org, prescriber):
    participant = active.participant
    ParticipantSituation.objects.create(participant=participant, code="rqth", value=True)
    fill(active, referent, coordinator, prescriber_org, prescriber)
    client.force_login(referent)
    body = text(client.get(detail(active)))
    for expected in ("Candidature", "Entretien de premier accueil", "Commission d'agrément", "Contrat d'engagement signé",
                 "Étape : Action de mobilisation", "Rendez-vous individuel", "Frein « Mobilité géographique »",
                 "Note factuelle 0", "Document : CV 0", "Affecter à un·e référent·e", "RQTH",
                 "Détail de santé confidentiel", "Les notes doivent être objectives et factuelles"):
        assert expected in body, expected
    assert "Temps passé sur le dossier" in body and "120 min" in body


def test_file_query_count_is_constant(client, active, referent, coordinator, prescriber_org, prescriber,
                                      django_assert_num_queries):
    fill(active, referent, coordinator, prescriber_org, prescriber, n=1)
    client.force_login(referent)
    # session, user, memberships, pathway with its one-to-one rows, 10 prefetched sets (the person's situation
    # rows among them), other pathways, the appointments to come (agenda), access log row, the steps with the
    # action each comes from (parcours.actions), the offers the person was put forward for, the events they are
    # invited to and their sponsorships (parcours.employers)
    with django_assert_num_queries(21):
        assert client.get(detail(active)).status_code == 200
    fill(active, referent, coordinator, prescriber_org, prescriber, n=5, offset=1)
    with django_assert_num_queries(21):
        client.get(detail(active))


def test_previous_pathways_of_the_person_are_listed(client, active, referent, operator):
    old = factories.PathwayFactory(participant=active.participant, operator=operator, status=PathwayStatus.EXITED,
                                   decision="admitted", application_date=days_ago(900), commission_date=days_ago(800),
                                   entry_date=days_ago(790), exit_date=days_ago(400), exit_reason="abandonment")
    client.force_login(referent)
    body = text(client.get(detail(active)))
    assert "Autres parcours de la personne" in body and detail(old) in body and "Abandon" in body


# --- transitions from the file -------------------------------------------------------------------------------

def test_buttons_are_the_available_manual_transitions(client, active, referent, administrator):
    client.force_login(referent)
    body = text(client.get(detail(active)))
    assert reverse("pathways:pathway_act", args=[active.pk, "exit"]) in body
    assert "start_followup" not in body
    client.force_login(administrator)
    body = text(client.get(detail(active)))
    assert reverse("pathways:pathway_act", args=[active.pk, "exit"]) not in body


def test_exit_from_the_file_double_submitted_acts_once(client, active, referent):
    client.force_login(referent)
    url = reverse("pathways:pathway_act", args=[active.pk, "exit"])
    data = {"reason": "moved", "exit_date": TODAY.isoformat()}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data, follow=True)
    assert "impossible" in text(response)
    assert PathwayTransition.objects.filter(pathway=active, transition="exit").count() == 1


def test_exit_form_errors_are_shown(client, active, referent):
    client.force_login(referent)
    url = reverse("pathways:pathway_act", args=[active.pk, "exit"])
    body = text(client.post(url, {"reason": "", "exit_date": ""}, follow=True))
    assert "Motif de sortie" in body
    active.refresh_from_db()
    assert active.status == PathwayStatus.ACTIVE


def test_transition_views_refuse_unknown_automatic_and_foreign(client, active, referent, other_referent):
    client.force_login(referent)
    assert client.post(reverse("pathways:pathway_act", args=[active.pk, "start_followup"])).status_code == 404
    assert client.post(reverse("pathways:pathway_act", args=[active.pk, "nope"])).status_code == 404
    assert client.get(reverse("pathways:pathway_act", args=[active.pk, "exit"])).status_code == 405
    client.force_login(other_referent)
    assert client.post(reverse("pathways:pathway_act", args=[active.pk, "exit"]),
                       {"reason": "moved", "exit_date": TODAY.isoformat()}).status_code == 404


# --- contract pages ------------------------------------------------------------------------------------------

def test_contract_page_prefills_then_sign_from_the_file(client, admitted, referent, director):
    client.force_login(referent)
    url = reverse("pathways:contract_edit", args=[admitted.pk])
    body = text(client.get(url))
    assert "Obtenir le CACES 1" in body and "Venir aux rendez-vous" in body
    data = {"objectives": "CACES 1", "participant_commitments": "Venir.", "referent_commitments": "Recevoir.",
            "plie_commitments": "Mobiliser.", "participant_signed_on": days_ago(2).isoformat(),
            "referent_signed_on": days_ago(2).isoformat(), "director": director.pk,
            "director_signed_on": days_ago(1).isoformat(), "version": ""}
    assert client.post(url, data).status_code == 302
    response = client.post(reverse("pathways:pathway_act", args=[admitted.pk, "sign_contract"]), follow=True)
    assert "Action enregistrée" in text(response)
    admitted.refresh_from_db()
    assert admitted.status == PathwayStatus.ACTIVE and admitted.entry_date == days_ago(1)
    assert "plus modifiable" in text(client.get(url))
    pdf = client.get(reverse("pathways:contract_pdf", args=[admitted.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert pdf["Content-Disposition"] == f'attachment; filename="contrat-engagement-{admitted.pk}.pdf"'


def test_contract_page_shows_errors_linked_to_fields(client, admitted, referent, director):
    client.force_login(referent)
    url = reverse("pathways:contract_edit", args=[admitted.pk])
    data = {"objectives": "x", "participant_commitments": "x", "referent_commitments": "x", "plie_commitments": "x",
            "participant_signed_on": (TODAY + datetime.timedelta(days=1)).isoformat(), "director": "",
            "director_signed_on": days_ago(1).isoformat()}
    response = client.post(url, data)
    body = text(response)
    assert response.status_code == 400
    assert 'href="#id_participant_signed_on"' in body and "futur" in body
    assert 'href="#id_director"' in body
    assert not EngagementContract.objects.exists()


def test_stale_contract_form_keeps_the_input_and_explains(client, admitted, referent, coordinator, director):
    plie_contract.contract_save(pathway=admitted, by=coordinator, values={
        "objectives": "A", "participant_commitments": "B", "referent_commitments": "C", "plie_commitments": "D"})
    plie_contract.contract_save(pathway=admitted, by=coordinator, values={"objectives": "A2"}, expected_version=1)
    client.force_login(referent)
    url = reverse("pathways:contract_edit", args=[admitted.pk])
    data = {"objectives": "Mon texte", "participant_commitments": "B", "referent_commitments": "C",
            "plie_commitments": "D", "version": "1"}
    body = text(client.post(url, data))
    assert "modifiée par quelqu'un d'autre" in body and "Mon texte" in body
    assert 'name="version" value="2"' in body
    assert EngagementContract.objects.get().objectives == "A2"


# --- steps, appointments, barriers, notes pages ---------------------------------------------------------------

def test_step_pages(client, active, referent):
    client.force_login(referent)
    assert client.get(reverse("pathways:step_add", args=[active.pk])).status_code == 200
    data = {"step_type": "unsubsidised_employment", "start_date": days_ago(3).isoformat(), "end_date": "",
            "operator_name": "Entrepôt", "employer_siret": "732 829 320 00074", "contract_type": "cdi",
            "social_clause": "unknown", "hours": "151.67", "comment": ""}
    response = client.post(reverse("pathways:step_add", args=[active.pk]), data, follow=True)
    assert "Le suivi dans l'emploi est ouvert" in text(response)
    step = Step.objects.get()
    body = text(client.get(reverse("pathways:step_edit", args=[active.pk, step.pk])))
    assert step.employer_siret == "73282932000074"   # typed with spaces, stored as its 14 digits
    assert 'name="version" value="1"' in body and "73282932000074" in body
    bad = dict(data, employer_siret="123", version="1")
    response = client.post(reverse("pathways:step_edit", args=[active.pk, step.pk]), bad)
    assert response.status_code == 400 and "14 chiffres" in text(response)
    response = client.post(reverse("pathways:step_edit", args=[active.pk, step.pk]),
                           dict(data, employer_siret="12345678901234", version="1"))
    assert response.status_code == 400 and "la clé de contrôle ne correspond pas" in text(response)


def test_step_of_another_pathway_is_not_found(client, active, referent, territory):
    other_step = factories.StepFactory(pathway=factories.PathwayFactory(
        participant=factories.ParticipantFactory(territory=territory), active=True))
    client.force_login(referent)
    assert client.get(reverse("pathways:step_edit", args=[active.pk, other_step.pk])).status_code == 404


def test_stale_step_end_is_refused(client, active, referent):
    step = factories.StepFactory(pathway=active, start_date=days_ago(10))
    client.force_login(referent)
    url = reverse("pathways:step_end", args=[active.pk, step.pk])
    assert client.post(url, {"end_date": TODAY.isoformat(), "version": "1"}).status_code == 302
    body = text(client.post(url, {"end_date": days_ago(1).isoformat(), "version": "1"}))
    assert "modifiée par quelqu'un d'autre" in body
    step.refresh_from_db()
    assert step.end_date == TODAY


def test_appointment_barrier_and_note_pages(client, active, referent):
    client.force_login(referent)
    response = client.post(reverse("pathways:appointment_add", args=[active.pk]), {
        "date": days_ago(1).isoformat(), "kind": "individual", "mode": "phone", "duration_minutes": "30",
        "place": "", "summary": "Point."})
    assert response.status_code == 302
    active.refresh_from_db()
    assert active.last_contact_date == days_ago(1)
    response = client.post(reverse("pathways:barrier_review_add", args=[active.pk]), {
        "barrier": "housing", "level": "resolved", "reviewed_on": TODAY.isoformat(), "comment": ""})
    assert response.status_code == 302
    page = text(client.get(reverse("pathways:note_add", args=[active.pk])))
    assert "Les notes doivent être objectives et factuelles ; la personne peut demander à les lire." in page
    assert page.index("rappel-cnil") < page.index('name="body"')
    assert client.post(reverse("pathways:note_add", args=[active.pk]), {"body": "Venue."}).status_code == 302


def test_administrator_cannot_reach_write_pages(client, active, administrator):
    client.force_login(administrator)
    assert client.get(reverse("pathways:note_add", args=[active.pk])).status_code == 403
    response = client.post(reverse("pathways:pathway_act", args=[active.pk, "exit"]),
                           {"reason": "moved", "exit_date": TODAY.isoformat()})
    assert response.status_code == 403
    active.refresh_from_db()
    assert active.status == PathwayStatus.ACTIVE


# --- documents -----------------------------------------------------------------------------------------------

def test_document_upload_and_download(client, active, referent, other_referent):
    client.force_login(referent)
    response = client.post(reverse("pathways:document_add", args=[active.pk]), {
        "kind": "identity", "title": "Carte d'identité",
        "file": SimpleUploadedFile("Léa Martin CNI.pdf", PDF, content_type="image/png")})
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.content_type == "application/pdf"
    download = client.get(reverse("pathways:document_download", args=[document.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="document-{document.pk}-identity.pdf"'
    assert b"".join(download.streaming_content) == PDF
    assert AccessLog.objects.filter(screen="document_download").count() == 1
    client.force_login(other_referent)
    assert client.get(reverse("pathways:document_download", args=[document.pk])).status_code == 404


def test_document_upload_refuses_a_disguised_file(client, active, referent):
    client.force_login(referent)
    response = client.post(reverse("pathways:document_add", args=[active.pk]), {
        "kind": "cv", "title": "CV", "file": SimpleUploadedFile("cv.pdf", b"<script>x</script>")})
    assert response.status_code == 400 and "format non accepté" in text(response)


def test_document_path_traversal_is_impossible(client, active, referent):
    document = Document.objects.create(participant=active.participant, pathway=active, kind="cv", title="x",
                                       content_type="application/pdf", size=1, uploaded_by=referent,
                                       file="../../etc/passwd")
    client.force_login(referent)
    response = client.get(reverse("pathways:document_download", args=[document.pk]))
    assert response.status_code in (400, 404)


# --- search: case, accents, birth date, phone; closed files said --------------------------------------------------

@pytest.fixture
def melanie(territory, operator, referent):
    person = factories.ParticipantFactory(territory=territory, last_name="Lefèvre-Dupré", first_name="Mélanie",
                                          birth_date=datetime.date(1990, 3, 12), phone="+33612345678")
    return factories.PathwayFactory(participant=person, operator=operator, referent=referent, active=True)


def search(client, q, state="open"):
    return text(client.post(reverse("pathways:caseload"), {"q": q, "state": state, "referent": ""}))


@pytest.mark.parametrize("q", ["melanie", "MELANIE", "Mélanie", "lefevre", "le fevre", "dupre melanie",
                               "lefèvre-dupré", "12/03/1990", "1990-03-12", "melanie 12/03/1990",
                               "06 12 34 56 78", "0612345678", "+33 6 12 34 56 78", "12 34 56 78"])
def test_search_finds_a_person_whatever_the_case_accents_or_what_is_typed(client, coordinator, melanie, active, q):
    client.force_login(coordinator)
    body = search(client, q)
    assert detail(melanie) in body and detail(active) not in body


@pytest.mark.parametrize("q", ["melanie 13/03/1990", "31/02/1990", "06 99 99 99 99", "melanine"])
def test_search_refuses_what_does_not_match(client, coordinator, melanie, q):
    client.force_login(coordinator)
    assert detail(melanie) not in search(client, q)


def test_search_among_open_files_says_closed_ones_match_too(client, coordinator, melanie, territory, operator,
                                                            referent):
    exited = factories.PathwayFactory(
        participant=factories.ParticipantFactory(territory=territory, last_name="Melanie", first_name="Anne"),
        operator=operator, referent=referent, exited=True)
    client.force_login(coordinator)
    body = search(client, "mélanie")
    assert detail(melanie) in body and detail(exited) not in body
    assert "1 dossier clos ou en attente correspond aussi à la recherche." in body
    assert 'name="state" value="all"' in body
    body = search(client, "mélanie", state="all")
    assert detail(melanie) in body and detail(exited) in body
    assert "correspond aussi" not in body


def test_the_header_search_posts_to_the_caseload_in_every_state(client, coordinator, prescriber):
    client.force_login(coordinator)
    body = text(client.get(reverse("web:home")))
    assert 'role="search" class="header-search"' in body
    assert f'action="{reverse("pathways:caseload")}"' in body
    client.force_login(prescriber)
    assert "header-search" not in text(client.get(reverse("web:home")))


def test_a_service_refusal_names_its_field_once_in_the_error_summary(client, active, referent):
    client.force_login(referent)
    response = client.post(reverse("pathways:step_add", args=[active.pk]), {
        "step_type": "mobilisation", "start_date": days_ago(81).isoformat(), "end_date": "", "operator_name": "",
        "employer_siret": "", "contract_type": "", "social_clause": "unknown", "hours": "", "comment": ""})
    body = text(response)
    assert response.status_code == 400
    assert ">Début</a> : l'étape ne peut pas commencer avant l'entrée dans le parcours" in body
    assert "Début : Début" not in body and "</a> : Début :" not in body


# --- a refused form keeps its file ------------------------------------------------------------------------------

def test_a_document_refused_for_its_title_keeps_its_file_for_the_next_try(client, active, referent):
    from parcours.accounts.models import HeldUpload

    client.force_login(referent)
    url = reverse("pathways:document_add", args=[active.pk])
    response = client.post(url, {"kind": "cv", "title": "", "file": SimpleUploadedFile("cv-lea.pdf", PDF)})
    body = text(response)
    assert response.status_code == 400 and "Fichier conservé : cv-lea.pdf." in body
    token = HeldUpload.objects.get(user=referent).token
    assert f'name="file__held" value="{token}"' in body
    # The corrected form is sent without choosing the file again: the document is the file first sent.
    response = client.post(url, {"kind": "cv", "title": "CV", "file__held": token})
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.file.read() == PDF and document.title == "CV"
    assert not HeldUpload.objects.exists()


def test_a_held_file_is_its_author_s_only(client, active, referent, operator):
    from parcours.accounts.models import HeldUpload

    client.force_login(referent)
    url = reverse("pathways:document_add", args=[active.pk])
    client.post(url, {"kind": "cv", "title": "", "file": SimpleUploadedFile("cv.pdf", PDF)})
    token = HeldUpload.objects.get().token
    colleague = factories.UserFactory(membership=(operator, "referent"))
    client.force_login(colleague)
    response = client.post(url, {"kind": "cv", "title": "CV", "file__held": token})
    assert response.status_code in (400, 403, 404) and not Document.objects.exists()


# --- the caseload's filters, order and export ----------------------------------------------------------------

@pytest.fixture
def three(territory, operator, referent, other_operator):
    clermont, cournon = territory.communes.get(insee="63113"), territory.communes.get(insee="63124")
    qpv = territory.qpvs.first()

    def make(name, commune, entry, **fields):
        person = factories.ParticipantFactory(territory=territory, last_name=name, commune=commune,
                                              qpv=qpv if commune == clermont else None)
        return factories.PathwayFactory(participant=person, active=True, entry_date=entry,
                                        commission_date=entry - datetime.timedelta(days=10),
                                        application_date=entry - datetime.timedelta(days=30), **fields)

    return {"a": make("Albert", clermont, days_ago(300), operator=operator, referent=referent,
                      prescriber_type="france_travail"),
            "b": make("Bernard", cournon, days_ago(100), operator=operator, referent=referent, prescriber_type="ccas"),
            "c": make("Cyril", clermont, days_ago(30), operator=other_operator,
                      referent=factories.UserFactory(membership=(other_operator, "referent")),
                      prescriber_type="france_travail")}


def listed(client, **query):
    return [p.participant.last_name for p in client.get(reverse("pathways:caseload"), query).context["page"]]


def test_the_caseload_filters_by_structure_commune_qpv_prescriber_and_entry_dates(client, coordinator, three,
                                                                                 territory, operator):
    client.force_login(coordinator)
    cournon = territory.communes.get(insee="63124")
    assert listed(client) == ["Albert", "Bernard", "Cyril"]
    assert listed(client, operator=operator.pk) == ["Albert", "Bernard"]
    assert listed(client, commune=cournon.pk) == ["Bernard"]
    assert listed(client, qpv="yes") == ["Albert", "Cyril"] and listed(client, qpv="no") == ["Bernard"]
    assert listed(client, prescriber_type="ccas") == ["Bernard"]
    assert listed(client, entered_from=days_ago(120).isoformat(), entered_to=days_ago(50).isoformat()) == ["Bernard"]
    assert listed(client, order="entry") == ["Cyril", "Bernard", "Albert"]
    # A filter outside the user's choices is ignored, not an error.
    assert client.get(reverse("pathways:caseload"), {"operator": "999999"}).status_code == 200


def test_the_caseload_exports_what_it_filters_for_a_french_spreadsheet(client, coordinator, three, operator):
    import csv
    import io

    from parcours.audit.models import AccessLog

    client.force_login(coordinator)
    response = client.get(reverse("pathways:caseload_export"), {"format": "csv", "operator": operator.pk})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "Albert" not in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Nom", "Prénom", "Date de naissance"]
    assert [r[0] for r in rows[1:]] == ["Albert", "Bernard"]
    assert rows[1][6] == days_ago(300).strftime("%d/%m/%Y")
    assert set(AccessLog.objects.filter(screen="pathway_caseload_export").values_list("participant_id", flat=True)) \
        == {three["a"].participant_id, three["b"].participant_id}
    xlsx = client.get(reverse("pathways:caseload_export"), {"format": "xlsx", "operator": operator.pk})
    assert xlsx.content.startswith(b"PK")


def test_a_referent_exports_only_their_own_files(client, referent, three):
    import csv
    import io

    client.force_login(referent)
    response = client.get(reverse("pathways:caseload_export"))
    names = [r[0] for r in csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")][1:]
    assert names == ["Albert", "Bernard"]


def test_an_unknown_export_format_is_not_found(client, coordinator, three):
    client.force_login(coordinator)
    assert client.get(reverse("pathways:caseload_export"), {"format": "pdf"}).status_code == 404


def test_the_file_opens_on_the_person_s_contact_and_links_to_the_rest(client, active, referent, territory):
    from parcours.participants.models import Participant

    Participant.objects.filter(pk=active.participant_id).update(phone="+33612345678", email="lea@example.org",
                                                               address="3 rue des Gras", postal_code="63000")
    factories.ApplicationFactory(pathway=active)
    client.force_login(referent)
    body = text(client.get(detail(active)))
    contact = body.index('id="coordonnees"')
    assert body.index("06 12 34 56 78") > contact and 'href="tel:+33612345678"' in body
    assert 'href="mailto:lea@example.org"' in body and "3 rue des Gras, 63000" in body
    assert reverse("intake:application_detail", args=[active.pk]) in body
    assert reverse("rights:participant_rights", args=[active.participant_id]) in body
    # The exit comes after the day's actions, behind a confirmation that says what it does.
    exit_form = body.index(reverse("pathways:pathway_act", args=[active.pk, "exit"]))
    assert body.rindex("<details", 0, exit_form) > body.index('id="actions-titre"')
    assert "Confirmer la sortie" in body and "La sortie clôt le parcours" in body
