from django.core.management.base import BaseCommand

from parcours.agenda.services import reminders_send


class Command(BaseCommand):
    help = ("Envoie par courriel les rappels des rendez-vous planifiés (par défaut deux jours avant ; le paramètre "
            "« reminder_days_before » d'un dispositif le change, 0 les coupe). À lancer chaque jour, par exemple "
            "à 8 h ; un rappel n'est envoyé qu'une fois, un envoi échoué est retenté au lancement suivant.")

    def handle(self, *args, **options):
        sent, failed = reminders_send()
        self.stdout.write(f"Rappels envoyés : {sent}\nRappels non envoyés (serveur de courriel) : {failed}")
        if failed:
            raise SystemExit(1)
