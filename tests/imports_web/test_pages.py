"""Who may use the import pages, progress polling, and the pinned query count of each page."""

import html

import pytest
from django.urls import reverse

from parcours.interchange.enums import ImportState, ImportStep
from parcours.interchange.models import ImportRun
from parcours.participants.models import Participant
from tests import factories

from .conftest import deposit, last_run, upload, zip_of


def urls(run) -> list[tuple[str, str]]:
    kwargs = {"pk": run.pk}
    return [("GET", reverse("imports:import_list")), ("GET", reverse("imports:import_create")),
            ("POST", reverse("imports:import_create")),
            ("GET", reverse("imports:import_detail", kwargs=kwargs)),
            ("GET", reverse("imports:import_progress", kwargs=kwargs)),
            ("POST", reverse("imports:import_confirm", kwargs=kwargs)),
            ("POST", reverse("imports:import_cancel", kwargs=kwargs))]


@pytest.fixture
def validated(client, coordinator, small_set):
    client.force_login(coordinator)
    deposit(client, upload("reprise.zip", zip_of(small_set)))
    client.logout()
    return last_run()


@pytest.mark.parametrize("who", ["referent", "prescriber", "administrator"])
def test_users_outside_the_plie_team_get_403(client, validated, who, request):
    client.force_login(request.getfixturevalue(who))
    for method, url in urls(validated):
        assert getattr(client, method.lower())(url).status_code == 403, url
    validated.refresh_from_db()
    assert validated.state == ImportState.VALIDATED and Participant.objects.count() == 0


@pytest.mark.parametrize("who", ["coordinator", "director"])
def test_the_plie_team_uses_imports(client, validated, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("imports:import_list")).status_code == 200
    assert client.get(reverse("imports:import_detail", kwargs={"pk": validated.pk})).status_code == 200
    assert reverse("imports:import_list") in client.get(reverse("web:home")).content.decode()  # the menu entry


def test_the_menu_entry_is_for_the_team_only(client, referent):
    client.force_login(referent)
    assert reverse("imports:import_list") not in client.get(reverse("web:home")).content.decode()


def test_another_territorys_run_is_not_found_and_left_alone(client, validated, foreign_coordinator):
    client.force_login(foreign_coordinator)
    for method, url in urls(validated)[3:]:
        assert getattr(client, method.lower())(url).status_code == 404, url
    assert f"n° {validated.pk}" not in client.get(reverse("imports:import_list")).content.decode()
    validated.refresh_from_db()
    assert validated.state == ImportState.VALIDATED and Participant.objects.count() == 0


def test_anonymous_is_sent_to_sign_in(client, validated):
    for method, url in urls(validated):
        response = getattr(client, method.lower())(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("web:login"))


def test_confirm_and_cancel_answer_405_to_get(client, coordinator, validated):
    client.force_login(coordinator)
    for name in ("imports:import_confirm", "imports:import_cancel"):
        assert client.get(reverse(name, kwargs={"pk": validated.pk})).status_code == 405


def test_a_coordinator_of_two_plie_imports_into_the_one_they_work_for(client, coordinator, territory, small_set):
    """The territory is the current structure's (chosen in the header), not a field of the form."""
    elsewhere = factories.TerritoryFactory(name="Vichy Communauté")
    second = coordinator.memberships.create(
        organisation=factories.OrganisationFactory(territory=elsewhere, plie=True), role="coordinator")
    client.force_login(coordinator)
    page = html.unescape(client.get(reverse("imports:import_create")).content.decode())
    assert 'id="id_territory"' not in page
    deposit(client, upload("reprise.zip", zip_of(small_set)))
    assert last_run().territory == territory
    client.post(reverse("web:scope_switch"), {"membership": second.pk})
    deposit(client, upload("reprise.zip", zip_of(small_set)))
    assert last_run().territory == elsewhere


def test_the_progress_region_polls_while_the_run_is_busy(team_client, coordinator, territory):
    run = ImportRun.objects.create(territory=territory, created_by=coordinator, state=ImportState.RUNNING,
                                   step=ImportStep.WRITING, rows_done=3000, rows_total=12000,
                                   files=[{"name": "participants.csv", "size": 10}])
    page = html.unescape(team_client.get(reverse("imports:import_detail", kwargs={"pk": run.pk})).content.decode())
    progress = reverse("imports:import_progress", kwargs={"pk": run.pk})
    assert f'role="status" aria-live="polite" hx-get="{progress}" hx-trigger="every 2s"' in page
    fragment = html.unescape(team_client.get(progress, headers={"HX-Request": "true"}).content.decode())
    assert "Enregistrement" in fragment and 'max="12000" value="3000"' in fragment and "(25 %)" in fragment
    assert "<html" not in fragment


def test_the_progress_fragment_sends_the_page_to_the_outcome_when_over(team_client, coordinator, territory):
    run = ImportRun.objects.create(territory=territory, created_by=coordinator, state=ImportState.DONE)
    progress = reverse("imports:import_progress", kwargs={"pk": run.pk})
    detail = reverse("imports:import_detail", kwargs={"pk": run.pk})
    response = team_client.get(progress, headers={"HX-Request": "true"})
    assert (response.status_code, response["HX-Redirect"]) == (204, detail)
    response = team_client.get(progress)  # without htmx: an ordinary redirect
    assert (response.status_code, response["Location"]) == (302, detail)


def test_the_list_is_paginated_newest_first(team_client, coordinator, territory):
    runs = [ImportRun.objects.create(territory=territory, created_by=coordinator) for _ in range(27)]
    page = team_client.get(reverse("imports:import_list")).content.decode()
    assert f"n° {runs[-1].pk}<" in page and f"n° {runs[1].pk}<" not in page and "Page 1 sur 2" in page
    page = team_client.get(reverse("imports:import_list"), {"page": 2}).content.decode()
    assert f"n° {runs[0].pk}<" in page


# --- query counts: session, user, memberships, then the page's own ----------------------------------------------
# Each page is opened once before it is measured: the first request after signing in or after a message also
# writes the session, which is not the page's cost.

def _runs(territory, user, n):
    for _ in range(n):
        ImportRun.objects.create(territory=territory, created_by=user, state=ImportState.DONE,
                                 files=[{"name": "participants.csv", "size": 10}], rows_total=10)


LIST_QUERIES = 5      # session, user, memberships (roles and territories), count, the page of runs with their users
DETAIL_QUERIES = 4    # session, user, memberships, the run with its territory and users
PROGRESS_QUERIES = 4  # session, user, memberships, the run
CREATE_QUERIES = 4    # session, user, memberships, the team's territories


def _measure(client, url, expected, assert_num_queries, **extra):
    assert client.get(url, **extra).status_code in (200, 204)
    with assert_num_queries(expected):
        client.get(url, **extra)


def test_list_query_count_is_pinned(team_client, coordinator, territory, django_assert_num_queries):
    _runs(territory, coordinator, 2)
    _measure(team_client, reverse("imports:import_list"), LIST_QUERIES, django_assert_num_queries)
    director = factories.UserFactory(membership=(coordinator.memberships.first().organisation, "director"))
    _runs(territory, director, 5)
    _measure(team_client, reverse("imports:import_list"), LIST_QUERIES, django_assert_num_queries)


@pytest.mark.parametrize("fixture", ["small_set", "bad_set"])
def test_report_query_count_is_pinned(team_client, fixture, request, django_assert_num_queries):
    deposit(team_client, upload("reprise.zip", zip_of(request.getfixturevalue(fixture))))
    _measure(team_client, reverse("imports:import_detail", kwargs={"pk": last_run().pk}), DETAIL_QUERIES,
             django_assert_num_queries)


def test_result_query_count_is_pinned(team_client, small_set, django_assert_num_queries):
    deposit(team_client, upload("reprise.zip", zip_of(small_set)))
    team_client.post(reverse("imports:import_confirm", kwargs={"pk": last_run().pk}))
    assert last_run().state == ImportState.DONE
    _measure(team_client, reverse("imports:import_detail", kwargs={"pk": last_run().pk}), DETAIL_QUERIES,
             django_assert_num_queries)


def test_progress_and_form_query_counts_are_pinned(team_client, coordinator, territory, django_assert_num_queries):
    run = ImportRun.objects.create(territory=territory, created_by=coordinator, state=ImportState.UPLOADED)
    _measure(team_client, reverse("imports:import_progress", kwargs={"pk": run.pk}), PROGRESS_QUERIES,
             django_assert_num_queries, headers={"HX-Request": "true"})
    _measure(team_client, reverse("imports:import_detail", kwargs={"pk": run.pk}), DETAIL_QUERIES,
             django_assert_num_queries)
    _measure(team_client, reverse("imports:import_create"), CREATE_QUERIES, django_assert_num_queries)
