"""What each role may do in the PLIE: the programme's grants of the named capabilities (organisations.capabilities).

The animation team (coordination, direction) runs the programme on its territory; the referents follow their
structure's people; the prescribers send and follow their applications. The administrator manages accounts,
structures and rules (the house's `administration.manage`) and never opens a person's data: in the PLIE they read
only the aggregated, anonymous indicators.
"""

from __future__ import annotations

from parcours.organisations import capabilities as c
from parcours.organisations.enums import Role

_TEAM = {c.PATHWAY_READ, c.PATHWAY_ASSIGN, c.TERRITORY_FILES, c.APPLICATION_READ, c.APPLICATION_SUBMIT,
         c.APPLICATION_MANAGE, c.COMMISSION_READ, c.COMMISSION_PLAN, c.REPORTING_READ, c.IMPORT_RUN}
_DECIDING = {c.PATHWAY_WRITE, c.SENSITIVE_READ, c.COMMISSION_DECIDE, c.RIGHTS_MANAGE, c.RIGHTS_ERASE}
# The ESF+ money (operations, plans, completeness, claims) is the team's; the referents fill their people's
# questionnaires, on the files they may write.
_ESF_TEAM = {c.ESF_READ, c.ESF_MANAGE, c.ESF_QUESTIONNAIRE}
# The team keeps the territory's places (agency, operators' premises, permanences) up to date, as the administrator.
_PLACES = {c.PLACES_MANAGE}

PLIE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.COORDINATOR: frozenset(_TEAM | _DECIDING | _ESF_TEAM | _PLACES),
    Role.DIRECTOR: frozenset(_TEAM | _DECIDING | _ESF_TEAM | _PLACES | {c.ARCHIVE_READ}),
    Role.ADMINISTRATOR: frozenset({c.REPORTING_READ}),
    Role.REFERENT: frozenset({c.PATHWAY_READ, c.PATHWAY_WRITE, c.SENSITIVE_READ, c.APPLICATION_READ,
                              c.COMMISSION_READ, c.RIGHTS_MANAGE, c.ESF_QUESTIONNAIRE}),
    Role.PRESCRIBER: frozenset({c.APPLICATION_READ, c.APPLICATION_SUBMIT}),
    Role.DPO: frozenset(),
    # The ESF+ roles (docs/esf.md, "The claim's workflow"): the PLIE's ESF manager runs the operations and their
    # claims and records the payments; a structure's financial officer prepares and submits its own operations'
    # claims (nothing else: esf.access scopes them to their structure); the controller controls them.
    Role.ESF_MANAGER: frozenset({c.ESF_READ, c.ESF_MANAGE, c.ESF_CLAIM, c.ESF_PAY}),
    Role.FINANCIAL_OFFICER: frozenset({c.ESF_CLAIM}),
    Role.ESF_CONTROLLER: frozenset({c.ESF_READ, c.ESF_CONTROL}),
}
