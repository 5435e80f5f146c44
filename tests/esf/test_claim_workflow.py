"""A saved payment claim and its workflow: draft → submitted → under control (corrections asked and resubmitted)
→ validated → paid, each transition logged by the engine, each refusal (role, structure, overlap, an unchecked
sample, corrections without a reason), the seeded sample and a rejected participant left out of the figures, the
pages and the XLSX (docs/esf.md, "The claim's workflow and control")."""

from __future__ import annotations

import datetime
import io
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from parcours.audit.models import AuditEvent
from parcours.core.workflow import TransitionRefused
from parcours.esf import services
from parcours.esf.models import Claim, ClaimSampleItem, ClaimTransition, ReferentCost
from parcours.esf.selectors import esf_claim_compute, esf_claim_data
from parcours.esf.workflow import CLAIM_WORKFLOW
from tests import factories

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year - 1
START, END = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)


@pytest.fixture
def esf(territory, plie, operator):
    """An operation of `operator` last year; three participants, each with an hour of their referent (25 €/h)."""
    referent = factories.UserFactory(email="r1@example.org", membership=(operator, "referent"))
    operation = factories.OperationFactory(beneficiary=operator, start_date=START, end_date=END)
    participations = []
    for i in range(3):
        pathway = factories.PathwayFactory(participant__territory=territory, active=True, operator=operator,
                                           referent=referent)
        factories.AppointmentFactory(pathway=pathway, date=datetime.date(YEAR, 3, 1 + i), duration_minutes=60)
        participations.append(factories.ParticipationFactory(participant=pathway.participant, operation=operation,
                                                             entry_date=START))
    ReferentCost.objects.create(territory=territory, referent=referent, year=YEAR,
                                annual_gross_cost=Decimal("43000.00"), work_time_share=Decimal("1"))
    other = factories.OrganisationFactory(territory=territory, operator=True, name="Autre opérateur")
    return {
        "operation": operation, "participations": participations,
        "officer": factories.UserFactory(membership=(operator, "financial_officer")),
        "other_officer": factories.UserFactory(membership=(other, "financial_officer")),
        "manager": factories.UserFactory(membership=(plie, "esf_manager")),
        "controller": factories.UserFactory(membership=(plie, "esf_controller")),
        "coordinator": factories.UserFactory(membership=(plie, "coordinator")),
    }


def _create(esf, **period) -> Claim:
    return services.claim_create(operation=esf["operation"], by=esf["officer"],
                                 date_from=period.get("date_from", START), date_to=period.get("date_to", END))


def _act(claim, name, by, data=None) -> Claim:
    return services.claim_transition(claim=claim, name=name, by=by, data=data)


def _under_control(esf) -> Claim:
    claim = _act(_create(esf), "submit", esf["officer"])
    return _act(claim, "take", esf["controller"])


def test_the_whole_workflow_with_a_rejected_participant_left_out(esf):
    claim = _create(esf)
    assert claim.state == "draft" and claim.author == esf["officer"]
    # Three hours at 25 €/h; 40 %; the rate 60 %.
    assert (claim.direct_staff_costs, claim.flat_rate_costs, claim.total_eligible, claim.esf_due) == (
        Decimal("75.00"), Decimal("30.00"), Decimal("105.00"), Decimal("63.00"))
    assert claim.data == esf_claim_data(esf_claim_compute(operation=esf["operation"], date_from=START, date_to=END))
    claim = _act(claim, "submit", esf["officer"])
    claim = _act(claim, "take", esf["controller"])
    items = services.claim_sample_draw(claim=claim, by=esf["controller"], size=3, seed=7)
    rejected, *others = items
    services.claim_sample_check(item=rejected, by=esf["controller"], outcome="rejected", reason="missing_document")
    for item in others:
        services.claim_sample_check(item=item, by=esf["controller"], outcome="checked")
    # The rejected participant still counts in the frozen figures: the structure must resubmit first.
    with pytest.raises(TransitionRefused, match="Un élément rejeté compte encore"):
        _act(claim, "validate", esf["controller"])
    with pytest.raises(TransitionRefused, match="Motif des corrections demandées : il est obligatoire"):
        _act(claim, "request_corrections", esf["controller"], {"reason": "  "})
    claim = _act(claim, "request_corrections", esf["controller"], {"reason": "Émargement manquant"})
    claim = _act(claim, "resubmit", esf["officer"])
    assert claim.direct_staff_costs == Decimal("50.00") and claim.esf_due == Decimal("42.00")
    assert claim.excluded_participants == [rejected.participation.participant_id]
    claim = _act(claim, "take", esf["controller"])
    claim = _act(claim, "validate", esf["controller"])
    with pytest.raises(TransitionRefused, match="il dépasse le FSE\\+ dû"):
        _act(claim, "pay", esf["manager"], {"paid_on": timezone.localdate(), "amount": Decimal("42.01")})
    claim = _act(claim, "pay", esf["manager"], {"paid_on": timezone.localdate(), "amount": Decimal("42.00")})
    assert (claim.state, claim.paid_amount) == ("paid", Decimal("42.00"))
    rows = list(ClaimTransition.objects.filter(claim=claim))
    assert [r.transition for r in rows] == ["create", "submit", "take", "request_corrections", "resubmit", "take",
                                            "validate", "pay"]
    assert rows[3].data == {"reason": "Émargement manquant"} and rows[3].by == esf["controller"]
    assert CLAIM_WORKFLOW.history_problems(rows, final="paid") == []
    assert AuditEvent.objects.filter(action__startswith="esf.claim.").count() == 8 + 1 + 3   # + draw, 3 checks


def test_two_claims_of_one_operation_may_not_overlap(esf):
    _create(esf, date_to=datetime.date(YEAR, 6, 30))
    with pytest.raises(ValidationError) as refused:
        _create(esf, date_from=datetime.date(YEAR, 6, 30), date_to=END)
    assert "une demande de paiement de cette opération couvre déjà" in refused.value.message_dict["date_from"][0]
    later = _create(esf, date_from=datetime.date(YEAR, 7, 1), date_to=END)
    assert later.state == "draft" and Claim.objects.count() == 2
    with pytest.raises(ValidationError) as outside:
        _create(esf, date_from=datetime.date(YEAR + 1, 1, 1), date_to=datetime.date(YEAR + 1, 2, 1))
    assert "dans la période de l'opération" in outside.value.message_dict["date_from"][0]


def test_the_overlap_is_refused_on_the_page_with_the_field_named(client, esf):
    _create(esf, date_to=datetime.date(YEAR, 6, 30))
    client.force_login(esf["officer"])
    response = client.post(reverse("esf:claim_create", args=[esf["operation"].pk]),
                           {"date_from": f"{YEAR}-03-01", "date_to": f"{YEAR}-09-30"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Début de la période</a> : " in page and "couvre déjà tout ou partie de cette période" in page
    assert Claim.objects.count() == 1


def test_wrong_role_and_wrong_structure_are_refused(esf):
    with pytest.raises(TransitionRefused, match="Votre rôle ne permet pas"):
        services.claim_create(operation=esf["operation"], by=esf["other_officer"], date_from=START, date_to=END)
    with pytest.raises(TransitionRefused, match="Votre rôle ne permet pas"):
        services.claim_create(operation=esf["operation"], by=esf["coordinator"], date_from=START, date_to=END)
    claim = _create(esf)
    for user in ("other_officer", "coordinator", "controller"):
        with pytest.raises(TransitionRefused, match="Votre rôle ne permet pas"):
            _act(claim, "submit", esf[user])
    claim = _act(claim, "submit", esf["manager"])          # the ESF manager submits for any structure
    for user in ("officer", "manager", "coordinator"):
        with pytest.raises(TransitionRefused, match="Votre rôle ne permet pas"):
            _act(claim, "take", esf[user])
    claim = _act(claim, "take", esf["controller"])
    with pytest.raises(TransitionRefused, match="impossible : la demande de paiement est à l'état « en contrôle »"):
        _act(claim, "submit", esf["officer"])
    with pytest.raises(ValidationError, match="Votre rôle ne permet pas de contrôler"):
        services.claim_sample_draw(claim=claim, by=esf["manager"], size=1)
    items = services.claim_sample_draw(claim=claim, by=esf["controller"], size=1, seed=1)
    services.claim_sample_check(item=items[0], by=esf["controller"], outcome="checked")
    claim = _act(claim, "validate", esf["controller"])
    with pytest.raises(TransitionRefused, match="Votre rôle ne permet pas"):
        _act(claim, "pay", esf["controller"], {"paid_on": timezone.localdate(), "amount": Decimal("1")})


def test_no_validation_without_a_sample_or_with_an_unchecked_item(esf):
    claim = _under_control(esf)
    with pytest.raises(TransitionRefused, match="Tirez l'échantillon"):
        _act(claim, "validate", esf["controller"])
    services.claim_sample_draw(claim=claim, by=esf["controller"], size=2, seed=3)
    with pytest.raises(ValidationError, match="déjà tiré"):
        services.claim_sample_draw(claim=claim, by=esf["controller"], size=1)
    first = ClaimSampleItem.objects.filter(claim=claim).first()
    services.claim_sample_check(item=first, by=esf["controller"], outcome="checked")
    with pytest.raises(TransitionRefused, match="1 élément\\(s\\) de l'échantillon ne sont pas contrôlés"):
        _act(claim, "validate", esf["controller"])
    with pytest.raises(ValidationError, match="Motif du rejet"):
        services.claim_sample_check(item=ClaimSampleItem.objects.last(), by=esf["controller"], outcome="rejected",
                                    reason="not-a-reason")
    with pytest.raises(ValidationError, match="Taille de l'échantillon"):
        services.claim_sample_draw(claim=_under_control_other(esf), by=esf["controller"], size=4)


def _under_control_other(esf) -> Claim:
    """A second claim under control (the first one took the whole year: this one is the operation's… none left),
    so a fresh operation of the same beneficiary."""
    operation = factories.OperationFactory(beneficiary=esf["operation"].beneficiary, start_date=START, end_date=END)
    for participation in esf["participations"]:
        factories.ParticipationFactory(participant=participation.participant, operation=operation, entry_date=START)
    claim = services.claim_create(operation=operation, by=esf["officer"], date_from=START, date_to=END)
    return _act(_act(claim, "submit", esf["officer"]), "take", esf["controller"])


def test_the_draw_is_seeded_and_reproducible(esf):
    claim = _under_control(esf)
    items = services.claim_sample_draw(claim=claim, by=esf["controller"], size=2, seed=2026)
    population = sorted(p.pk for p in esf["participations"])
    assert sorted(i.participation_id for i in items) == sorted(random.Random(2026).sample(population, 2))
    claim.refresh_from_db()
    assert (claim.sample_seed, claim.sample_size) == (2026, 2)


def test_database_rules(esf):
    claim = _create(esf)
    item = ClaimSampleItem.objects.create(claim=claim, participation=esf["participations"][0])
    with transaction.atomic(), pytest.raises(IntegrityError):
        ClaimSampleItem.objects.filter(pk=item.pk).update(outcome="rejected")        # a rejection without reason
    with transaction.atomic(), pytest.raises(IntegrityError):
        ClaimSampleItem.objects.create(claim=claim, participation=esf["participations"][0])   # drawn twice
    with transaction.atomic(), pytest.raises(IntegrityError):
        Claim.objects.filter(pk=claim.pk).update(date_to=datetime.date(YEAR - 1, 1, 1))
    with transaction.atomic(), pytest.raises(IntegrityError):
        Claim.objects.filter(pk=claim.pk).update(state="paid")                        # paid without a payment
    with transaction.atomic(), pytest.raises(IntegrityError):
        Claim.objects.filter(pk=claim.pk).update(sample_seed=1)                       # a seed without a size


def test_the_pages_walk_the_workflow(client, esf):
    operation = esf["operation"]
    client.force_login(esf["officer"])
    assert client.get(reverse("esf:claim_list", args=[operation.pk])).status_code == 200
    form = client.get(reverse("esf:claim_create", args=[operation.pk]) + f"?date_from={START}&date_to={END}")
    assert form.status_code == 200 and f'value="{START}"' in form.content.decode()
    response = client.post(reverse("esf:claim_create", args=[operation.pk]),
                           {"date_from": START.isoformat(), "date_to": END.isoformat()})
    claim = Claim.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("esf:claim_detail", args=[claim.pk])
    page = client.get(reverse("esf:claim_detail", args=[claim.pk])).content.decode()
    assert "Déposer la demande" in page and "Cette action ne peut pas être annulée" in page
    confirm = client.get(reverse("esf:claim_act", args=[claim.pk, "submit"]))
    assert confirm.status_code == 200 and "Confirmer : Déposer la demande" in confirm.content.decode()
    client.post(reverse("esf:claim_act", args=[claim.pk, "submit"]))
    client.force_login(esf["controller"])
    client.post(reverse("esf:claim_act", args=[claim.pk, "take"]))
    refused = client.post(reverse("esf:claim_act", args=[claim.pk, "request_corrections"]),
                          {"request_corrections-reason": ""})
    assert refused.status_code == 400 and "Motif des corrections demandées" in refused.content.decode()
    client.post(reverse("esf:claim_sample_draw", args=[claim.pk]), {"size": "2", "seed": "5"})
    assert ClaimSampleItem.objects.filter(claim=claim).count() == 2
    for item in ClaimSampleItem.objects.filter(claim=claim):
        client.post(reverse("esf:claim_sample_check", args=[claim.pk, item.pk]), {f"i{item.pk}-outcome": "checked"})
    client.post(reverse("esf:claim_act", args=[claim.pk, "validate"]))
    client.force_login(esf["manager"])
    client.post(reverse("esf:claim_act", args=[claim.pk, "pay"]),
                {"pay-paid_on": timezone.localdate().isoformat(), "pay-amount": "63,00"})
    claim.refresh_from_db()
    assert claim.state == "paid" and claim.paid_amount == Decimal("63.00")
    page = client.get(reverse("esf:claim_detail", args=[claim.pk])).content.decode()
    assert "Journal du contrôle" in page and "payée" in page
    # The other structure's financial officer sees nothing of it.
    client.force_login(esf["other_officer"])
    assert client.get(reverse("esf:claim_detail", args=[claim.pk])).status_code == 404
    assert client.get(reverse("esf:claim_list", args=[operation.pk])).status_code == 404
    assert client.get(reverse("esf:claim_create", args=[operation.pk])).status_code == 404


def test_the_xlsx_holds_the_figures_and_the_annex(client, esf):
    claim = _create(esf)
    client.force_login(esf["coordinator"])          # esf.read: the team reads the claims
    response = client.get(reverse("esf:claim_export", args=[claim.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    figures = {row[0]: row[1] for row in book["Demande de paiement"].iter_rows(values_only=True)}
    assert figures["Frais de personnel directs (€)"] == 75 and figures["FSE+ dû (€)"] == 63
    annex = list(book["Annexe par référent"].iter_rows(values_only=True))
    assert annex[1][:2] == ("r1@example.org", 180)
    assert list(book["Journal du contrôle"].iter_rows(values_only=True))[1][2] == "Créer la demande de paiement"


def test_the_esf_roles_are_refused_the_gates_they_lack(client, territory, plie, operator):
    """Each ESF+ role, at every area gate: 403 exactly where its grants hold none of the view's capabilities."""
    from django.urls import resolve

    from parcours.organisations.capabilities import capabilities_of
    from tests.security.test_capabilities import GATES

    where = {"esf_manager": plie, "financial_officer": operator, "esf_controller": plie}
    for role, organisation in where.items():
        client.force_login(factories.UserFactory(membership=(organisation, role)))
        for name, kwargs in GATES.values():
            url = reverse(name, kwargs=kwargs)
            status = client.get(url).status_code
            assert (status == 403) == (not resolve(url).func.capabilities & capabilities_of(role)), (role, name)


def test_the_pdf_holds_the_figures_the_annex_and_the_log(client, esf):
    from pypdf import PdfReader

    claim = _act(_create(esf), "submit", esf["officer"])
    client.force_login(esf["officer"])
    response = client.get(reverse("esf:claim_pdf", args=[claim.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split())
    assert "Demande de paiement FSE+" in text and "r1@example.org" in text
    assert "75,00" in text and "63,00" in text and "Déposer la demande" in text


def test_a_financial_officer_reaches_only_their_structure_s_operations(client, esf):
    factories.OperationFactory(beneficiary=esf["other_officer"].memberships.get().organisation,
                               title="Opération de l'autre opérateur")
    client.force_login(esf["officer"])
    page = client.get(reverse("esf:operation_list")).content.decode()
    assert esf["operation"].operation_ref in page and "Opération de l'autre opérateur" not in page
    assert reverse("esf:claim_list", args=[esf["operation"].pk]) in page
    assert "Demandes de paiement FSE+" in page            # their menu entry
    assert client.get(reverse("esf:operation_detail", args=[esf["operation"].pk])).status_code == 403


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="two writers at once need PostgreSQL (SQLite's test database has a single writer)")
@pytest.mark.django_db(transaction=True)
def test_two_overlapping_drafts_at_once_make_one_claim(territory, plie, operator):
    """The overlap is checked under the operation's row lock: the second draft waits for the first, then sees it."""
    import threading

    from parcours.esf import services as claim_services

    operation = factories.OperationFactory(beneficiary=operator, start_date=START, end_date=END)
    officer = factories.UserFactory(membership=(operator, "financial_officer"))
    first_wrote, release = threading.Event(), threading.Event()
    real_create = claim_services.transition_create
    outcome: dict = {}

    def slow_create(*args, **kwargs):
        created = real_create(*args, **kwargs)
        if threading.current_thread().name == "first":
            first_wrote.set()
            release.wait(timeout=10)
        return created

    def draft(name, date_from, date_to):
        try:
            claim_services.claim_create(operation=operation, by=officer, date_from=date_from, date_to=date_to)
            outcome[name] = "created"
        except ValidationError as error:
            outcome[name] = error.message_dict["date_from"][0]
        finally:
            connection.close()

    claim_services.transition_create = slow_create
    try:
        first = threading.Thread(target=draft, args=("first", START, datetime.date(YEAR, 6, 30)), name="first")
        second = threading.Thread(target=draft, args=("second", datetime.date(YEAR, 3, 1), END), name="second")
        first.start()
        assert first_wrote.wait(timeout=10)
        second.start()
        second.join(timeout=1)
        waited = second.is_alive()
        release.set()
        first.join(timeout=30), second.join(timeout=30)
    finally:
        claim_services.transition_create = real_create
    assert waited and outcome["first"] == "created", outcome
    assert "couvre déjà tout ou partie de cette période" in outcome["second"]
    assert Claim.objects.count() == 1
