"""`--from D1 --to D2 [--territory NAME] --format …`: the options of the territory's report commands
(`parcours indicators`, `parcours youth-report`, `parcours clauses-report`), checked in one place; each command says its formats and what it
prints for the territory and the period (`render`)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from parcours.reporting.consolidation import period_parse
from parcours.territory.models import Territory
from parcours.territory.selectors import territory_resolve


def _either(values: tuple[str, ...]) -> str:
    return values[0] if len(values) == 1 else f"{', '.join(values[:-1])} ou {values[-1]}"


class TerritoryPeriodCommand(BaseCommand, ABC):
    formats: tuple[str, ...] = ("json",)

    def add_arguments(self, parser):
        # Checked in handle(), so that every refusal is a French message naming the argument.
        parser.add_argument("--from", dest="date_from", help="premier jour de la période (AAAA-MM-JJ)")
        parser.add_argument("--to", dest="date_to", help="dernier jour de la période (AAAA-MM-JJ)")
        parser.add_argument("--format", dest="output_format", default=self.formats[0],
                            help=_either((f"{self.formats[0]} (défaut)", *self.formats[1:])))
        parser.add_argument("--territory", help="nom du territoire (obligatoire s'il y en a plusieurs)")

    @abstractmethod
    def render(self, *, territory: Territory, date_from: date, date_to: date, output_format: str) -> str:
        """The command's output for the territory and the period, in `output_format` (one of `formats`)."""

    def handle(self, *args, date_from, date_to, output_format, territory, **options):
        d_from, d_to = period_parse(date_from, date_to)
        if output_format not in self.formats:
            raise CommandError(f"--format : format « {output_format} » inconnu ({_either(self.formats)})")
        try:
            target = territory_resolve(territory)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.render(territory=target, date_from=d_from, date_to=d_to, output_format=output_format),
                          ending="")
