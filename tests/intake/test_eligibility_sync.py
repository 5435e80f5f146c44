from django.urls import reverse


def test_live_eligibility_requests_are_serialised_on_the_form(client, prescriber):
    """Every field that refreshes the eligibility panel syncs on the form, newest request wins."""
    client.force_login(prescriber)
    page = client.get(reverse("intake:application_create")).content.decode()
    triggers = page.count('hx-post="' + reverse("intake:eligibility_preview") + '"')
    assert triggers >= 4
    assert page.count('hx-sync="closest form:replace"') == triggers
