"""The authorisation matrix is the test: every URL and API endpoint, opened by every role of structure A on A's own
objects, answers as docs/authorisation.md's capability table says.

For each URL of `URLS` (tests/security/test_url_walk.py) the capabilities that open it are read from the view
itself (`capability_required` on a page, `action_capabilities` of an API viewset); the roles that hold one of them
are read from the documented table (not from the code's grants). A role outside them must get 403 and nothing of
A's people; a role inside must get the page (A's users own every object of the world, so a 403 or a 404 would be a
rule the matrix does not say). Every URL that shows a person (the access-log walk's `OPENINGS`) must be gated by a
capability, so that the matrix governs it.
"""

from __future__ import annotations

import pytest
from django.urls import resolve

from tests import factories
from tests.conftest import VerifiedClient
from tests.security.test_access_log_walk import OPENINGS, POST_READS, _people, _text
from tests.security.test_capabilities import _documented
from tests.security.test_url_walk import URLS, Obj, Own, Public, _url
from tests.security.world import build_world

ROLES = ("coordinator", "director", "referent", "prescriber", "administrator", "dpo", "youth_manager", "facilitator",
         "action_staff", "employer_relations", "youth_adviser", "youth_reception")

# URLs whose reach a scope rule narrows beyond the capability table, for a role that holds the capability.
NARROWER = {
    ("actions:propose", "prescriber"): "a prescriber proposes their structure's candidates; the world's P4 entered "
                                       "through a collective action, prescribed by no one",
    ("intake:application_create", "prescriber"): "?participant= (a re-entry) names a file only the team opens; "
                                                 "the blank form is the prescriber's",
}
# Pages that show people without a capability gate: each shows only what the user's own scope holds, by role.
UNGATED_OPENINGS = {
    "web:home": "each role's work lists, each from the scoped selectors of the capability it needs",
}


def gate_of(path: str, method: str = "GET") -> frozenset[str] | None:
    """The capabilities (any of them) that open this URL, read from its view; None: no capability gate."""
    func = resolve(path).func
    if hasattr(func, "cls") and hasattr(func, "actions"):          # an API viewset
        action = func.actions.get(method.lower())
        return getattr(func.cls, "action_capabilities", {}).get(action)
    if hasattr(func, "view_class"):                                # an API view (indicators)
        return getattr(func.view_class, "capabilities", None)
    return getattr(func, "capabilities", None)


@pytest.fixture
def world():
    return build_world()


def _headers(world, role, name) -> dict:
    if not name.startswith("api:"):
        return {}
    return {"HTTP_AUTHORIZATION": f"Token {factories.api_token(world.users[role])}"}


def test_every_url_answers_every_role_as_the_matrix_says(world):
    documented = _documented()
    people = _people(world)
    failures = []
    for role in ROLES:
        client = VerifiedClient()
        client.force_login(world.users[role])
        for name, entry in sorted(URLS.items()):
            if isinstance(entry, Public) or name in POST_READS:
                continue
            path = _url(name, world, entry)
            gate = gate_of(path)
            if gate is None:
                continue
            allowed = any(role in documented[capability] for capability in gate)
            data = entry.query(world) if isinstance(entry, Own) and entry.query else {}
            response = client.get(path, data, **_headers(world, role, name))
            status = response.status_code
            where = f"GET {name} as {role} (needs one of {sorted(gate)}): {status}"
            if status >= 500:
                failures.append(f"{where}: server error")
            elif not allowed:
                if status != 403:
                    failures.append(f"{where}, the matrix gives this role none of them: expected 403")
                elif status == 200 or any(w.casefold() in _text(response).casefold()
                                          for words in people.values() for w in words):
                    failures.append(f"{where} shows a person")
            elif status in (403, 404) and (name, role) not in NARROWER:
                failures.append(f"{where}, the matrix opens it to this role")
    assert not failures, f"{len(failures)} problem(s):\n" + "\n".join(failures)


def test_every_url_showing_a_person_is_gated_by_a_capability(world):
    ungated = []
    for name in OPENINGS:
        entry = URLS[name]
        path = _url(name, world, entry)
        if gate_of(path) is None and gate_of(path, "POST") is None and name not in UNGATED_OPENINGS:
            ungated.append(name)
    assert not ungated, f"pages showing people without a capability gate (the matrix cannot govern them): {ungated}"


def test_the_walk_reads_gates_from_the_views(world):
    assert gate_of(_url("pathways:pathway_detail", world, URLS["pathways:pathway_detail"])) == {"pathway.read"}
    assert gate_of(_url("api:participant-list", world, URLS["api:participant-list"])) == {"pathway.read"}
    assert isinstance(URLS["pathways:pathway_detail"], Obj)
