"""The ESF+ roles walk every URL of the project on structure A's world, as tests/security/test_role_walk.py walks
the others: a URL whose gate asks none of the role's capabilities (docs/authorisation.md, the ESF+ table, checked
against the grants by tests/security/test_capabilities.py) answers 403 and shows no person; one it opens answers."""

from __future__ import annotations

import pytest

from parcours.organisations.capabilities import capabilities_of
from tests.conftest import VerifiedClient
from tests.security.test_access_log_walk import POST_READS, _people, _text
from tests.security.test_capabilities import ESF_ROLES
from tests.security.test_role_walk import _headers, gate_of
from tests.security.test_url_walk import URLS, Own, Public, _url
from tests.security.world import build_world

pytestmark = pytest.mark.django_db


def test_every_url_answers_the_esf_roles_as_their_grants_say():
    world = build_world()
    people = _people(world)
    failures = []
    for role in ESF_ROLES:
        held = capabilities_of(role)
        client = VerifiedClient()
        client.force_login(world.users[role])
        for name, entry in sorted(URLS.items()):
            if isinstance(entry, Public) or name in POST_READS:
                continue
            path = _url(name, world, entry)
            gate = gate_of(path)
            if gate is None:
                continue
            data = entry.query(world) if isinstance(entry, Own) and entry.query else {}
            response = client.get(path, data, **_headers(world, role, name))
            status = response.status_code
            where = f"GET {name} as {role} (needs one of {sorted(gate)}): {status}"
            if status >= 500:
                failures.append(f"{where}: server error")
            elif not gate & held:
                if status != 403:
                    failures.append(f"{where}: expected 403")
                elif any(w.casefold() in _text(response).casefold() for words in people.values() for w in words):
                    failures.append(f"{where} shows a person")
            elif status in (403, 404):
                failures.append(f"{where}, its grants open it")
    assert not failures, f"{len(failures)} problem(s):\n" + "\n".join(failures)
