"""Social clauses: buyers, their contracts carrying a clause, the beneficiaries and the monthly hours
(docs/spec/clauses.md). The awardee and the employers are SIRET and name fields until the employers module
exists (docs/clauses.md)."""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from parcours.core.models import TimeStamped
from parcours.participants.enums import Sex

from .enums import BuyerKind, LegalBasis, Modality, Public, WorkContractType

SIRET_REGEX = r"^[0-9]{14}$"


def publics_problem(codes: object) -> str | None:
    """Why `codes` is not a list of eligibility grounds (at least one, each known, none twice), or None."""
    if not isinstance(codes, list) or not codes:
        return str(_("au moins un motif d'éligibilité"))
    unknown = [c for c in codes if c not in Public.values]
    if unknown:
        return str(_("motif(s) d'éligibilité inconnu(s) : %(codes)s") % {"codes": ", ".join(map(str, unknown))})
    if len(set(codes)) != len(codes):
        return str(_("motif d'éligibilité en double"))
    return None


def publics_sorted(codes) -> list[str]:
    """The grounds in the order of the list (Public), each once: how they are stored."""
    held = set(codes)
    return [code for code in Public.values if code in held]


class Buyer(TimeStamped):
    """A public buyer (maître d'ouvrage) of the territory."""

    territory = models.ForeignKey("territory.Territory", verbose_name=_("territoire"), on_delete=models.PROTECT,
                                  related_name="+")
    buyer_ref = models.CharField(_("identifiant de l'acheteur"), max_length=64, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type d'acheteur"), max_length=20, choices=BuyerKind.choices)

    class Meta:
        verbose_name = _("acheteur public")
        verbose_name_plural = _("acheteurs publics")
        ordering = ["name", "buyer_ref"]

    def __str__(self) -> str:
        return self.name


class ClauseContract(TimeStamped):
    """A contract, or a lot of one, that carries a social clause."""

    contract_ref = models.CharField(_("numéro du marché"), max_length=64, unique=True)
    buyer = models.ForeignKey(Buyer, verbose_name=_("acheteur"), on_delete=models.PROTECT, related_name="contracts")
    title = models.CharField(_("objet du marché (et lot)"), max_length=300)
    legal_basis = models.CharField(_("fondement juridique"), max_length=24, choices=LegalBasis.choices)
    # The awardee company: SIRET and name until the employers module links it (docs/clauses.md).
    awardee_siret = models.CharField(_("SIRET de l'attributaire"), max_length=14)
    awardee_name = models.CharField(_("attributaire"), max_length=200)
    amount_excl_tax = models.DecimalField(_("montant HT (€)"), max_digits=14, decimal_places=2, null=True,
                                          blank=True)
    start_date = models.DateField(_("début d'exécution"))
    end_date = models.DateField(_("fin d'exécution"), null=True, blank=True)
    hours_required = models.DecimalField(_("heures d'insertion prévues"), max_digits=10,
                                         decimal_places=2)

    class Meta:
        verbose_name = _("marché avec clause sociale")
        verbose_name_plural = _("marchés avec clause sociale")
        ordering = ["contract_ref"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                                   name="clauses_contract_period"),
            models.CheckConstraint(condition=Q(hours_required__gte=0), name="clauses_contract_hours_required"),
            models.CheckConstraint(condition=Q(amount_excl_tax__isnull=True) | Q(amount_excl_tax__gte=0),
                                   name="clauses_contract_amount"),
            models.CheckConstraint(condition=Q(awardee_siret__regex=SIRET_REGEX), name="clauses_contract_siret"),
        ]

    def __str__(self) -> str:
        return f"{self.contract_ref} — {self.title}"


class Beneficiary(TimeStamped):
    """A person who works clause hours: a PLIE participant (linked to their file) or someone the PLIE does not
    follow. Their eligibility grounds are checked and dated by the facilitator."""

    territory = models.ForeignKey("territory.Territory", verbose_name=_("territoire"), on_delete=models.PROTECT,
                                  related_name="+")
    beneficiary_ref = models.CharField(_("identifiant du ou de la bénéficiaire"), max_length=64, unique=True)
    participant = models.ForeignKey("participants.Participant", verbose_name=_("participant·e du PLIE"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="clause_beneficiaries")
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date de naissance"))
    commune = models.ForeignKey("territory.Commune", verbose_name=_("commune"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    qpv = models.ForeignKey("territory.Qpv", verbose_name=_("quartier prioritaire (QPV)"), null=True, blank=True,
                            on_delete=models.PROTECT, related_name="+")
    # The grounds as a list of Public codes, each once, in the list's order (publics_problem, publics_sorted).
    publics = models.JSONField(_("motifs d'éligibilité"), default=list)
    eligibility_date = models.DateField(_("date de vérification de l'éligibilité"))
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("vérifiée par"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("bénéficiaire d'une clause")
        verbose_name_plural = _("bénéficiaires des clauses")
        ordering = ["beneficiary_ref"]
        constraints = [
            models.UniqueConstraint(fields=["participant"], condition=Q(participant__isnull=False),
                                    name="clauses_beneficiary_one_per_participant"),
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="clauses_beneficiary_sex"),
        ]

    def __str__(self) -> str:
        return self.beneficiary_ref

    def clean(self) -> None:
        problem = publics_problem(self.publics)
        if problem:
            raise ValidationError({"publics": problem})
        if self.participant is not None and self.participant.territory_id != self.territory_id:
            raise ValidationError({"participant": _("la personne n'appartient pas à ce territoire")})


class HoursStatement(TimeStamped):
    """The hours one beneficiary worked in one month on one contract, for one employer."""

    line_ref = models.CharField(_("identifiant de la ligne"), max_length=64, unique=True)
    contract = models.ForeignKey(ClauseContract, verbose_name=_("marché"), on_delete=models.PROTECT,
                                 related_name="statements")
    beneficiary = models.ForeignKey(Beneficiary, verbose_name=_("bénéficiaire"), on_delete=models.PROTECT,
                                    related_name="statements")
    month = models.DateField(_("mois"), help_text=_("le premier jour du mois"))
    # The employer: SIRET until the employers module links it (docs/clauses.md).
    employer_siret = models.CharField(_("SIRET de l'employeur"), max_length=14)
    modality = models.CharField(_("modalité de réalisation"), max_length=32, choices=Modality.choices)
    contract_type = models.CharField(_("type de contrat de travail"), max_length=24,
                                     choices=WorkContractType.choices)
    hours = models.DecimalField(_("heures"), max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = _("relevé d'heures")
        verbose_name_plural = _("relevés d'heures")
        ordering = ["contract", "month", "line_ref"]
        indexes = [models.Index(fields=["month"], name="clauses_statement_month_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="clauses_statement_hours"),
            models.CheckConstraint(condition=Q(month__day=1), name="clauses_statement_month_first_day"),
            models.CheckConstraint(condition=Q(employer_siret__regex=SIRET_REGEX), name="clauses_statement_siret"),
        ]

    def __str__(self) -> str:
        return self.line_ref

    def clean(self) -> None:
        problem = None
        if self.month and self.contract_id and self.beneficiary_id:
            contract, beneficiary = self.contract, self.beneficiary
            problem = statement_month_problem(
                self.month, contract_ref=contract.contract_ref, start=contract.start_date, end=contract.end_date,
                beneficiary_ref=beneficiary.beneficiary_ref, eligibility_date=beneficiary.eligibility_date)
        if problem:
            raise ValidationError({"month": problem})


MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def month_parse(text: str) -> date | None:
    """`YYYY-MM` (from 1990) as the month's first day, or None when it is not one."""
    match = MONTH_RE.match(text)
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1990:
        return None
    return date(int(match.group(1)), int(match.group(2)), 1)


def month_label(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def statement_month_problem(month: date, *, contract_ref: str, start: date, end: date | None,
                            beneficiary_ref: str, eligibility_date: date) -> str | None:
    """The spec's rule on a statement's month, in French, or None: from the month of the contract's start to the
    month of its end, not before the month of the beneficiary's eligibility (months compared, not days)."""
    key = (month.year, month.month)
    if key < (start.year, start.month) or (end is not None and key > (end.year, end.month)):
        period = f"{month_label(start)} – {month_label(end) if end else '…'}"
        return str(_("le mois %(month)s est hors de la période du marché « %(ref)s » (%(period)s)")
                   % {"month": month_label(month), "ref": contract_ref, "period": period})
    if key < (eligibility_date.year, eligibility_date.month):
        return str(_("le mois %(month)s précède l'éligibilité de « %(ref)s » (vérifiée le %(date)s)")
                   % {"month": month_label(month), "ref": beneficiary_ref, "date": eligibility_date.isoformat()})
    return None


# --- rules shared by the import (interchange/clauses.py) and the facilitator's forms (services.py) --------------

def contract_period_problem(start: date, end: date | None) -> str | None:
    """A contract's end on or after its start (the database holds it too), or why not."""
    if end is not None and end < start:
        return str(_("la fin (%(end)s) précède le début (%(start)s)") % {"end": end.isoformat(),
                                                                          "start": start.isoformat()})
    return None


def participant_taken_problem(person_ref: str, beneficiary_ref: str, where: str) -> str:
    """A participant is at most one beneficiary: the message naming the one they already are."""
    return str(_("la personne « %(person)s » est déjà le ou la bénéficiaire « %(other)s » (%(where)s)")
               % {"person": person_ref, "other": beneficiary_ref, "where": where})


def statement_kept_problem(line_ref: str, problem: str) -> str:
    """A change to a contract or a beneficiary that a statement already recorded would no longer fit."""
    return str(_("le relevé « %(ref)s » déjà enregistré dans Parcours ne tiendrait plus : %(problem)s")
               % {"ref": line_ref, "problem": problem})


def eligibility_date_problem(value: date, *, today: date) -> str | None:
    """The facilitator dates a check already made: not in the future (the interface; the format's rule is the
    plausibility window, docs/clauses.md)."""
    if value > today:
        return str(_("la vérification de l'éligibilité ne peut pas être datée après aujourd'hui (%(today)s)")
                   % {"today": today.isoformat()})
    return None
