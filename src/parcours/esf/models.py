"""ESF+ operations, their financing plan, the referents' costs and the participations (docs/spec/esf.md)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from parcours.core.models import TimeStamped, TransitionLog

from .enums import (
    ClaimState, ExitSituation, FunderKind, Isced, LabourStatus, SampleOutcome, SampleRejection, SensitiveAnswer,
)

MONEY = {"max_digits": 14, "decimal_places": 2}


class Operation(TimeStamped):
    """An ESF+ operation, carried by a structure of the territory (an operator, or the PLIE itself)."""

    operation_ref = models.CharField(_("numéro d'opération"), max_length=64, unique=True)
    title = models.CharField(_("intitulé"), max_length=300)
    beneficiary = models.ForeignKey("organisations.Organisation", verbose_name=_("bénéficiaire"),
                                    on_delete=models.PROTECT, related_name="esf_operations")
    start_date = models.DateField(_("début de réalisation"))
    end_date = models.DateField(_("fin de réalisation"))
    total_eligible_cost = models.DecimalField(_("coût total éligible prévu"), **MONEY)
    esf_amount = models.DecimalField(_("montant FSE+ prévu"), **MONEY)

    class Meta:
        verbose_name = _("opération FSE+")
        verbose_name_plural = _("opérations FSE+")
        ordering = ["operation_ref"]
        constraints = [
            models.CheckConstraint(condition=Q(start_date__lte=F("end_date")), name="esf_operation_period"),
            models.CheckConstraint(condition=Q(esf_amount__gt=0) & Q(esf_amount__lte=F("total_eligible_cost")),
                                   name="esf_operation_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.operation_ref} — {self.title}"

    @property
    def esf_rate(self) -> Decimal:
        """esf_amount / total_eligible_cost, exact to Decimal's precision (28 digits), never rounded here."""
        return Decimal(self.esf_amount) / Decimal(self.total_eligible_cost)


class Cofinancing(models.Model):
    """A line of the operation's financing plan: one funder, one year."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="cofinancing")
    funder_kind = models.CharField(_("type de financeur"), max_length=16, choices=FunderKind.choices)
    funder = models.CharField(_("financeur"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("année"))
    planned = models.DecimalField(_("prévu"), **MONEY)
    actual = models.DecimalField(_("réalisé"), null=True, blank=True, **MONEY)

    class Meta:
        verbose_name = _("ligne de cofinancement")
        verbose_name_plural = _("plan de financement")
        ordering = ["operation", "year", "funder_kind", "funder", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(planned__gte=0), name="esf_cofinancing_planned"),
            models.CheckConstraint(condition=Q(actual__isnull=True) | Q(actual__gte=0), name="esf_cofinancing_actual"),
        ]


class OperationAmendment(models.Model):
    """An amendment (avenant) of an operation: its planned amounts and financing plan before and after, with its
    date and reason. The operation holds the plan in force; the amendments are its history."""

    operation = models.ForeignKey(Operation, verbose_name=_("opération"), on_delete=models.CASCADE,
                                  related_name="amendments")
    date = models.DateField(_("date de l'avenant"))
    reason = models.TextField(_("motif"))
    before = models.JSONField(_("plan avant l'avenant"))
    after = models.JSONField(_("plan après l'avenant"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("saisi par"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("saisi le"), auto_now_add=True)

    class Meta:
        verbose_name = _("avenant")
        verbose_name_plural = _("avenants")
        ordering = ["operation", "-date", "-pk"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="esf_amendment_reason")]


class ReferentCost(models.Model):
    """What a referent's year of work costs. The referent is identified as a pathway's is: an account when one
    matches the identifier (its e-mail), else the identifier from the source system. Costs are a territory's
    data (its import), read by the claims of its operations."""

    territory = models.ForeignKey("territory.Territory", verbose_name=_("territoire"), on_delete=models.PROTECT,
                                  related_name="+")
    referent = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("référent·e"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    referent_ref = models.CharField(_("référent·e (identifiant d'origine)"), max_length=254, blank=True)
    year = models.PositiveSmallIntegerField(_("année"))
    annual_gross_cost = models.DecimalField(_("coût annuel brut chargé"), **MONEY)
    work_time_share = models.DecimalField(_("quotité de temps de travail"), max_digits=5, decimal_places=4)

    class Meta:
        verbose_name = _("coût d'un·e référent·e")
        verbose_name_plural = _("coûts des référent·es")
        constraints = [
            models.CheckConstraint(condition=Q(work_time_share__gt=0) & Q(work_time_share__lte=1),
                                   name="esf_referentcost_share"),
            models.CheckConstraint(condition=Q(annual_gross_cost__gte=0), name="esf_referentcost_cost"),
            # Exactly one way of naming the referent.
            models.CheckConstraint(condition=(Q(referent__isnull=False) & Q(referent_ref=""))
                                   | (Q(referent__isnull=True) & ~Q(referent_ref="")),
                                   name="esf_referentcost_one_referent"),
            models.UniqueConstraint(fields=["territory", "referent", "year"], condition=Q(referent__isnull=False),
                                    name="esf_referentcost_user_year"),
            models.UniqueConstraint(fields=["territory", "referent_ref", "year"], condition=Q(referent__isnull=True),
                                    name="esf_referentcost_ref_year"),
        ]

    @property
    def hourly_rate(self) -> Decimal:
        """Regulation (EU) 2021/1060, article 55: annual gross cost / (1720 × work-time share), unrounded."""
        return Decimal(self.annual_gross_cost) / (Decimal(1720) * Decimal(self.work_time_share))


class Participation(TimeStamped):
    """A person in an operation (at most once): the ESF+ data collected at entry, at exit and six months later."""

    participation_ref = models.CharField(_("identifiant de participation"), max_length=64, unique=True)
    participant = models.ForeignKey("participants.Participant", verbose_name=_("participant·e"),
                                    on_delete=models.PROTECT, related_name="esf_participations")
    operation = models.ForeignKey(Operation, verbose_name=_("opération"), on_delete=models.PROTECT,
                                  related_name="participations")
    entry_date = models.DateField(_("date d'entrée"))
    exit_date = models.DateField(_("date de sortie"), null=True, blank=True)
    labour_status = models.CharField(_("situation sur le marché du travail à l'entrée"), max_length=16,
                                     choices=LabourStatus.choices)
    unemployment_months = models.PositiveIntegerField(_("mois de chômage à l'entrée"), null=True, blank=True)
    in_education_or_training = models.BooleanField(_("en études ou en formation à l'entrée"), null=True, blank=True)
    isced = models.CharField(_("niveau CITE à l'entrée"), max_length=1, choices=Isced.choices, blank=True)
    disability = models.CharField(_("handicap"), max_length=8, choices=SensitiveAnswer.choices, blank=True)
    third_country_national = models.CharField(_("ressortissant·e de pays tiers"), max_length=8,
                                              choices=SensitiveAnswer.choices, blank=True)
    foreign_background = models.CharField(_("origine étrangère"), max_length=8, choices=SensitiveAnswer.choices,
                                          blank=True)
    minority = models.CharField(_("minorité"), max_length=8, choices=SensitiveAnswer.choices, blank=True)
    homeless = models.CharField(_("sans domicile"), max_length=8, choices=SensitiveAnswer.choices, blank=True)
    rural = models.CharField(_("zone rurale"), max_length=8, choices=SensitiveAnswer.choices, blank=True)
    exit_situation = models.CharField(_("situation à la sortie"), max_length=20, choices=ExitSituation.choices,
                                      blank=True)
    qualification_gained = models.BooleanField(_("qualification obtenue"), null=True, blank=True)
    situation_6_months = models.CharField(_("situation à six mois"), max_length=20, choices=ExitSituation.choices,
                                          blank=True)
    improved_situation_6_months = models.BooleanField(_("situation améliorée à six mois"), null=True, blank=True)
    # Recorded by the referent on the entry questionnaire (not in the interchange files: docs/esf.md).
    information_given_on = models.DateField(_("notice d'information remise le"), null=True, blank=True)
    consent_given_on = models.DateField(_("consentement recueilli le"), null=True, blank=True)

    class Meta:
        verbose_name = _("participation FSE+")
        verbose_name_plural = _("participations FSE+")
        ordering = ["participation_ref"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "operation"], name="esf_participation_once"),
            models.CheckConstraint(condition=Q(exit_date__isnull=True) | Q(exit_date__gte=F("entry_date")),
                                   name="esf_participation_dates"),
            models.CheckConstraint(condition=~Q(labour_status=LabourStatus.UNEMPLOYED)
                                   | Q(unemployment_months__isnull=False), name="esf_participation_unemployment"),
            models.CheckConstraint(condition=Q(improved_situation_6_months__isnull=True)
                                   | Q(labour_status__in=[LabourStatus.EMPLOYED, LabourStatus.SELF_EMPLOYED]),
                                   name="esf_participation_improved"),
        ]

    def __str__(self) -> str:
        return self.participation_ref


class Claim(TimeStamped):
    """A payment claim (demande de paiement) of an operation for a period. Its figures are those of
    `esf_claim_compute`, frozen at each submission (and at the draft's creation), as decimals rounded to the cent,
    with `esf_claim_data` kept for the annex. Its state moves only through esf.workflow.CLAIM_WORKFLOW."""

    operation = models.ForeignKey(Operation, verbose_name=_("opération"), on_delete=models.PROTECT,
                                  related_name="claims")
    date_from = models.DateField(_("début de la période"))
    date_to = models.DateField(_("fin de la période"))
    state = models.CharField(_("état"), max_length=24, choices=ClaimState.choices, default=ClaimState.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("créée par"), on_delete=models.PROTECT,
                               related_name="+")
    direct_staff_costs = models.DecimalField(_("frais de personnel directs"), **MONEY)
    flat_rate_costs = models.DecimalField(_("taux forfaitaire de 40 %"), **MONEY)
    total_eligible = models.DecimalField(_("total éligible"), **MONEY)
    esf_due = models.DecimalField(_("FSE+ dû"), **MONEY)
    data = models.JSONField(_("détail du calcul"), default=dict)
    computed_at = models.DateTimeField(_("calculée le"))
    # The participants left out of the figures (their sampled item rejected before the last submission).
    excluded_participants = models.JSONField(_("participant·es écarté·es"), default=list, blank=True)
    # The sampled control: the seed and size of the draw (reproducible: the same seed draws the same people).
    sample_seed = models.BigIntegerField(_("graine du tirage"), null=True, blank=True)
    sample_size = models.PositiveIntegerField(_("taille de l'échantillon"), null=True, blank=True)
    sampled_at = models.DateTimeField(_("échantillon tiré le"), null=True, blank=True)
    paid_on = models.DateField(_("date du paiement"), null=True, blank=True)
    paid_amount = models.DecimalField(_("montant payé"), null=True, blank=True, **MONEY)

    class Meta:
        verbose_name = _("demande de paiement")
        verbose_name_plural = _("demandes de paiement")
        ordering = ["operation", "-date_from", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(date_from__lte=F("date_to")), name="esf_claim_period"),
            models.CheckConstraint(condition=Q(direct_staff_costs__gte=0) & Q(flat_rate_costs__gte=0)
                                   & Q(total_eligible__gte=0) & Q(esf_due__gte=0), name="esf_claim_amounts"),
            models.CheckConstraint(condition=~Q(state=ClaimState.PAID)
                                   | (Q(paid_on__isnull=False) & Q(paid_amount__gt=0)), name="esf_claim_paid"),
            models.CheckConstraint(condition=Q(sample_seed__isnull=True, sample_size__isnull=True)
                                   | Q(sample_seed__isnull=False, sample_size__isnull=False), name="esf_claim_sample"),
        ]

    def __str__(self) -> str:
        return f"{self.operation.operation_ref} {self.date_from:%d/%m/%Y} – {self.date_to:%d/%m/%Y}"


class ClaimTransition(TransitionLog):
    """The control log: every transition of a claim, who, when, and its payload (a reason, a payment)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionLog.Meta):
        verbose_name = _("changement d'état de la demande de paiement")


class ClaimSampleItem(models.Model):
    """A participant drawn for the sampled control of a claim, and the controller's finding."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="sample")
    participation = models.ForeignKey(Participation, verbose_name=_("participation"), on_delete=models.PROTECT,
                                      related_name="+")
    outcome = models.CharField(_("résultat"), max_length=12, choices=SampleOutcome.choices,
                               default=SampleOutcome.PENDING)
    rejection_reason = models.CharField(_("motif du rejet"), max_length=20, choices=SampleRejection.choices,
                                        blank=True)
    comment = models.CharField(_("commentaire"), max_length=500, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("contrôlé par"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(_("contrôlé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("élément de l'échantillon")
        verbose_name_plural = _("échantillon")
        ordering = ["claim", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "participation"], name="esf_sample_once"),
            models.CheckConstraint(condition=(Q(outcome=SampleOutcome.REJECTED) & ~Q(rejection_reason=""))
                                   | (~Q(outcome=SampleOutcome.REJECTED) & Q(rejection_reason="")),
                                   name="esf_sample_reason"),
        ]
