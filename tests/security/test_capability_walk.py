"""Every page behind capability_required (not one per capability): refused with 403 to each role lacking its
capabilities, before any lookup (an id that exists nowhere gets the same answer)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from parcours.organisations.capabilities import CAPABILITIES, capabilities_of
from tests import factories

ROLES = ["coordinator", "director", "referent", "prescriber", "administrator", "dpo"]


def _gated(patterns=None, prefix=""):
    found = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            found += _gated(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern):
            capabilities = getattr(entry.callback, "capabilities", None)
            if capabilities:
                found.append((prefix + entry.name, capabilities, list(entry.pattern.regex.groupindex)))
    return found


@pytest.fixture
def people(territory, plie, operator, prescriber_org):
    where = {"coordinator": plie, "director": plie, "administrator": plie, "dpo": plie, "referent": operator,
             "prescriber": prescriber_org}
    return {role: factories.UserFactory(membership=(where[role], role)) for role in ROLES}


def test_the_walk_finds_the_gated_pages():
    gated = _gated()
    assert len(gated) >= 30
    assert all(set(capabilities) <= set(CAPABILITIES) for _name, capabilities, _kwargs in gated)


def test_each_gated_page_refuses_each_role_lacking_its_capabilities(client, people):
    failures = []
    for name, capabilities, kwarg_names in _gated():
        url = reverse(name, kwargs={k: 999999 for k in kwarg_names})
        for role, user in people.items():
            if set(capabilities) & capabilities_of(role):
                continue
            client.force_login(user)
            status = client.get(url).status_code
            if status == 405:
                status = client.post(url).status_code
            if status != 403:
                failures.append(f"{name} as {role} (lacks {sorted(capabilities)}): {status}")
    assert failures == []


def test_a_capability_code_is_spelled_only_where_it_is_defined():
    import re
    from pathlib import Path

    src = Path(__file__).resolve().parents[2] / "src" / "parcours"
    # A test's own programme (tests/programmes/test_second_programme.py) defines one when it is imported.
    spelled = {code: [] for code in CAPABILITIES if not code.startswith("test_")}
    for path in src.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for code in re.findall(r"[\"']([a-z_]+\.[a-z_]+)[\"']", path.read_text()):
            if code in spelled:
                spelled[code].append(str(path.relative_to(src)))
    assert {code: files for code, files in spelled.items() if files != ["organisations/capabilities.py"]} == {}
