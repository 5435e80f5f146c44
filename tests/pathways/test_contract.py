"""The engagement contract: pre-filled, checked dates and director, signed into the entry, PDF escaped."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from parcours.audit.models import AuditEvent
from parcours.core.concurrency import StaleObjectError
from parcours.core.workflow import TransitionRefused
from parcours.plie.enums import PathwayStatus
from parcours.pathways.models import PathwayTransition
from parcours.plie.models import EngagementContract
from parcours.plie import contract as services
from parcours.plie.contract_pdf import contract_pdf, contract_story
from reportlab.platypus import Paragraph, Table

from .conftest import TODAY, days_ago


def values(director, **overrides):
    data = {
        "objectives": "CACES 1.", "participant_commitments": "Venir.", "referent_commitments": "Recevoir.",
        "plie_commitments": "Mobiliser.", "participant_signed_on": days_ago(2), "referent_signed_on": days_ago(3),
        "director_signed_on": days_ago(1), "director": director,
    }
    data.update(overrides)
    return data


def test_defaults_take_the_assessment_recommendations(admitted):
    defaults = services.contract_defaults(admitted)
    assert "CACES 1" in defaults["objectives"] and "Préparatrice de commandes" in defaults["objectives"]
    assert "rendez-vous" in defaults["participant_commitments"]
    assert defaults["referent_commitments"] and defaults["plie_commitments"]


def test_save_then_sign_makes_the_entry_on_the_last_signature(admitted, referent, director):
    contract = services.contract_save(pathway=admitted, by=referent, values=values(director))
    assert AuditEvent.objects.filter(action="contract.create").exists()
    pathway = services.contract_sign(pathway=admitted, by=referent)
    assert pathway.status == PathwayStatus.ACTIVE
    assert pathway.entry_date == days_ago(1) == contract.signature_date
    assert PathwayTransition.objects.get(transition="sign_contract").by == referent
    event = AuditEvent.objects.get(action="pathway.sign_contract")
    assert event.changes["entry_date"] == [None, str(days_ago(1))]


def test_sign_is_refused_until_the_three_parties_signed(admitted, referent, director):
    services.contract_save(pathway=admitted, by=referent, values=values(director, director_signed_on=None))
    with pytest.raises(TransitionRefused, match="trois parties"):
        services.contract_sign(pathway=admitted, by=referent)


@pytest.mark.parametrize("field", ["participant_signed_on", "referent_signed_on", "director_signed_on"])
def test_signature_in_the_future_is_refused(admitted, referent, director, field):
    with pytest.raises(ValidationError) as refused:
        services.contract_save(pathway=admitted, by=referent,
                               values=values(director, **{field: TODAY + datetime.timedelta(days=1)}))
    assert "futur" in refused.value.message_dict[field][0]


@pytest.mark.parametrize("field", ["participant_signed_on", "referent_signed_on", "director_signed_on"])
def test_signature_before_the_commission_is_refused(admitted, referent, director, field):
    with pytest.raises(ValidationError) as refused:
        services.contract_save(pathway=admitted, by=referent, values=values(director, **{field: days_ago(11)}))
    assert "commission" in refused.value.message_dict[field][0]


def test_signature_on_the_commission_day_is_accepted(admitted, referent, director):
    services.contract_save(pathway=admitted, by=referent, values=values(director, participant_signed_on=days_ago(10)))


def test_director_must_hold_the_director_role(admitted, referent, coordinator):
    with pytest.raises(ValidationError) as refused:
        services.contract_save(pathway=admitted, by=referent, values=values(coordinator))
    assert "rôle de direction" in refused.value.message_dict["director"][0]
    with pytest.raises(ValidationError) as refused:
        services.contract_save(pathway=admitted, by=referent, values=values(None))
    assert "director" in refused.value.message_dict


def test_contract_is_editable_until_signed_then_not(admitted, referent, director):
    contract = services.contract_save(pathway=admitted, by=referent, values=values(director, director_signed_on=None))
    contract = services.contract_save(pathway=admitted, by=referent, values=values(director),
                                      expected_version=contract.version)
    assert contract.version == 2
    assert AuditEvent.objects.get(action="contract.update").changes["director_signed_on"] == [None, str(days_ago(1))]
    services.contract_sign(pathway=admitted, by=referent)
    with pytest.raises(ValidationError, match="plus modifiable"):
        services.contract_save(pathway=admitted, by=referent, values=values(director), expected_version=2)


def test_stale_contract_save_is_refused(admitted, referent, coordinator, director):
    services.contract_save(pathway=admitted, by=referent, values=values(director, director_signed_on=None))
    services.contract_save(pathway=admitted, by=coordinator, values=values(director, objectives="Autre"),
                           expected_version=1)
    with pytest.raises(StaleObjectError):
        services.contract_save(pathway=admitted, by=referent, values=values(director), expected_version=1)
    # A form opened before the contract existed is stale too.
    with pytest.raises(StaleObjectError):
        services.contract_save(pathway=admitted, by=referent, values=values(director), expected_version=None)
    assert EngagementContract.objects.get().objectives == "Autre"


def test_double_signature_acts_once(admitted, referent, director):
    services.contract_save(pathway=admitted, by=referent, values=values(director))
    services.contract_sign(pathway=admitted, by=referent)
    with pytest.raises(TransitionRefused):
        services.contract_sign(pathway=admitted, by=referent)
    assert PathwayTransition.objects.filter(transition="sign_contract").count() == 1


def test_pdf_prints_user_text_literally(admitted, referent, director):
    participant = admitted.participant
    participant.last_name, participant.first_name = "<script>alert(1)</script>", "Anne & Marie"
    participant.save()
    contract = services.contract_save(pathway=admitted, by=referent,
                                      values=values(director, objectives="Objectif <b>gras</b> & suite"))
    content = contract_pdf(admitted, contract)
    assert content.startswith(b"%PDF-")
    text = "\n".join(_plain_texts(contract_story(admitted, contract)))
    assert "<script>alert(1)</script>" in text
    assert "Anne & Marie" in text
    assert "Objectif <b>gras</b> & suite" in text
    assert text.count("Signature :") == 3
    assert "La direction du PLIE" in text and director.get_full_name() in text


def _plain_texts(flowables):
    for item in flowables:
        if isinstance(item, Paragraph):
            yield item.getPlainText()
        elif isinstance(item, Table):
            for row in item._cellvalues:
                for cell in row:
                    yield from _plain_texts(cell if isinstance(cell, list) else [cell])
