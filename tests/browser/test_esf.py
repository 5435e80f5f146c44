"""The ESF+ journey in the browser, axe on every page: the director creates an operation and its plan, records an
amendment; a referent's person enters it with the entry questionnaire, then the exit; the director reads the
completeness dashboard and the claim."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from parcours.esf.models import Operation, Participation
from tests import factories

from .helpers import follow, login, visit

pytestmark = pytest.mark.browser


def test_the_esf_journey(page, territory, plie, operator, referent):
    director = factories.UserFactory(membership=(plie, "director"))
    year = timezone.localdate().year
    person = factories.ParticipantFactory(territory=territory, last_name="Fseplus", first_name="Aline",
                                          education_level="IV", phone="+33473000000")
    pathway = factories.PathwayFactory(participant=person, operator=operator, referent=referent, active=True)

    login(page, director)
    follow(page, page.get_by_role("link", name="FSE+", exact=True), context="opérations FSE+")
    follow(page, page.get_by_role("link", name="Nouvelle opération"), context="nouvelle opération")
    page.get_by_label("Numéro d'opération").fill("OP-2015-004")
    page.get_by_label("Intitulé").fill("Accompagnement personnalisé des parcours d'insertion")
    page.get_by_label("Bénéficiaire").select_option(label=str(operator))
    page.get_by_label("Début de réalisation").fill(f"{year - 1}-01-01")
    page.get_by_label("Fin de réalisation").fill(f"{year}-12-31")
    page.get_by_label("Coût total éligible prévu (€)").fill("25899,60")
    page.get_by_label("Montant FSE+ prévu (€)").fill("15539,76")
    page.locator("#id_plan-0-funder_kind").select_option("esf")
    page.locator("#id_plan-0-year").fill(str(year))
    page.locator("#id_plan-0-planned").fill("15539,76")
    page.locator("#id_plan-1-funder_kind").select_option("own_funds")
    page.locator("#id_plan-1-year").fill(str(year))
    page.locator("#id_plan-1-planned").fill("10359,84")
    follow(page, page.get_by_role("button", name="Créer l'opération"), context="opération créée")
    expect(page.get_by_role("heading", level=1)).to_contain_text("OP-2015-004")
    expect(page.locator("dd", has_text="60,00 %")).to_be_visible()

    follow(page, page.get_by_role("link", name="Enregistrer un avenant"), context="avenant")
    page.get_by_label("Motif").fill("Réalisé de l'autofinancement")
    page.locator("#id_plan-1-actual").fill("10000,00")
    follow(page, page.get_by_role("button", name="Enregistrer l'avenant"), context="avenant enregistré")
    expect(page.get_by_role("heading", name="Avenant du", exact=False)).to_be_visible()
    operation = Operation.objects.get()

    # The referent: the person enters the operation from their file.
    page.context.clear_cookies()
    login(page, referent)
    visit(page, f"/parcours/{pathway.pk}/", context="dossier")
    follow(page, page.get_by_role("link", name="Participations FSE+ et questionnaires"), context="participations")
    expect(page.get_by_label("Niveau CITE à l'entrée")).to_have_value("3")     # from the education level IV
    page.locator("#id_operation").select_option(str(operation.pk))
    # Entered a week ago: a participation whose exit is its entry day is not a participant (docs/spec/esf.md).
    page.locator("#id_entry_date").fill((timezone.localdate() - datetime.timedelta(days=7)).isoformat())
    page.get_by_label("Situation sur le marché du travail à l'entrée").select_option("inactive")
    for name in ("disability", "third_country_national", "foreign_background", "minority", "homeless", "rural"):
        page.locator(f"#id_{name}").select_option("refused")
    follow(page, page.get_by_role("button", name="Enregistrer l'entrée"), context="entrée enregistrée")
    follow(page, page.get_by_role("link", name="Compléter ou corriger"), context="questionnaires")
    page.get_by_label("Date de sortie").fill(timezone.localdate().isoformat())
    page.get_by_label("Situation à la sortie").select_option("employed")
    page.get_by_label("Qualification obtenue à la sortie").select_option("False")
    follow(page, page.get_by_role("button", name="Enregistrer", exact=True), context="sortie enregistrée")
    participation = Participation.objects.get()
    assert (participation.exit_situation, participation.qualification_gained) == ("employed", False)

    # The director reads the completeness and the claim.
    page.context.clear_cookies()
    login(page, director)
    visit(page, f"/fse/operations/{operation.pk}/completude/", context="complétude")
    expect(page.get_by_role("row").filter(has_text=referent.get_full_name())).to_contain_text("0,00 %")
    visit(page, f"/fse/operations/{operation.pk}/demande-de-paiement/"
                f"?date_from={year - 1}-01-01&date_to={(datetime.date(year, 12, 31)).isoformat()}",
          context="demande de paiement")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Demande de paiement")
