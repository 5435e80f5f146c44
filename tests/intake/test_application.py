"""The application: service rules, duplicates, re-entry, upload checks, the form and its live eligibility."""

import datetime
import html

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from parcours.audit.models import AccessLog, AuditEvent
from parcours.plie.intake.models import Application
from parcours.plie.intake.services import name_key
from parcours.participants.models import Document, Participant
from parcours.pathways.models import Pathway, PathwayTransition
from tests import factories

from parcours.accounts.models import HeldUpload

from .helpers import JPEG, PDF, PNG, person, post_data, scan, submit, today


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


def test_submit_creates_person_pathway_application_and_traces(prescriber, prescriber_org):
    application = submit(prescriber, prescriber_org)
    pathway = application.pathway
    participant = pathway.participant
    assert (participant.last_name, participant.situation("rsa"), participant.situation("deld"), participant.situation("ass")) == ("Lefèvre", True, True, False)
    assert pathway.status == "submitted"
    assert pathway.application_date == today()
    assert pathway.prescriber_type == "ccas"
    assert pathway.entry_route == "application"
    assert application.prescribed_by == prescriber
    assert application.eligibility["eligible"] is True
    assert application.eligibility["reference_date"] == today().isoformat()
    row = PathwayTransition.objects.get(pathway=pathway)
    assert (row.transition, row.from_state, row.to_state, row.by) == ("submit", "", "submitted", prescriber)
    actions = set(AuditEvent.objects.filter(participant_id=participant.pk).values_list("action", flat=True))
    assert actions == {"participant_create", "pathway_create", "application_submit", "document_create"}


def test_signed_scan_is_stored_as_a_document(prescriber, prescriber_org):
    application = submit(prescriber, prescriber_org)
    document = application.signed_scan
    assert document.kind == "signed_application"
    assert document.content_type == "application/pdf"
    assert document.pathway == application.pathway
    assert document.file.name.endswith(".pdf")
    assert "Lef" not in document.file.name


@pytest.mark.parametrize("content, expected", [(PNG, "image/png"), (JPEG, "image/jpeg")])
def test_images_are_accepted_by_their_content(prescriber, prescriber_org, content, expected):
    # The declared type and the name lie: the first bytes decide.
    application = submit(prescriber, prescriber_org, signed_scan=scan(content, "x.pdf", "application/pdf"))
    assert application.signed_scan.content_type == expected


def test_scan_with_a_pdf_name_but_other_content_is_refused(prescriber, prescriber_org):
    with pytest.raises(ValidationError) as caught:
        submit(prescriber, prescriber_org, signed_scan=scan(b"MZ\x90\x00 executable", "scan.pdf"))
    assert errors_of(caught) == {"signed_scan": ["Le fichier doit être un PDF, un JPEG ou un PNG."]}
    assert not Participant.objects.exists() and not Document.objects.exists()


@override_settings(PARCOURS_DOCUMENT_MAX_BYTES=1024 * 1024)
def test_scan_too_large_is_refused(prescriber, prescriber_org):
    with pytest.raises(ValidationError) as caught:
        submit(prescriber, prescriber_org, signed_scan=scan(b"%PDF-" + b"0" * (1024 * 1024)))
    assert "taille maximale de 1 Mo" in errors_of(caught)["signed_scan"][0]


def test_signature_dates_in_the_future_are_refused(prescriber, prescriber_org):
    tomorrow = today() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        submit(prescriber, prescriber_org, participant_signed_on=tomorrow, prescriber_signed_on=tomorrow)
    assert set(errors_of(caught)) == {"participant_signed_on", "prescriber_signed_on"}
    assert not Pathway.objects.exists()


def test_unknown_codes_and_empty_motivation_are_refused(prescriber, prescriber_org):
    with pytest.raises(ValidationError) as caught:
        submit(prescriber, prescriber_org, situations=["chomage"], barriers_seen=["weather"], motivation="  ")
    errors = errors_of(caught)
    assert errors["situations"] == ["Situation inconnue : chomage."]
    assert errors["barriers_seen"] == ["Frein inconnu : weather."]
    assert "motivation" in errors


def test_qpv_must_lie_in_the_commune(prescriber, prescriber_org, territory):
    cournon = territory.communes.get(insee="63124")
    qpv = territory.qpvs.get()
    with pytest.raises(ValidationError) as caught:
        submit(prescriber, prescriber_org, person=person(territory, commune=cournon, qpv=qpv))
    assert "qpv" in errors_of(caught)


def test_prescriber_of_another_structure_cannot_send_for_this_one(prescriber, territory):
    other = factories.OrganisationFactory(territory=territory, prescriber=True)
    with pytest.raises(ValidationError) as caught:
        submit(prescriber, other)
    assert "prescriber_organisation" in errors_of(caught)


def test_referent_cannot_send_an_application(referent, prescriber_org):
    with pytest.raises(ValidationError):
        submit(referent, prescriber_org)


def test_team_sends_on_behalf_of_a_prescriber(coordinator, prescriber_org):
    application = submit(coordinator, prescriber_org)
    assert application.prescriber_organisation == prescriber_org
    assert application.prescribed_by == coordinator


def test_ineligible_application_is_still_received(prescriber, prescriber_org, territory):
    application = submit(prescriber, prescriber_org, person=person(territory, birth_date=datetime.date(2003, 1, 1)),
                         situations=[])
    assert application.eligibility["eligible"] is False
    assert "age" in application.eligibility["reasons"]


def test_name_key_ignores_case_accents_and_hyphens():
    assert name_key("Lefèvre") == name_key("LEFEVRE") == name_key("le-fevre")
    assert name_key("Amélie") == name_key("AMELIE")


def test_possible_duplicates_are_flagged(prescriber, prescriber_org, territory):
    twin = factories.ParticipantFactory(territory=territory, last_name="LEFEVRE", first_name="amelie",
                                        birth_date=datetime.date(1985, 3, 12))
    factories.ParticipantFactory(territory=territory, last_name="Lefèvre", first_name="Amélie",
                                 birth_date=datetime.date(1985, 3, 13))
    factories.ParticipantFactory(territory=territory, last_name="Lefèvre", first_name="Anne",
                                 birth_date=datetime.date(1985, 3, 12))
    other_territory = factories.TerritoryFactory(name="Autre PLIE")
    factories.ParticipantFactory(territory=other_territory, last_name="Lefèvre", first_name="Amélie",
                                 birth_date=datetime.date(1985, 3, 12))
    application = submit(prescriber, prescriber_org)
    assert list(application.possible_duplicate_of.all()) == [twin]


def test_reentry_reuses_the_person_and_updates_the_situation(coordinator, prescriber_org, territory):
    earlier = factories.PathwayFactory(participant__territory=territory, status="refused")
    known = earlier.participant
    application = submit(coordinator, prescriber_org, participant=known,
                         person=person(territory, last_name=known.last_name, first_name=known.first_name,
                                       birth_date=known.birth_date, address="12 place de Jaude"),
                         situations=["ass"])
    known.refresh_from_db()
    assert application.pathway.participant == known
    assert (known.address, known.situation("ass"), known.situation("rsa"), known.version) == ("12 place de Jaude", True, False, 2)
    assert Participant.objects.count() == 1
    assert not application.possible_duplicate_of.exists()
    assert AuditEvent.objects.filter(action="participant_update", participant_id=known.pk).exists()


@pytest.mark.parametrize("status", ["submitted", "assigned", "assessed", "admitted", "active", "followup"])
def test_reentry_is_refused_while_a_pathway_is_unfinished(coordinator, prescriber_org, territory, status):
    open_pathway = factories.PathwayFactory(participant__territory=territory, status=status)
    with pytest.raises(ValidationError) as caught:
        submit(coordinator, prescriber_org, participant=open_pathway.participant)
    assert "participant" in errors_of(caught)
    assert Pathway.objects.count() == 1
    assert not AuditEvent.objects.exists()


# --- the form ------------------------------------------------------------------------------------------------------
def test_prescriber_submits_the_form(client, prescriber, prescriber_org, territory):
    client.force_login(prescriber)
    response = client.post(reverse("intake:application_create"),
                           {**post_data(territory), "prescriber_organisation": prescriber_org.pk,
                            "signed_scan": scan()})
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:application_detail", args=[application.pathway_id])
    assert application.barriers_seen == ["mobility", "housing"]
    assert "Lef" not in response["Location"]


def test_form_errors_name_the_fields_in_french(client, prescriber, prescriber_org, territory):
    client.force_login(prescriber)
    future = (today() + datetime.timedelta(days=3)).isoformat()
    response = client.post(reverse("intake:application_create"), {
        **post_data(territory, birth_date="1985-02-30", last_name="", prescriber_signed_on=future),
        "prescriber_organisation": prescriber_org.pk, "signed_scan": scan(b"GIF89a", "scan.gif", "image/gif")})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_birth_date">Date de naissance</a> : Saisissez une date valide.' in html
    assert '<a href="#id_last_name">Nom</a> : Ce champ est obligatoire.' in html
    assert 'aria-describedby="id_birth_date_error"' in html
    assert not Application.objects.exists()


def test_service_errors_land_on_their_fields(client, prescriber, prescriber_org, territory):
    client.force_login(prescriber)
    future = (today() + datetime.timedelta(days=3)).isoformat()
    response = client.post(reverse("intake:application_create"), {
        **post_data(territory, prescriber_signed_on=future), "prescriber_organisation": prescriber_org.pk,
        "signed_scan": scan(b"GIF89a", "scan.gif", "image/gif")})
    html = response.content.decode()
    assert '<a href="#id_prescriber_signed_on">Date de signature par le prescripteur</a> : La date ne peut pas être dans le futur.' in html
    assert '<a href="#id_signed_scan">Dossier signé (scan)</a> : Le fichier doit être un PDF, un JPEG ou un PNG.' in html
    assert not Application.objects.exists()


def test_form_groups_checkboxes_in_fieldsets(client, prescriber, territory, django_assert_num_queries):
    client.force_login(prescriber)
    with django_assert_num_queries(8):
        response = client.get(reverse("intake:application_create"))
    html = response.content.decode()
    assert "<legend>Situations</legend>" in html
    assert "<legend>Freins repérés</legend>" in html
    assert 'hx-post="/candidatures/eligibilite/"' in html
    assert 'id="eligibilite" aria-live="polite"' in html


def test_prescriber_may_not_choose_another_structure(client, prescriber, territory):
    other = factories.OrganisationFactory(territory=territory, prescriber=True)
    client.force_login(prescriber)
    response = client.post(reverse("intake:application_create"),
                           {**post_data(territory), "prescriber_organisation": other.pk, "signed_scan": scan()})
    assert "prescriber_organisation" in response.context["form"].errors
    assert not Application.objects.exists()


def test_referent_has_no_application_form(client, referent):
    client.force_login(referent)
    assert client.get(reverse("intake:application_create")).status_code == 403


def test_live_eligibility_panel(client, prescriber, territory, django_assert_num_queries):
    # 6 queries before the PLIE's rules left the territory row; the panel now reads them from the programme (+1).
    client.force_login(prescriber)
    url = reverse("intake:eligibility_preview")
    commune = territory.communes.get(insee="63113").pk
    with django_assert_num_queries(7):
        html = client.post(url, {"birth_date": "1985-03-12", "commune": commune, "situations": ["rsa"]},
                           HTTP_HX_REQUEST="true").content.decode()
    assert "Éligible au PLIE" in html
    young = (today().replace(year=today().year - 20)).isoformat()
    html = client.post(url, {"birth_date": young, "commune": commune, "situations": []}).content.decode()
    assert "Non éligible au PLIE" in html
    assert "Mission Locale" in html
    assert html.count("check--ko") == 2
    html = client.post(url, {"birth_date": "1985-03-12", "qpv": territory.qpvs.get().pk}).content.decode()
    assert "Éligible au PLIE" in html and "Croix-de-Neyrat" in html
    html = client.post(url, {"commune": commune}).content.decode()
    assert "Renseignez la date de naissance" in html


def test_live_eligibility_is_post_only(client, prescriber):
    client.force_login(prescriber)
    assert client.get(reverse("intake:eligibility_preview")).status_code == 405


def test_reentry_form_is_prefilled_for_the_team(client, coordinator, territory):
    earlier = factories.PathwayFactory(participant__territory=territory, status="exited", decision="admitted",
                                       commission_date=today() - datetime.timedelta(days=100),
                                       entry_date=today() - datetime.timedelta(days=90),
                                       exit_date=today() - datetime.timedelta(days=10), exit_reason="moved")
    client.force_login(coordinator)
    response = client.get(reverse("intake:application_create") + f"?participant={earlier.participant_id}")
    assert response.status_code == 200
    assert response.context["form"].initial["last_name"] == earlier.participant.last_name
    assert AccessLog.objects.filter(participant=earlier.participant, screen="intake_reentry").exists()


def test_reentry_is_not_offered_to_prescribers(client, prescriber, territory):
    known = factories.ParticipantFactory(territory=territory)
    client.force_login(prescriber)
    assert client.get(reverse("intake:application_create") + f"?participant={known.pk}").status_code == 404


def test_person_search_is_post_and_finds_accented_names(client, coordinator, territory):
    known = factories.PathwayFactory(participant__territory=territory, participant__last_name="Élisabeth-Durand",
                                     participant__first_name="Zoé", status="refused").participant
    client.force_login(coordinator)
    url = reverse("intake:person_search")
    assert client.get(url).status_code == 405
    html = client.post(url, {"last_name": "elisabeth", "first_name": "zoe", "birth_date": "1980-05-17",
                             "purpose": "application"}).content.decode()
    assert f"?participant={known.pk}" in html
    html = client.post(url, {"last_name": "elisabeth", "birth_date": "1981-05-17",
                             "purpose": "application"}).content.decode()
    assert "Aucune personne connue" in html


def test_person_search_is_refused_to_prescribers(client, prescriber):
    client.force_login(prescriber)
    assert client.post(reverse("intake:person_search"), {"last_name": "x"}).status_code == 403


def test_a_refused_application_keeps_its_signed_scan_for_the_next_try(client, prescriber, prescriber_org, territory):
    client.force_login(prescriber)
    url = reverse("intake:application_create")
    response = client.post(url, {**post_data(territory, last_name=""), "prescriber_organisation": prescriber_org.pk,
                                 "signed_scan": scan(name="dossier-signe.pdf")})
    body = html.unescape(response.content.decode())
    assert "Fichier conservé : dossier-signe.pdf." in body and not Application.objects.exists()
    token = HeldUpload.objects.get(user=prescriber).token
    response = client.post(url, {**post_data(territory), "prescriber_organisation": prescriber_org.pk,
                                 "signed_scan__held": token})
    assert response.status_code == 302
    assert Application.objects.get().signed_scan.file.read() == PDF
    assert not HeldUpload.objects.exists()


def test_a_scan_refused_for_itself_is_not_kept(client, prescriber, prescriber_org, territory):
    client.force_login(prescriber)
    response = client.post(reverse("intake:application_create"), {
        **post_data(territory), "prescriber_organisation": prescriber_org.pk,
        "signed_scan": scan(b"GIF89a", "scan.gif", "image/gif")})
    assert "Fichier conservé" not in response.content.decode() and not HeldUpload.objects.exists()


def test_a_prescriber_sending_the_same_person_twice_is_warned_and_may_confirm(client, prescriber, prescriber_org,
                                                                             territory):
    client.force_login(prescriber)
    url = reverse("intake:application_create")
    data = {**post_data(territory), "prescriber_organisation": prescriber_org.pk}
    assert client.post(url, {**data, "signed_scan": scan()}).status_code == 302
    # The same person again, typed differently (case, accents): warned, nothing sent, the box offered.
    again = {**data, "last_name": "LEFEVRE", "first_name": "amelie"}
    response = client.post(url, {**again, "signed_scan": scan()})
    body = html.unescape(response.content.decode())
    assert "Votre structure a déjà envoyé une candidature pour cette personne le" in body
    assert 'name="confirm_sent_again"' in body and "Fichier conservé : scan.pdf." in body
    assert Application.objects.count() == 1
    token = HeldUpload.objects.get().token
    response = client.post(url, {**again, "confirm_sent_again": "on", "signed_scan__held": token})
    assert response.status_code == 302 and Application.objects.count() == 2


def test_no_warning_for_another_person_or_before_the_box_is_needed(client, prescriber, prescriber_org, territory):
    client.force_login(prescriber)
    url = reverse("intake:application_create")
    data = {**post_data(territory), "prescriber_organisation": prescriber_org.pk}
    page = client.get(url).content.decode()
    assert 'name="confirm_sent_again"' not in page
    client.post(url, {**data, "signed_scan": scan()})
    assert client.post(url, {**data, "birth_date": "1986-03-12", "signed_scan": scan()}).status_code == 302
    assert Application.objects.count() == 2
