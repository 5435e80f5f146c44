from django.core.management.base import BaseCommand

from parcours.employers.services import candidacies_expire


class Command(BaseCommand):
    help = ("Clôt les positionnements sur une offre restés sans nouvelles depuis 60 jours (proposés, présentés ou en "
            "entretien) : ils passent à l'état « Sans nouvelles depuis 60 jours ». À lancer chaque jour, par exemple "
            "à 6 h ; une personne expirée peut être proposée à nouveau.")

    def handle(self, *args, **options):
        expired = candidacies_expire()
        self.stdout.write(f"Positionnements sans nouvelles depuis 60 jours, clos : {expired}")
