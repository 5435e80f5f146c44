from django.core.management.base import BaseCommand
from django.utils import timezone

from parcours.organisations.services import membership_grant_requests_expire

from parcours.privacy.retention import retention_apply
from parcours.interchange.services import import_runs_housekeep


class Command(BaseCommand):
    help = ("Applique la politique de conservation : archive les dossiers sans contact depuis 2 ans, anonymise "
            "les dossiers archivés depuis PARCOURS_ANONYMISE_AFTER_DAYS, purge le journal des accès et des refus d'accès de plus d'un an, "
            "clôt les imports interrompus, supprime les fichiers d'import orphelins et abandonne les fichiers vérifiés non confirmés depuis une semaine, "
            "marque expirées les demandes de rôle non confirmées à temps.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Compte sans rien modifier.")

    def handle(self, *args, dry_run=False, **options):
        report = retention_apply(dry_run=dry_run)
        imports = import_runs_housekeep(dry_run=dry_run)
        grant_requests = membership_grant_requests_expire(now=timezone.now(), dry_run=dry_run)
        prefix = "[simulation] " if dry_run else ""
        lines = [
            f"{prefix}Dossiers archivés : {report.archived}",
            f"{prefix}Dossiers sans contact mais avec un parcours ouvert (à clôturer, non archivés) : "
            f"{report.open_pathways_skipped}",
            f"{prefix}Dossiers anonymisés : {report.anonymised}",
            f"{prefix}Documents supprimés : {report.documents_deleted}",
            f"{prefix}Notes supprimées : {report.notes_deleted}",
            f"{prefix}Consultations purgées du journal des accès : {report.access_logs_purged}",
            f"{prefix}Refus d'accès purgés du journal : {report.refused_accesses_purged}",
            f"{prefix}Échecs de connexion purgés : {report.login_failures_purged}",
            f"{prefix}Jetons de formulaires envoyés purgés : {report.form_submissions_purged}",
            f"{prefix}Imports interrompus clos : {imports['interrupted']}",
            f"{prefix}Fichiers d'import vérifiés mais jamais confirmés, abandonnés : {imports['expired']}",
            f"{prefix}Demandes de rôle expirées sans confirmation : {grant_requests}",
            f"{prefix}Fichiers d'import orphelins (dépôt jamais enregistré) supprimés : {imports['orphan_files']}",
        ]
        self.stdout.write("\n".join(lines))
