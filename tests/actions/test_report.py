"""`parcours actions-report`: every figure computed by hand on a small set (docs/actions.md)."""

import datetime

import pytest

from parcours.actions.enums import ActionKind
from parcours.actions.services import attendance_record, positioning_decide, positioning_propose
from tests import factories
from tests.esf.dataset import command_json
from tests.interchange.helpers import run

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def test_the_figures_of_a_period(territory, operator, referent, coordinator):
    provider = factories.OrganisationFactory(territory=territory, kind="step_provider", name="Organisme Numérique")
    staff = factories.UserFactory(membership=(provider, "action_staff"))
    digital = factories.ActionFactory(operator=provider, kind="f17_digital", places=5)
    factories.ActionFactory(operator=provider, kind="f02_barriers", places=3,
                            start_date=TODAY - datetime.timedelta(days=400),
                            end_date=TODAY - datetime.timedelta(days=300))          # before the period: not counted
    qpv = factories.ActionFactory(operator=operator, kind="f15_qpv", places=4)     # the referent's structure
    session = factories.ActionSessionFactory(action=digital, date=TODAY)
    people = [factories.PathwayFactory(active=True, operator=operator, referent=referent) for _ in range(4)]
    started = []
    for pathway in people[:2]:
        p = positioning_decide(positioning=positioning_propose(action=digital, pathway=pathway, by=referent),
                               name="accept", by=staff)
        started.append(positioning_decide(positioning=p, name="start", by=staff, data={"on": TODAY}))
    attendance_record(session=session, marks={started[0].pk: "present", started[1].pk: "excused"}, by=staff)
    positioning_decide(positioning=started[0], name="complete", by=staff, data={"on": TODAY})
    positioning_decide(positioning=started[1], name="leave", by=staff, data={"on": TODAY, "reason": "health"})
    positioning_decide(positioning=positioning_propose(action=digital, pathway=people[2], by=referent),
                       name="refuse", by=staff, data={"reason": "public"})
    positioning_propose(action=qpv, pathway=people[3], by=referent)

    report = command_json("actions_report", "--from", (TODAY - datetime.timedelta(days=30)).isoformat(),
                          "--to", TODAY.isoformat())
    assert report["totals"] == {"actions": 2, "places": 9, "steps": 2, "completed": 1, "left": 1}
    assert report["completion_rate"] == 0.5
    assert list(report["by_kind"]) == ActionKind.values       # the twenty fiches, in order, every one present
    assert report["by_kind"]["f17_digital"] == {"label": str(ActionKind.DIGITAL.label), "actions": 1, "places": 5,
                                                "steps": 2, "completed": 1, "left": 1}
    assert report["by_kind"]["f02_barriers"]["actions"] == 0
    assert report["by_kind"]["f15_qpv"] == {"label": str(ActionKind.QPV.label), "actions": 1, "places": 4,
                                            "steps": 0, "completed": 0, "left": 0}
    assert sorted(report["by_operator"], key=lambda row: row["places"]) == [   # sorted by name in the report
        {"operator": operator.name, "actions": 1, "places": 4, "steps": 0, "completed": 0, "left": 0},
        {"operator": "Organisme Numérique", "actions": 1, "places": 5, "steps": 2, "completed": 1, "left": 1}]
    assert [row["operator"] for row in report["by_operator"]] == sorted(row["operator"] for row in report["by_operator"])
    assert report["positionings_by_state"] == {"proposed": 1, "accepted": 0, "refused": 1, "waiting_list": 0,
                                               "started": 0, "completed": 1, "left": 1}
    assert report["sessions"] == 1
    assert report["attendance"] == {"present": 1, "absent": 0, "excused": 1}
    code, out, _err = run("actions_report", "--from", TODAY.isoformat(), "--to", TODAY.isoformat(),
                          "--format", "text")
    assert code == 0 and "by_kind.f17_digital.steps : 2" in out


def test_bad_arguments_are_refused_in_french(territory):
    code, _out, err = run("actions_report", "--from", "2025-13-01", "--to", "2025-12-31")
    assert code != 0 and "--from" in err
    code, _out, err = run("actions_report", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "xml")
    assert code != 0 and "--format" in err
