"""The employers a territory's team works with, their contacts and the history of every exchange (issue 15,
docs/employers.md). An employer belongs to a territory: the PLIE's employer-relations officers and team keep one
portfolio for it, whoever made the contact."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parcours.core.models import TimeStamped, TransitionLog

from .enums import (
    OPEN_CANDIDACY, CandidacyRefusal, CandidacyStatus, EventKind, EventOutcome, ExchangeKind, OfferContractType,
    OfferStatus, PartnerStatus, PriorActionKind, SizeBand, SponsorshipOutcome,
)
from .naf import naf_divisions, naf_sections


class Employer(TimeStamped):
    territory = models.ForeignKey("territory.Territory", on_delete=models.PROTECT, related_name="employers")
    siret = models.CharField(_("SIRET"), max_length=14)
    name = models.CharField(_("raison sociale"), max_length=200)
    naf_division = models.CharField(_("secteur d'activité (division NAF)"), max_length=2, blank=True)
    # Follows the division (employers.services): kept as a column so that the figures group by it in the database.
    naf_section = models.CharField(_("section NAF"), max_length=1, blank=True)
    size_band = models.CharField(_("taille"), max_length=10, choices=SizeBand.choices, blank=True)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    commune = models.ForeignKey("territory.Commune", verbose_name=_("commune"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("adresse électronique"), blank=True)
    website = models.URLField(_("site internet"), blank=True)
    partner_status = models.CharField(_("relation"), max_length=10, choices=PartnerStatus.choices,
                                      default=PartnerStatus.PROSPECT)
    partner_since = models.DateField(_("partenaire depuis le"), null=True, blank=True)
    notes = models.TextField(_("observations"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("employeur")
        ordering = ["name", "pk"]
        constraints = [
            # One establishment, one record: a SIRET already in the portfolio is refused (duplicates).
            models.UniqueConstraint(fields=["territory", "siret"], name="employer_siret_unique_in_territory",
                                    violation_error_message=_("SIRET : cet établissement est déjà enregistré.")),
            models.CheckConstraint(condition=Q(siret__regex=r"^[0-9]{14}$"), name="employer_siret_14_digits"),
            models.CheckConstraint(condition=~Q(name=""), name="employer_name_not_empty"),
            models.CheckConstraint(condition=Q(naf_division="") | Q(naf_division__in=list(naf_divisions())),
                                   name="employer_naf_division_known"),
            models.CheckConstraint(condition=Q(naf_section="") | Q(naf_section__in=list(naf_sections())),
                                   name="employer_naf_section_known"),
            # No section without its division, and no division without its section.
            models.CheckConstraint(condition=Q(naf_division="", naf_section="") | (~Q(naf_division="")
                                                                                   & ~Q(naf_section="")),
                                   name="employer_naf_section_follows_division"),
            models.CheckConstraint(condition=Q(size_band="") | Q(size_band__in=SizeBand.values),
                                   name="employer_size_band_known"),
            models.CheckConstraint(condition=Q(partner_status__in=PartnerStatus.values),
                                   name="employer_partner_status_known"),
            # A date of partnership only for a partner, present or former.
            models.CheckConstraint(condition=Q(partner_since__isnull=True) | ~Q(partner_status=PartnerStatus.PROSPECT),
                                   name="employer_partner_since_only_for_partners"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def naf_label(self) -> str:
        division = naf_divisions().get(self.naf_division)
        return f"{division.code} — {division.label}" if division else ""

    @property
    def naf_section_label(self) -> str:
        return naf_sections().get(self.naf_section, "")


class EmployerContact(TimeStamped):
    """A person to talk to at the employer (a manager, HR); a contact who left is kept inactive, since the history
    names them."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("nom"), max_length=200)
    job_title = models.CharField(_("fonction"), max_length=200, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("adresse électronique"), blank=True)
    is_active = models.BooleanField(_("toujours en poste"), default=True)

    class Meta:
        verbose_name = _("contact chez l'employeur")
        ordering = ["-is_active", "name", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="employer_contact_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name


class EmployerExchange(models.Model):
    """One exchange with the employer: a call, a visit, an e-mail, a meeting, an event. Recorded once it happened;
    not edited (the history is what the team did), corrected by a new one."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="exchanges")
    kind = models.CharField(_("type d'échange"), max_length=10, choices=ExchangeKind.choices)
    date = models.DateField(_("date"))
    contact = models.ForeignKey(EmployerContact, verbose_name=_("contact"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="exchanges")
    summary = models.TextField(_("compte rendu"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("par"), on_delete=models.PROTECT,
                           related_name="+")
    recorded_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)

    class Meta:
        verbose_name = _("échange avec l'employeur")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ExchangeKind.values), name="employer_exchange_kind_known"),
            models.CheckConstraint(condition=~Q(summary=""), name="employer_exchange_summary_not_empty"),
        ]


ROME_RE = r"^[A-N][0-9]{4}$"


class JobOffer(TimeStamped):
    """A job an employer offers, that the team fills with the people it follows (issue 15)."""

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="offers")
    title = models.CharField(_("intitulé du poste"), max_length=200)
    # The ROME (France Travail's directory of trades): a letter (A to N) and four digits, "K2204".
    rome_code = models.CharField(_("code ROME"), max_length=5, blank=True)
    contract_type = models.CharField(_("type de contrat"), max_length=20, choices=OfferContractType.choices)
    hours_per_week = models.DecimalField(_("heures par semaine"), max_digits=4, decimal_places=1)
    places = models.PositiveSmallIntegerField(_("nombre de postes"), default=1)
    workplace = models.CharField(_("lieu de travail"), max_length=300, blank=True)
    commune = models.ForeignKey("territory.Commune", verbose_name=_("commune"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    description = models.TextField(_("missions"), blank=True)
    prerequisites = models.TextField(_("prérequis"), blank=True)
    opens_on = models.DateField(_("ouverte le"))
    closes_on = models.DateField(_("close le"), null=True, blank=True)
    status = models.CharField(_("état"), max_length=10, choices=OfferStatus.choices, default=OfferStatus.OPEN)
    # The job is in a public contract's social clause (the clause itself: the social-clauses module).
    social_clause = models.BooleanField(_("au titre d'une clause sociale"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("offre d'emploi")
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="job_offer_title_not_empty"),
            models.CheckConstraint(condition=Q(rome_code="") | Q(rome_code__regex=ROME_RE),
                                   name="job_offer_rome_code_format"),
            models.CheckConstraint(condition=Q(contract_type__in=OfferContractType.values),
                                   name="job_offer_contract_type_known"),
            models.CheckConstraint(condition=Q(hours_per_week__gt=0) & Q(hours_per_week__lte=48),
                                   name="job_offer_hours_within_the_legal_week"),
            models.CheckConstraint(condition=Q(places__gte=1), name="job_offer_at_least_one_place"),
            models.CheckConstraint(condition=Q(closes_on__isnull=True) | Q(closes_on__gte=models.F("opens_on")),
                                   name="job_offer_closes_after_it_opens"),
            models.CheckConstraint(condition=Q(status__in=OfferStatus.values), name="job_offer_status_known"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open_on(self, day) -> bool:
        return (self.status == OfferStatus.OPEN and self.opens_on <= day
                and (self.closes_on is None or self.closes_on >= day))


class Candidacy(TimeStamped):
    """A person followed on a pathway, put forward for an offer (positionnement): proposed by whoever follows them,
    presented to the employer by the employer-relations officer, then hired, refused, withdrawn or expired. Its
    states go through `employers.workflow.CANDIDACY_WORKFLOW`; a hire is a step on the pathway."""

    offer = models.ForeignKey(JobOffer, on_delete=models.PROTECT, related_name="candidacies")
    pathway = models.ForeignKey("pathways.Pathway", on_delete=models.PROTECT, related_name="candidacies")
    status = models.CharField(_("état"), max_length=16, choices=CandidacyStatus.choices,
                              default=CandidacyStatus.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("pourquoi cette personne"), blank=True)
    # The date of the last news (each transition): 60 days without any, a candidacy waiting on the employer expires.
    last_news_on = models.DateField(_("dernières nouvelles le"))
    interview_on = models.DateField(_("entretien le"), null=True, blank=True)
    prior_action = models.CharField(_("action préalable"), max_length=10, choices=PriorActionKind.choices, blank=True)
    prior_action_start = models.DateField(_("début de l'action préalable"), null=True, blank=True)
    prior_action_end = models.DateField(_("fin de l'action préalable"), null=True, blank=True)
    refusal_reason = models.CharField(_("motif"), max_length=12, choices=CandidacyRefusal.choices, blank=True)
    withdrawal_reason = models.CharField(_("motif du retrait"), max_length=300, blank=True)
    hired_on = models.DateField(_("embauché·e le"), null=True, blank=True)
    contract_end = models.DateField(_("fin du contrat"), null=True, blank=True)
    # The steps the candidacy put on the pathway: the immersion before the hire, the job.
    immersion_step = models.ForeignKey("pathways.Step", on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="+")
    step = models.ForeignKey("pathways.Step", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Whom the referent calls at the employer during the six months of follow-up in employment.
    followup_contact = models.ForeignKey(EmployerContact, verbose_name=_("contact pendant le suivi dans l'emploi"),
                                         on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("positionnement sur une offre")
        ordering = ["-last_news_on", "-pk"]
        constraints = [
            # One open candidacy of a person on an offer: proposing twice is refused.
            models.UniqueConstraint(fields=["offer", "pathway"], condition=Q(status__in=OPEN_CANDIDACY),
                                    name="candidacy_open_once_per_offer"),
            models.CheckConstraint(condition=Q(status__in=CandidacyStatus.values), name="candidacy_status_known"),
            models.CheckConstraint(condition=~Q(status=CandidacyStatus.REFUSED) | ~Q(refusal_reason=""),
                                   name="candidacy_refusal_has_reason"),
            models.CheckConstraint(condition=~Q(status=CandidacyStatus.HIRED) | Q(hired_on__isnull=False),
                                   name="candidacy_hire_has_date"),
            models.CheckConstraint(condition=Q(contract_end__isnull=True) | Q(hired_on__isnull=False)
                                   & Q(contract_end__gte=models.F("hired_on")), name="candidacy_contract_end_after_hire"),
            models.CheckConstraint(condition=Q(prior_action_end__isnull=True) | Q(prior_action_start__isnull=False)
                                   & Q(prior_action_end__gte=models.F("prior_action_start")),
                                   name="candidacy_prior_action_dates_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.pathway_id} → {self.offer}"


class CandidacyTransition(TransitionLog):
    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionLog.Meta):
        verbose_name = _("changement d'état d'un positionnement sur une offre")


# --- recruitment events and sponsorship (issue 15) ----------------------------------------------------------------


class RecruitmentEvent(TimeStamped):
    """A job dating, a forum, a company visit, mock interviews: employers of the portfolio, the people the referents
    invite, who came and what came of it for each (`EventInvitation`). Run by the employer-relations officer."""

    territory = models.ForeignKey("territory.Territory", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("type d'événement"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("intitulé"), max_length=200)
    date = models.DateField(_("date"))
    place = models.CharField(_("lieu"), max_length=300, blank=True)
    description = models.TextField(_("présentation"), blank=True)
    employers = models.ManyToManyField(Employer, verbose_name=_("employeurs"), blank=True, related_name="events")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("événement de recrutement")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="recruitment_event_kind_known"),
            models.CheckConstraint(condition=~Q(title=""), name="recruitment_event_title_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title


class EventInvitation(TimeStamped):
    """A person followed on a pathway, invited to an event by whoever follows them; after the event, whether they
    came and what came of it (the officer records it)."""

    event = models.ForeignKey(RecruitmentEvent, on_delete=models.CASCADE, related_name="invitations")
    pathway = models.ForeignKey("pathways.Pathway", on_delete=models.PROTECT, related_name="event_invitations")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Unknown until the officer records the attendance.
    attended = models.BooleanField(_("présent·e"), null=True, blank=True)
    outcome = models.CharField(_("suite donnée"), max_length=12, choices=EventOutcome.choices, blank=True)
    outcome_employer = models.ForeignKey(Employer, verbose_name=_("employeur concerné"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    comment = models.CharField(_("commentaire"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("invitation à un événement de recrutement")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "pathway"], name="event_invitation_once",
                                    violation_error_message=_("Cette personne est déjà invitée à cet événement.")),
            models.CheckConstraint(condition=Q(outcome="") | Q(outcome__in=EventOutcome.values),
                                   name="event_invitation_outcome_known"),
            # An outcome only for who came; an employer only beside an outcome.
            models.CheckConstraint(condition=Q(outcome="") | Q(attended=True), name="event_outcome_only_if_attended"),
            models.CheckConstraint(condition=Q(outcome_employer__isnull=True) | ~Q(outcome=""),
                                   name="event_outcome_employer_needs_outcome"),
        ]


class Sponsorship(TimeStamped):
    """A sponsor (parrain, marraine) from a company of the portfolio accompanying a person followed on a pathway:
    their meetings, then how it ended."""

    pathway = models.ForeignKey("pathways.Pathway", on_delete=models.PROTECT, related_name="sponsorships")
    employer = models.ForeignKey(Employer, verbose_name=_("entreprise du parrain ou de la marraine"),
                                 on_delete=models.PROTECT, related_name="sponsorships")
    sponsor_name = models.CharField(_("parrain ou marraine"), max_length=200)
    sponsor_job_title = models.CharField(_("fonction"), max_length=200, blank=True)
    sponsor_phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    sponsor_email = models.EmailField(_("adresse électronique"), blank=True)
    goal = models.TextField(_("objectif"), blank=True)
    started_on = models.DateField(_("début"))
    ended_on = models.DateField(_("fin"), null=True, blank=True)
    outcome = models.CharField(_("issue"), max_length=20, choices=SponsorshipOutcome.choices, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("parrainage")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(sponsor_name=""), name="sponsorship_sponsor_named"),
            models.CheckConstraint(condition=Q(outcome="") | Q(outcome__in=SponsorshipOutcome.values),
                                   name="sponsorship_outcome_known"),
            # Ended, with its outcome; running, without.
            models.CheckConstraint(condition=Q(ended_on__isnull=True, outcome="")
                                   | Q(ended_on__isnull=False) & ~Q(outcome=""), name="sponsorship_end_has_outcome"),
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                                   name="sponsorship_ends_after_it_starts"),
            # One running sponsorship a person.
            models.UniqueConstraint(fields=["pathway"], condition=Q(ended_on__isnull=True),
                                    name="sponsorship_one_running_per_pathway",
                                    violation_error_message=_("Cette personne a déjà un parrainage en cours.")),
        ]


class SponsorshipMeeting(models.Model):
    sponsorship = models.ForeignKey(Sponsorship, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    summary = models.TextField(_("compte rendu"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("enregistré le"), auto_now_add=True)

    class Meta:
        verbose_name = _("rencontre de parrainage")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(summary=""), name="sponsorship_meeting_summary_not_empty"),
        ]
