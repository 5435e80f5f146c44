"""The Mission Locale's records (docs/spec/youth.md, docs/youth.md).

The person is the kernel's `participants.Participant` (identity, sex, birth date, commune, QPV, education level);
the young person's Mission Locale file and everything the Mission Locale records about them are this app's.
Every record carries its territory and its interchange ref, unique in the territory.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from parcours.core.models import TimeStamped, TransitionLog

from .enums import (
    IMMERSION_MAX_WEEKLY_HOURS, AidPurpose, EnrolmentEndReason, EnrolmentStatus, EventKind, FollowUpMilestone,
    FollowUpOutcome, Fund, ImmersionStatus, PmsmpAim, ReceptionReason, ReferralSource, RegistrationStatus, Scheme,
    SchemeExit, SiteKind, SituationCategory, SupportTheme, WorkshopKind, WorkshopRunner, WorkshopTheme,
    YouthContractType,
)

REF_MAX = 64


def _choices(field: str, enum) -> Q:
    return Q(**{f"{field}__in": enum.values})


class Site(models.Model):
    """A place where the Mission Locale meets young people: a decentralised permanence, its antenna, a partner's
    premises, or `remote` (an interview at a distance). Loaded from the territory file's `mission_locale.sites`."""

    territory = models.ForeignKey("territory.Territory", verbose_name=_("territoire"), on_delete=models.CASCADE,
                                  related_name="youth_sites")
    code = models.SlugField(_("code"), max_length=64)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type de lieu"), max_length=16, choices=SiteKind.choices)
    # The figure of the 2024 activity report (seed 003), kept as the file gives it (a reference, not a count).
    interviews_2024 = models.PositiveIntegerField(_("entretiens en 2024 (rapport d'activité)"), null=True,
                                                  blank=True)

    class Meta:
        verbose_name = _("lieu de la Mission Locale")
        verbose_name_plural = _("lieux de la Mission Locale")
        ordering = ["territory", "name"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "code"], name="youth_site_unique_code"),
            models.CheckConstraint(condition=_choices("kind", SiteKind), name="youth_site_kind"),
        ]

    def __str__(self) -> str:
        return self.name


class YouthFile(TimeStamped):
    """A young person's file at the Mission Locale, from the first reception (premier accueil)."""

    territory = models.ForeignKey("territory.Territory", verbose_name=_("territoire"), on_delete=models.PROTECT,
                                  related_name="+")
    participant = models.OneToOneField("participants.Participant", verbose_name=_("jeune"),
                                       on_delete=models.PROTECT, related_name="youth_file")
    youth_ref = models.CharField(_("identifiant du jeune"), max_length=REF_MAX)
    first_reception_date = models.DateField(_("date du premier accueil"))
    # Empty: followed by the main site. The site must be of kind `antenna` (checked by the import and clean()).
    antenna = models.ForeignKey(Site, verbose_name=_("antenne"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    # The adviser who follows the young person (empty: not assigned yet, or a file imported without one).
    adviser = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("conseiller·ère"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="youth_files")
    # The first reception as recorded at the desk (empty on imported files: the interchange does not carry it).
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("accueilli·e par"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    reception_site = models.ForeignKey(Site, verbose_name=_("lieu du premier accueil"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    reception_reason = models.CharField(_("motif de la venue"), max_length=16, choices=ReceptionReason.choices,
                                        blank=True)
    referral_source = models.CharField(_("orienté·e par"), max_length=16, choices=ReferralSource.choices,
                                       blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("dossier jeune")
        verbose_name_plural = _("dossiers jeunes")
        ordering = ["youth_ref"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "youth_ref"], name="youth_file_unique_ref"),
            models.CheckConstraint(condition=~Q(youth_ref=""), name="youth_file_ref_set"),
            models.CheckConstraint(condition=Q(reception_reason="") | _choices("reception_reason", ReceptionReason),
                                   name="youth_file_reception_reason"),
            models.CheckConstraint(condition=Q(referral_source="") | _choices("referral_source", ReferralSource),
                                   name="youth_file_referral_source"),
        ]

    def __str__(self) -> str:
        return self.youth_ref

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.antenna is not None and self.antenna.kind != SiteKind.ANTENNA:
            raise ValidationError({"antenna": _("Ce lieu n'est pas une antenne.")})


class YouthEvent(TimeStamped):
    """What the Mission Locale did with a young person: an interview, a call, a message, a workshop…"""

    territory = models.ForeignKey("territory.Territory", on_delete=models.PROTECT, related_name="+")
    event_ref = models.CharField(_("identifiant de l'événement"), max_length=REF_MAX)
    youth_file = models.ForeignKey(YouthFile, verbose_name=_("dossier jeune"), on_delete=models.CASCADE,
                                   related_name="events")
    date = models.DateField(_("date"))
    kind = models.CharField(_("nature"), max_length=24, choices=EventKind.choices)
    # Empty: at the main site.
    site = models.ForeignKey(Site, verbose_name=_("lieu"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    duration_minutes = models.PositiveIntegerField(_("durée (minutes)"), null=True, blank=True)
    # Recorded in Parcours (empty: imported). The record's own day is `created_at`: an event dated before it was
    # entered afterwards, which the adviser confirmed (docs/youth.md).
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("saisi par"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(_("compte rendu"), blank=True)

    class Meta:
        verbose_name = _("événement")
        ordering = ["youth_file", "date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "event_ref"], name="youth_event_unique_ref"),
            models.CheckConstraint(condition=_choices("kind", EventKind), name="youth_event_kind"),
        ]
        indexes = [models.Index(fields=["territory", "date"], name="youth_event_date_idx")]


class SchemeEnrolment(TimeStamped):
    """An enrolment in a scheme (dispositif): PACEA, CEJ…"""

    territory = models.ForeignKey("territory.Territory", on_delete=models.PROTECT, related_name="+")
    scheme_ref = models.CharField(_("identifiant de l'inscription"), max_length=REF_MAX)
    youth_file = models.ForeignKey(YouthFile, verbose_name=_("dossier jeune"), on_delete=models.CASCADE,
                                   related_name="enrolments")
    scheme = models.CharField(_("dispositif"), max_length=16, choices=Scheme.choices)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"), null=True, blank=True)
    collective_start = models.BooleanField(_("entrée par le SAS collectif"), default=False)
    exit_situation = models.CharField(_("situation à la sortie"), max_length=24, choices=SchemeExit.choices,
                                      blank=True)
    # The workflow's state (youth/workflow.py): ended exactly when the end date is set. Imported rows take it from
    # their end date; a PACEA or a CEJ signed on a page moves through the engine, with its log.
    status = models.CharField(_("état"), max_length=8, choices=EnrolmentStatus.choices,
                              default=EnrolmentStatus.ACTIVE)
    end_reason = models.CharField(_("motif de fin"), max_length=16, choices=EnrolmentEndReason.choices, blank=True)
    # Who signed it with the young person (empty: imported).
    adviser = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("conseiller·ère"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("inscription dans un dispositif")
        verbose_name_plural = _("inscriptions dans un dispositif")
        ordering = ["youth_file", "start_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "scheme_ref"], name="youth_scheme_unique_ref"),
            models.CheckConstraint(condition=_choices("scheme", Scheme), name="youth_scheme_scheme"),
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                                   name="youth_scheme_dates"),
            # An exit situation exactly when the enrolment has ended.
            models.CheckConstraint(condition=(Q(end_date__isnull=True) & Q(exit_situation=""))
                                   | (Q(end_date__isnull=False) & _choices("exit_situation", SchemeExit)),
                                   name="youth_scheme_exit_iff_end"),
            models.CheckConstraint(condition=(Q(status=EnrolmentStatus.ACTIVE) & Q(end_date__isnull=True))
                                   | (Q(status=EnrolmentStatus.ENDED) & Q(end_date__isnull=False)),
                                   name="youth_scheme_status_iff_end"),
            models.CheckConstraint(condition=Q(end_reason="") | _choices("end_reason", EnrolmentEndReason),
                                   name="youth_scheme_end_reason"),
        ]


class YouthSituation(TimeStamped):
    """A situation of the young person over time: employment, work-study, training, immersion (PMSMP)…"""

    territory = models.ForeignKey("territory.Territory", on_delete=models.PROTECT, related_name="+")
    situation_ref = models.CharField(_("identifiant de la situation"), max_length=REF_MAX)
    youth_file = models.ForeignKey(YouthFile, verbose_name=_("dossier jeune"), on_delete=models.CASCADE,
                                   related_name="situations")
    category = models.CharField(_("catégorie"), max_length=16, choices=SituationCategory.choices)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"), null=True, blank=True)
    contract_type = models.CharField(_("type de contrat"), max_length=16, choices=YouthContractType.choices,
                                     blank=True)
    pmsmp_aim = models.CharField(_("objet de l'immersion"), max_length=20, choices=PmsmpAim.choices, blank=True)
    employer_siret = models.CharField(_("SIRET de l'employeur"), max_length=14, blank=True)

    class Meta:
        verbose_name = _("situation du jeune")
        verbose_name_plural = _("situations du jeune")
        ordering = ["youth_file", "start_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "situation_ref"], name="youth_situation_unique_ref"),
            models.CheckConstraint(condition=_choices("category", SituationCategory), name="youth_situation_category"),
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                                   name="youth_situation_dates"),
            models.CheckConstraint(condition=~Q(category=SituationCategory.EMPLOYMENT)
                                   | _choices("contract_type", YouthContractType),
                                   name="youth_situation_employment_contract"),
            models.CheckConstraint(condition=~Q(category=SituationCategory.PMSMP) | _choices("pmsmp_aim", PmsmpAim),
                                   name="youth_situation_pmsmp_aim"),
            models.CheckConstraint(condition=Q(employer_siret="") | Q(employer_siret__regex=r"^[0-9]{14}$"),
                                   name="youth_situation_siret"),
        ]
        indexes = [models.Index(fields=["territory", "start_date"], name="youth_situation_start_idx")]


class Aid(TimeStamped):
    """A financial aid or allowance decided for a young person."""

    territory = models.ForeignKey("territory.Territory", on_delete=models.PROTECT, related_name="+")
    aid_ref = models.CharField(_("identifiant de l'aide"), max_length=REF_MAX)
    youth_file = models.ForeignKey(YouthFile, verbose_name=_("dossier jeune"), on_delete=models.CASCADE,
                                   related_name="aids")
    fund = models.CharField(_("fonds"), max_length=16, choices=Fund.choices)
    decision_date = models.DateField(_("date de la décision"))
    amount = models.DecimalField(_("montant"), max_digits=14, decimal_places=2)
    purpose = models.CharField(_("objet"), max_length=16, choices=AidPurpose.choices, blank=True)

    class Meta:
        verbose_name = _("aide financière")
        verbose_name_plural = _("aides financières")
        ordering = ["youth_file", "decision_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "aid_ref"], name="youth_aid_unique_ref"),
            models.CheckConstraint(condition=_choices("fund", Fund), name="youth_aid_fund"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="youth_aid_amount_positive"),
        ]


class Workshop(TimeStamped):
    """An entry of the Mission Locale's catalogue: a workshop or an information session, run by the Mission Locale
    or by a partner, whose sessions are planned on its page."""

    territory = models.ForeignKey("territory.Territory", verbose_name=_("territoire"), on_delete=models.PROTECT,
                                  related_name="+")
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=24, choices=WorkshopKind.choices, default=WorkshopKind.WORKSHOP)
    theme = models.CharField(_("thème"), max_length=24, choices=WorkshopTheme.choices)
    description = models.TextField(_("description"), blank=True)
    run_by = models.CharField(_("animé par"), max_length=16, choices=WorkshopRunner.choices,
                              default=WorkshopRunner.INTERNAL)
    partner_name = models.CharField(_("nom du partenaire"), max_length=200, blank=True)
    default_capacity = models.PositiveIntegerField(_("places par séance"), null=True, blank=True)
    is_active = models.BooleanField(_("au catalogue"), default=True)

    class Meta:
        verbose_name = _("atelier du catalogue")
        verbose_name_plural = _("ateliers du catalogue")
        ordering = ["territory", "name"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "name"], name="youth_workshop_unique_name"),
            models.CheckConstraint(condition=~Q(name=""), name="youth_workshop_named"),
            models.CheckConstraint(condition=_choices("kind", WorkshopKind), name="youth_workshop_kind"),
            models.CheckConstraint(condition=_choices("theme", WorkshopTheme), name="youth_workshop_theme"),
            # A partner is named exactly when the workshop is run by one.
            models.CheckConstraint(condition=(Q(run_by=WorkshopRunner.INTERNAL) & Q(partner_name=""))
                                   | (Q(run_by=WorkshopRunner.PARTNER) & ~Q(partner_name="")),
                                   name="youth_workshop_partner_iff_run_by_partner"),
            models.CheckConstraint(condition=Q(default_capacity__isnull=True) | Q(default_capacity__gt=0),
                                   name="youth_workshop_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class WorkshopSession(TimeStamped):
    """A session of a workshop or an information session. `workshop` and `theme` are the interchange's (a name and
    a theme); a session planned from the catalogue copies them from its entry, an imported one has no entry."""

    territory = models.ForeignKey("territory.Territory", on_delete=models.PROTECT, related_name="+")
    session_ref = models.CharField(_("identifiant de la séance"), max_length=REF_MAX)
    workshop = models.CharField(_("atelier"), max_length=200)
    theme = models.CharField(_("thème"), max_length=24, choices=WorkshopTheme.choices)
    date = models.DateField(_("date"))
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    catalogue = models.ForeignKey(Workshop, verbose_name=_("atelier du catalogue"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="sessions")
    start_time = models.TimeField(_("heure de début"), null=True, blank=True)
    # Empty: at the main site.
    site = models.ForeignKey(Site, verbose_name=_("lieu"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("planifiée par"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("séance d'atelier")
        verbose_name_plural = _("séances d'atelier")
        ordering = ["date", "session_ref"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "session_ref"], name="youth_session_unique_ref"),
            models.CheckConstraint(condition=_choices("theme", WorkshopTheme), name="youth_session_theme"),
            models.CheckConstraint(condition=~Q(workshop=""), name="youth_session_workshop_named"),
        ]


class WorkshopRegistration(TimeStamped):
    """A young person put forward for a session, and what came of it."""

    session = models.ForeignKey(WorkshopSession, verbose_name=_("séance"), on_delete=models.CASCADE,
                                related_name="registrations")
    youth_file = models.ForeignKey(YouthFile, verbose_name=_("dossier jeune"), on_delete=models.CASCADE,
                                   related_name="registrations")
    status = models.CharField(_("statut"), max_length=24, choices=RegistrationStatus.choices)
    # Who put the young person forward in Parcours (empty: imported).
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("inscrit·e par"), null=True,
                                      blank=True, on_delete=models.PROTECT, related_name="+")
    # The event a presence marked in Parcours recorded in the file (docs/youth.md): removed if the mark is undone.
    event = models.OneToOneField(YouthEvent, verbose_name=_("événement"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="workshop_registration")

    class Meta:
        verbose_name = _("inscription à un atelier")
        verbose_name_plural = _("inscriptions aux ateliers")
        constraints = [
            models.UniqueConstraint(fields=["session", "youth_file"], name="youth_registration_once"),
            models.CheckConstraint(condition=_choices("status", RegistrationStatus), name="youth_registration_status"),
        ]


class YouthSupport(TimeStamped):
    """A theme the support covers (health, housing, mobility…), from the day it was opened to the day it closed."""

    youth_file = models.ForeignKey(YouthFile, verbose_name=_("dossier jeune"), on_delete=models.CASCADE,
                                   related_name="supports")
    theme = models.CharField(_("thème"), max_length=16, choices=SupportTheme.choices)
    opened_on = models.DateField(_("ouvert le"))
    closed_on = models.DateField(_("clos le"), null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ouvert par"), on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        verbose_name = _("thème d'accompagnement")
        verbose_name_plural = _("thèmes d'accompagnement")
        ordering = ["youth_file", "closed_on", "theme"]
        constraints = [
            models.CheckConstraint(condition=_choices("theme", SupportTheme), name="youth_support_theme"),
            models.CheckConstraint(condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
                                   name="youth_support_dates"),
            # A theme is open once at a time.
            models.UniqueConstraint(fields=["youth_file", "theme"], condition=Q(closed_on__isnull=True),
                                    name="youth_support_open_once"),
        ]


class SchemeEnrolmentTransition(TransitionLog):
    enrolment = models.ForeignKey(SchemeEnrolment, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionLog.Meta):
        verbose_name = _("changement d'état d'un dispositif")


class YouthDiagnostic(TimeStamped):
    """The diagnostic that opens a PACEA: the young person's situation, needs and project, by the adviser."""

    youth_file = models.ForeignKey(YouthFile, verbose_name=_("dossier jeune"), on_delete=models.CASCADE,
                                   related_name="diagnostics")
    date = models.DateField(_("date du diagnostic"))
    needs = models.TextField(_("situation, besoins et projet"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("réalisé par"), on_delete=models.PROTECT,
                               related_name="+")

    class Meta:
        verbose_name = _("diagnostic")
        ordering = ["youth_file", "-date", "-pk"]
        constraints = [models.CheckConstraint(condition=~Q(needs=""), name="youth_diagnostic_needs_set")]


class SchemePhase(TimeStamped):
    """A phase of a PACEA: its objectives, the young person's commitments, its planned duration, its evaluation."""

    enrolment = models.ForeignKey(SchemeEnrolment, verbose_name=_("dispositif"), on_delete=models.CASCADE,
                                  related_name="phases")
    number = models.PositiveSmallIntegerField(_("numéro"))
    start_date = models.DateField(_("début"))
    planned_end = models.DateField(_("fin prévue"))
    objectives = models.TextField(_("objectifs"))
    commitments = models.TextField(_("engagements du jeune"), blank=True)
    end_date = models.DateField(_("fin"), null=True, blank=True)
    evaluation = models.TextField(_("évaluation"), blank=True)

    class Meta:
        verbose_name = _("phase")
        ordering = ["enrolment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "number"], name="youth_phase_number_once"),
            models.CheckConstraint(condition=Q(planned_end__gte=F("start_date")), name="youth_phase_planned_dates"),
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                                   name="youth_phase_dates"),
            # An evaluated phase has ended, and an ended one says how it went.
            models.CheckConstraint(condition=(Q(end_date__isnull=True) & Q(evaluation=""))
                                   | (Q(end_date__isnull=False) & ~Q(evaluation="")),
                                   name="youth_phase_evaluation_iff_end"),
            models.CheckConstraint(condition=~Q(objectives=""), name="youth_phase_objectives_set"),
        ]


class ImmersionAgreement(TimeStamped):
    """An immersion in a company (PMSMP): its agreement between the young person, the company and its tutor, and
    the Mission Locale. Signing it records the PMSMP situation the activity report counts (one-to-one)."""

    territory = models.ForeignKey("territory.Territory", on_delete=models.PROTECT, related_name="+")
    youth_file = models.ForeignKey(YouthFile, verbose_name=_("dossier jeune"), on_delete=models.CASCADE,
                                   related_name="immersions")
    # Set at the signature (youth/immersion_workflow.py): the situation the report reads.
    situation = models.OneToOneField(YouthSituation, verbose_name=_("situation"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="immersion")
    company_name = models.CharField(_("entreprise d'accueil"), max_length=200)
    company_siret = models.CharField(_("SIRET de l'entreprise"), max_length=14)
    company_address = models.CharField(_("adresse du lieu de l'immersion"), max_length=300)
    tutor_name = models.CharField(_("tuteur·rice"), max_length=200)
    tutor_job = models.CharField(_("fonction du tuteur·rice"), max_length=200, blank=True)
    tutor_phone = models.CharField(_("téléphone du tuteur·rice"), max_length=20, blank=True)
    tutor_email = models.EmailField(_("courriel du tuteur·rice"), blank=True)
    trade = models.CharField(_("métier observé"), max_length=200)
    rome_code = models.CharField(_("code ROME"), max_length=5, blank=True)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"))
    weekly_hours = models.DecimalField(_("heures par semaine"), max_digits=4, decimal_places=1)
    aim = models.CharField(_("objet de l'immersion"), max_length=20, choices=PmsmpAim.choices)
    prescriber = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("prescripteur·rice"),
                                   on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("état"), max_length=12, choices=ImmersionStatus.choices,
                              default=ImmersionStatus.DRAFT)

    class Meta:
        verbose_name = _("convention d'immersion (PMSMP)")
        verbose_name_plural = _("conventions d'immersion (PMSMP)")
        ordering = ["youth_file", "-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="youth_immersion_dates"),
            models.CheckConstraint(condition=Q(company_siret__regex=r"^[0-9]{14}$"), name="youth_immersion_siret"),
            models.CheckConstraint(condition=Q(rome_code="") | Q(rome_code__regex=r"^[A-Z][0-9]{4}$"),
                                   name="youth_immersion_rome"),
            models.CheckConstraint(condition=Q(weekly_hours__gt=0) & Q(weekly_hours__lte=IMMERSION_MAX_WEEKLY_HOURS),
                                   name="youth_immersion_hours"),
            models.CheckConstraint(condition=_choices("aim", PmsmpAim), name="youth_immersion_aim"),
            models.CheckConstraint(condition=_choices("status", ImmersionStatus), name="youth_immersion_status"),
            models.CheckConstraint(condition=~Q(company_name="") & ~Q(tutor_name="") & ~Q(trade=""),
                                   name="youth_immersion_parties_named"),
            # Signed or done: its PMSMP situation exists; a draft has none yet.
            models.CheckConstraint(condition=~Q(status__in=[ImmersionStatus.SIGNED, ImmersionStatus.DONE])
                                   | Q(situation__isnull=False), name="youth_immersion_signed_situation"),
            models.CheckConstraint(condition=~Q(status=ImmersionStatus.DRAFT) | Q(situation__isnull=True),
                                   name="youth_immersion_draft_no_situation"),
        ]


class ImmersionAgreementTransition(TransitionLog):
    agreement = models.ForeignKey(ImmersionAgreement, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionLog.Meta):
        verbose_name = _("changement d'état d'une convention d'immersion")


class ImmersionEvaluation(TimeStamped):
    """The evaluation at the end of the immersion: the tutor's, recorded by the adviser."""

    agreement = models.OneToOneField(ImmersionAgreement, verbose_name=_("convention"), on_delete=models.CASCADE,
                                     related_name="evaluation")
    date = models.DateField(_("date de l'évaluation"))
    aptitudes = models.TextField(_("aptitudes observées"))
    outcome = models.TextField(_("bilan"))
    hire_proposed = models.BooleanField(_("l'entreprise propose une embauche"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("saisie par"),
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("évaluation d'immersion")
        constraints = [models.CheckConstraint(condition=~Q(aptitudes="") & ~Q(outcome=""),
                                              name="youth_immersion_evaluation_set")]


class ImmersionFollowUp(TimeStamped):
    """What became of the young person 15 days, 1 month or 3 months after the immersion's end."""

    agreement = models.ForeignKey(ImmersionAgreement, verbose_name=_("convention"), on_delete=models.CASCADE,
                                  related_name="follow_ups")
    milestone = models.CharField(_("échéance"), max_length=12, choices=FollowUpMilestone.choices)
    date = models.DateField(_("date du suivi"))
    outcome = models.CharField(_("situation"), max_length=16, choices=FollowUpOutcome.choices)
    contract_type = models.CharField(_("type de contrat"), max_length=16, choices=YouthContractType.choices,
                                     blank=True)
    # The employment or work-study situation it recorded, or found already there (empty for the other outcomes).
    situation = models.ForeignKey(YouthSituation, verbose_name=_("situation"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("commentaire"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("saisi par"),
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("suivi après immersion")
        verbose_name_plural = _("suivis après immersion")
        ordering = ["agreement", "date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "milestone"], name="youth_follow_up_once"),
            models.CheckConstraint(condition=_choices("milestone", FollowUpMilestone), name="youth_follow_up_milestone"),
            models.CheckConstraint(condition=_choices("outcome", FollowUpOutcome), name="youth_follow_up_outcome"),
            # A contract type exactly for an employment.
            models.CheckConstraint(condition=(Q(outcome=FollowUpOutcome.EMPLOYMENT)
                                              & _choices("contract_type", YouthContractType))
                                   | (~Q(outcome=FollowUpOutcome.EMPLOYMENT) & Q(contract_type="")),
                                   name="youth_follow_up_contract_iff_employment"),
            models.CheckConstraint(condition=Q(outcome__in=[FollowUpOutcome.EMPLOYMENT, FollowUpOutcome.WORK_STUDY])
                                   | Q(situation__isnull=True), name="youth_follow_up_situation_of_a_job"),
        ]
