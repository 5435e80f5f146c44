"""An application's ways out before the commission: withdrawal, no-show, unreachable, duplicate."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.core.workflow import TransitionRefused, transition_apply
from parcours.pathways.models import PathwayTransition
from parcours.plie.enums import PathwayStatus
from parcours.plie.intake.services import _unfinished_pathway
from parcours.plie.workflow import PATHWAY_WORKFLOW
from tests import factories

TODAY = timezone.localdate()


@pytest.fixture
def submitted(territory):
    pathway = factories.PathwayFactory(participant=factories.ParticipantFactory(territory=territory),
                                       status=PathwayStatus.SUBMITTED, application_date=TODAY - datetime.timedelta(10))
    factories.ApplicationFactory(pathway=pathway)
    return pathway


def close(pathway, by, **data):
    return transition_apply(PATHWAY_WORKFLOW, pathway, "close_early", by=by,
                            data={"reason": "no_show", "on": TODAY, **data})


def test_the_team_closes_an_application_that_never_reaches_the_commission(submitted, coordinator):
    close(submitted, coordinator)
    submitted.refresh_from_db()
    assert submitted.status == PathwayStatus.CLOSED_BEFORE_COMMISSION and submitted.decision == ""
    log = PathwayTransition.objects.get(pathway=submitted, transition="close_early")
    assert log.data == {"reason": "no_show", "on": TODAY.isoformat()}
    # Closed: the person may be sent again.
    assert _unfinished_pathway(submitted.participant) is None


@pytest.mark.parametrize(("data", "message"), [
    ({"reason": "bored"}, "Choisissez le motif de la clôture."),
    ({"on": TODAY + datetime.timedelta(days=1)}, "La date ne peut pas être dans le futur."),
    ({"on": TODAY - datetime.timedelta(days=30)}, "La clôture ne peut pas précéder la candidature"),
])
def test_a_closing_is_refused_without_a_reason_or_with_a_wrong_date(submitted, coordinator, data, message):
    with pytest.raises(TransitionRefused) as refused:
        close(submitted, coordinator, **data)
    assert message in refused.value.message
    submitted.refresh_from_db()
    assert submitted.status == PathwayStatus.SUBMITTED


def test_only_the_team_closes_an_application(submitted, referent, prescriber):
    for user in (referent, prescriber):
        with pytest.raises(TransitionRefused):
            close(submitted, user)


def test_the_file_page_closes_it_behind_a_confirmation(client, submitted, coordinator):
    client.force_login(coordinator)
    url = reverse("pathways:pathway_act", args=[submitted.pk, "close_early"])
    page = client.get(reverse("pathways:pathway_detail", args=[submitted.pk])).content.decode()
    assert url in page and "Confirmer la clôture" in page
    client.post(url, {"reason": "withdrawn", "on": TODAY.isoformat()})
    submitted.refresh_from_db()
    assert submitted.status == PathwayStatus.CLOSED_BEFORE_COMMISSION


def test_the_prescriber_sees_it_closed_and_not_waiting(client, submitted, coordinator, prescriber):
    submitted.application.prescribed_by = prescriber
    submitted.application.prescriber_organisation = prescriber.active_memberships[0].organisation
    submitted.application.save()
    close(submitted, coordinator)
    client.force_login(prescriber)
    home = client.get(reverse("web:home")).context["prescriber"]
    assert home.in_progress.total == 0 and home.sent_last_year["waiting"] == 0
    status = client.get(reverse("intake:application_detail", args=[submitted.pk])).content.decode()
    assert "Close avant la commission" in status


def test_its_own_export_imported_again_keeps_it_closed(tmp_path, submitted, coordinator, territory):
    from tests.interchange.helpers import run

    close(submitted, coordinator)
    code, out, err = run("export", str(tmp_path / "out"))
    assert code == 0, err
    code, out, err = run("import", str(tmp_path / "out"))
    assert code == 0, err
    submitted.refresh_from_db()
    assert submitted.status == PathwayStatus.CLOSED_BEFORE_COMMISSION
