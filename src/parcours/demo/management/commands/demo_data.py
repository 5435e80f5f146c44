"""`parcours demo-data`: the fictional demo PLIE of Clermont Auvergne Métropole (and its twins at scale)."""

from django.core.management.base import BaseCommand, CommandError

from parcours.demo.generator import DemoError, demo_cast, demo_casts, demo_generate
from parcours.participants.models import Participant


# The default demo is the size of Clermont's PLIE (about 1,600 people a year): enough people for every referent's
# caseload to sit within the 60–100 the programme's rules watch (tests/demo/test_demo_caseloads.py).
DEFAULT_PEOPLE = 2400


class Command(BaseCommand):
    help = ("Génère un PLIE de démonstration fictif sur le territoire chargé : structures, comptes de "
            "démonstration, personnes et parcours à toutes les étapes sur les trois dernières années. Au-delà de "
            "5 000 personnes, les suivantes sont réparties sur des PLIE fictifs jumeaux du territoire de démonstration.")

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=DEFAULT_PEOPLE,
                            help=f"nombre de personnes ({DEFAULT_PEOPLE} par défaut)")
        parser.add_argument("--seed", type=int, default=1, help="graine du tirage (1 par défaut)")
        parser.add_argument("--if-empty", action="store_true",
                            help="ne rien faire si des participant·es existent déjà")
        parser.add_argument("--structures-only", action="store_true",
                            help="créer seulement les territoires, structures et comptes qu'utiliseraient --people "
                                 "personnes (par exemple avant d'importer leurs fichiers d'échange)")

    def handle(self, *args, people: int, seed: int, if_empty: bool, structures_only: bool, **options):
        if people < 0:
            raise CommandError("--people doit être positif ou nul.")
        if if_empty and Participant.objects.exists():
            self.stdout.write("Des participant·es existent déjà : données de démonstration non générées (--if-empty).")
            return
        try:
            if people == 0 or structures_only:
                casts = demo_casts(people) if people else [(demo_cast(), 0)]
                self.stdout.write(f"Structures et comptes de démonstration en place sur {len(casts)} territoire(s) : "
                                  + ", ".join(cast.territory.name for cast, _share in casts)
                                  + " ; aucune personne générée.")
                return
            self.stdout.write(f"Génération de {people} personnes fictives (graine {seed})…")
            counts = demo_generate(people=people, seed=seed, progress=self.stdout.write)
        except DemoError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Terminé en {counts['seconds']} s : {counts['participants']} personnes sur {counts['territories']} "
            f"territoire(s), {counts['pathways']} parcours "
            f"(dont {counts['re-entries']} ré-entrées), {counts['commissiondecision']} décisions de commission, "
            f"{counts['step']} étapes, {counts['appointment']} rendez-vous, "
            f"{counts['pathwaytransition']} changements d'état.")
