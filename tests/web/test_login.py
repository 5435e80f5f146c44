from django.urls import reverse



def test_anonymous_home_redirects_to_login(client):
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("web:login"))


def test_login_with_email_then_home_greets_the_user(client, referent):
    response = client.post(reverse("web:login"), {"username": referent.email, "password": "un-mot-de-passe-solide"})
    assert response.status_code == 302
    page = client.get(reverse("web:home"))
    assert page.status_code == 200
    assert referent.first_name in page.content.decode()
    assert page["Cache-Control"] == "no-store"


def test_coordinator_login_leads_to_second_factor_enrolment(client, coordinator):
    client.post(reverse("web:login"), {"username": coordinator.email, "password": "un-mot-de-passe-solide"})
    page = client.get(reverse("web:home"))
    assert page.status_code == 302
    assert page.url == reverse("accounts:twofactor_enrol")


def test_force_login_in_tests_counts_as_a_full_sign_in(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("web:home")).status_code == 200


def test_wrong_password_is_refused_in_french(client, coordinator):
    response = client.post(reverse("web:login"), {"username": coordinator.email, "password": "faux"})
    assert response.status_code == 200
    assert "Saisissez" in response.content.decode()


def test_demo_accounts_are_hidden_outside_demo_mode(client, settings):
    settings.DEMO_MODE = False
    assert "Comptes de démonstration" not in client.get(reverse("web:login")).content.decode()
    settings.DEMO_MODE = True
    assert "Comptes de démonstration" in client.get(reverse("web:login")).content.decode()


def test_health_endpoint_answers_without_login(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("web:health"))
    assert response.status_code == 200
    assert response.content == b"ok"
