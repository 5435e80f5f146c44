"""Named capabilities: each defined once, granted as docs/authorisation.md's table says, and each refused to the
roles that lack it (a 403 at the area's gate, before any object is looked up)."""

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse

from parcours.core.workflow import TransitionRefused
from parcours.organisations import capabilities as c
from parcours.organisations.capabilities import CAPABILITIES, capabilities_grant, capabilities_of, capability_define
from parcours.organisations.enums import Role
from parcours.pathways.access import pathways_visible_to
from parcours.pathways.models import Pathway
from parcours.pathways.selectors import can_see_sensitive
from parcours.plie.commissions.access import commissions_visible_to
from parcours.plie.commissions.models import Commission
from parcours.plie.commissions.services import commission_decide, commission_plan
from parcours.web.permissions import capability_required
from parcours.youth.access import youth_files_visible_to
from tests import factories

MATRIX = Path(__file__).resolve().parents[2] / "docs" / "authorisation.md"
ROLES = ["coordinator", "director", "referent", "prescriber", "administrator", "dpo", "youth_manager", "facilitator",
         "action_staff", "employer_relations", "youth_adviser", "youth_reception"]


def _documented() -> dict[str, set[str]]:
    """capability -> roles ticked in the table of docs/authorisation.md."""
    rows = {}
    for line in MATRIX.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\| `([a-z_.]+)` \| [^|]+ \|(.*)\|$", line)
        if match:
            cells = [cell.strip() for cell in match.group(2).split("|")]
            assert len(cells) == len(ROLES), line
            rows[match.group(1)] = {role for role, cell in zip(ROLES, cells, strict=True) if cell == "✓"}
    return rows


def test_the_documented_table_is_the_grants():
    documented = _documented()
    # Capabilities a test defines for its own programme (test_second_programme) are not the house's.
    defined = {code for code in CAPABILITIES if not code.startswith("test_")}
    assert set(documented) == defined
    for code, roles in documented.items():
        assert {role for role in ROLES if code in capabilities_of(role)} == roles, code


def test_a_capability_is_defined_once_and_only_defined_ones_are_granted_or_asked(referent):
    with pytest.raises(ValueError, match="defined twice"):
        capability_define(c.PATHWAY_READ, "Encore")
    with pytest.raises(ValueError, match="undefined capabilities"):
        capabilities_grant(Role.REFERENT, {"pathway.fly"})
    with pytest.raises(LookupError):
        referent.can("pathway.fly")
    with pytest.raises(LookupError):
        capability_required("pathway.fly")


# The gate of each capability an area opens: (url name, kwargs). The id is never looked up: the gate refuses first.
GATES = {
    c.PATHWAY_READ: ("pathways:caseload", {}),
    c.PATHWAY_WRITE: ("pathways:step_add", {"pk": 1}),
    c.PATHWAY_ASSIGN: ("intake:assignment_queue", {}),
    c.APPLICATION_READ: ("intake:application_list", {}),
    c.APPLICATION_SUBMIT: ("intake:application_create", {}),
    c.APPLICATION_MANAGE: ("intake:collective_entry", {}),
    c.REPORTING_READ: ("reporting:indicators", {}),
    c.IMPORT_RUN: ("imports:import_list", {}),
    c.ESF_READ: ("esf:operation_list", {}),
    c.ESF_MANAGE: ("esf:operation_create", {}),
    c.ESF_QUESTIONNAIRE: ("esf:pathway_participations", {"pk": 1}),
    c.RIGHTS_MANAGE: ("rights:participant_rights", {"pk": 1}),
    c.RIGHTS_ERASE: ("rights:erase", {"pk": 1}),
    c.ADMINISTRATION_MANAGE: ("administration:overview", {}),
    c.AUDIT_READ: ("audit:access_log", {}),
    c.YOUTH_REPORT: ("youth:report", {}),
    c.YOUTH_WRITE: ("youth:event_add", {"pk": 1}),
    c.YOUTH_RECEIVE: ("youth:reception", {}),
    c.CLAUSES_READ: ("clauses:contract_list", {}),
    c.CLAUSES_MANAGE: ("clauses:statement_add", {"pk": 1}),
    c.ACTIONS_READ: ("actions:catalogue", {}),
    c.ACTIONS_MANAGE: ("actions:action_create", {}),
    c.ACTIONS_RUN: ("actions:operator_home", {}),
    c.ACTIONS_PROPOSE: ("actions:propose", {"pk": 1, "pathway": 1}),
    c.PLACES_MANAGE: ("places:place_create", {}),
    c.EMPLOYERS_READ: ("employers:employer_list", {}),
    c.EMPLOYERS_MANAGE: ("employers:employer_create", {}),
    c.EMPLOYERS_PROPOSE: ("employers:candidacy_propose", {"pk": 1, "pathway": 1}),
    c.ESF_CLAIM: ("esf:claim_create", {"pk": 1}),
    c.ESF_CONTROL: ("esf:claim_sample_draw", {"pk": 1}),
    # The transitions' page opens to esf.claim, esf.control and esf.pay; the workflow's policy narrows each one.
    c.ESF_PAY: ("esf:claim_act", {"pk": 1, "name": "pay"}),
}


@pytest.fixture
def one_of_each(territory, plie, operator, prescriber_org):
    mission_locale = factories.OrganisationFactory(territory=territory, prescriber=True, name="Mission Locale")
    where = {"coordinator": plie, "director": plie, "administrator": plie, "dpo": plie, "referent": operator,
             "prescriber": prescriber_org, "youth_manager": mission_locale, "facilitator": plie,
             "action_staff": factories.OrganisationFactory(territory=territory, kind="step_provider"),
             "employer_relations": plie, "youth_adviser": mission_locale, "youth_reception": mission_locale}
    return {role: factories.UserFactory(membership=(where[role], role)) for role in ROLES}


@pytest.mark.parametrize("capability", sorted(GATES))
def test_each_gate_refuses_the_roles_without_its_capability(capability, client, one_of_each):
    name, kwargs = GATES[capability]
    url = reverse(name, kwargs=kwargs)
    for role, user in one_of_each.items():
        client.force_login(user)
        status = client.get(url).status_code
        if capability in capabilities_of(role):
            assert status != 403, (role, name)
        else:
            assert status == 403, (role, name)


def test_the_other_capabilities_are_refused_where_they_are_asked(territory, one_of_each):
    """Those with no area of their own: a service or a selector asks them."""
    factories.PathwayFactory(participant__territory=territory, active=True)   # at no one's operator
    Commission.objects.create(territory=territory, date=datetime.date(2024, 5, 2))
    factories.YouthFileFactory(participant__territory=territory)
    for role, user in one_of_each.items():
        held = capabilities_of(role)
        # The file's page opens to reception too; its support (events, situations…) only to these.
        assert youth_files_visible_to(user).exists() == (c.YOUTH_READ in held), role
        assert can_see_sensitive(user) == (c.SENSITIVE_READ in held), role
        assert pathways_visible_to(user).exists() == (c.TERRITORY_FILES in held), role
        assert commissions_visible_to(user).exists() == (c.COMMISSION_READ in held), role
        if c.COMMISSION_PLAN not in held:
            with pytest.raises(TransitionRefused, match="Seule l'équipe d'animation programme"):
                commission_plan(territory=territory, on=None, by=user)
        if c.COMMISSION_DECIDE not in held:
            with pytest.raises(TransitionRefused, match="décident en commission"):
                commission_decide(commission=Commission.objects.get(), pathway=Pathway.objects.get(),
                                  outcome="admitted", by=user)
    assert set(GATES) | {c.SENSITIVE_READ, c.TERRITORY_FILES, c.ARCHIVE_READ, c.COMMISSION_READ, c.COMMISSION_PLAN,
                         c.COMMISSION_DECIDE, c.YOUTH_READ} == {code for code in CAPABILITIES if not code.startswith("test_")}


ESF_ROLES = ["esf_manager", "financial_officer", "esf_controller"]


def test_the_esf_roles_table_is_their_grants():
    """The ESF+ roles hold only esf.* capabilities, as the second table of docs/authorisation.md says."""
    rows = {}
    for line in MATRIX.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\| `(esf\.[a-z_]+)` \(FSE\+\) \|((?: [✓—] \|){3})$", line)
        if match:
            cells = [cell.strip() for cell in match.group(2).strip(" |").split("|")]
            rows[match.group(1)] = {role for role, cell in zip(ESF_ROLES, cells, strict=True) if cell == "✓"}
    assert set(rows) == {code for code in CAPABILITIES if code.startswith("esf.")}
    for code, roles in rows.items():
        assert {role for role in ESF_ROLES if code in capabilities_of(role)} == roles, code
    for role in ESF_ROLES:
        assert all(code.startswith("esf.") for code in capabilities_of(role)), role
