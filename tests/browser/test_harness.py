"""The harness itself: axe catches real problems, and unaudited pages do not slip through."""

import pytest

from .helpers import PageAudit, assert_accessible, visit

pytestmark = pytest.mark.browser

INACCESSIBLE = """<!DOCTYPE html><html lang="fr"><head><title>Mauvais</title></head><body><main>
<h1>Formulaire</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<input type="text" name="nom"><p style="color:#bbb;background:#fff">Texte pâle</p></main></body></html>"""


def test_axe_reports_serious_violations_with_rule_impact_help_and_target(page):
    page.set_content(INACCESSIBLE)
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page, context="page piégée")
    message = str(failure.value)
    assert "page piégée" in message
    for rule in ("image-alt [critical]", "label [critical]", "color-contrast [serious]"):
        assert rule in message
    assert "* img" in message and "dequeuniversity.com" in message


def test_a_loaded_page_left_unaudited_is_reported(page, live_server):
    audit = PageAudit.of(page)
    page.goto("/connexion/")
    assert [url.removeprefix(live_server.url) for url in audit.unaudited()] == ["/connexion/"]
    assert_accessible(page, context="connexion")
    assert audit.unaudited() == []


def test_visit_refuses_an_error_status(page):
    with pytest.raises(AssertionError, match="HTTP 404"):
        visit(page, "/nulle-part/")
    audit = PageAudit.of(page)
    assert [url.rsplit("/", 2)[-2] for url in audit.unaudited()] == ["nulle-part"]
    audit.mark_current_audited(page)  # the refusal above is the expected outcome here


def test_a_resource_outside_the_live_server_is_blocked_and_reported(page):
    page.set_content('<html lang="fr"><head><title>t</title>'
                     '<link rel="stylesheet" href="https://cdn.example.com/x.css"></head><body></body></html>')
    assert_accessible(page, context="page sans ressource externe")
    audit = PageAudit.of(page)
    assert audit.failed_resources
    assert all("cdn.example.com" in line and "NAME_NOT_RESOLVED" in line for line in audit.failed_resources)
    audit.failed_resources.clear()  # reported as expected; keep teardown clean


FRENCH_GONE_WRONG = """<!DOCTYPE html><html lang="fr"><head><title>Mauvais</title></head><body><main>
<h1>Candidature de Élodie Martin</h1><p>Date : Date : 12/03/2025</p><p>Étape : None</p>
<button type="submit">submit</button></main></body></html>"""


def test_the_audit_refuses_french_gone_wrong(page):
    page.set_content(FRENCH_GONE_WRONG)
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page, context="page mal écrite")
    message = str(failure.value)
    assert "missing elision: « Candidature de Élodie" in message
    assert "label said twice: « Date : Date : »" in message
    assert "English left: « None »" in message and "English left: « submit »" in message


@pytest.mark.parametrize("text", ["Candidature d'Élodie Martin", "Date : 12/03/2025", "Prénom : Anne",
                                  "de Léa", "Sorties de 2024", "plus de 60 ans", "Aide d'urgence : oui",
                                  "Situation de handicap", "NONE ou Nonette"])
def test_french_that_reads_right_passes(text):
    from .helpers import french_problems

    assert french_problems(text) == []
