"""The fictional demo PLIE of Clermont Auvergne Métropole (`parcours demo-data`).

A PLIE follows a few thousand people over three years. A larger data set is what an instance serving a group
of PLIE (or the national consolidation: 150 PLIE, 130,000 people a year) holds: beyond PEOPLE_PER_TERRITORY
people, the others are spread over fictional twins of the demo territory (same communes, QPV and structures,
their own staff), each team seeing only its own territory.

Structures and staff accounts are created idempotently. People are simulated in memory, a chunk
at a time, and written with `bulk_create`: no service call and no query per person, so that
150,000 people take minutes. The rows are those the services would have written (same states,
same transition log), with dates in the past that respect every rule of the journey:
application ≤ commission ≤ entry ≤ exit, steps and appointments within the pathway, one open
pathway per person. Proportions follow the national PLIE consolidation 2019 (seed 002, section 2).
Everything is drawn from one `random.Random(seed)`: the same seed on the same day gives the same data.
"""

from __future__ import annotations

import calendar
import contextlib
import random
import time
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone
from stdnum import luhn

from parcours.plie.commissions.enums import CommissionOutcome, CommissionStatus
from parcours.plie.commissions.models import Commission, CommissionDecision
from parcours.plie.intake.models import Application, Assessment, ReceptionInterview
from parcours.organisations.enums import OrganisationKind, PrescriberType, Role
from parcours.organisations.models import Membership, Organisation, User
from parcours.participants.enums import Barrier, EducationLevel, Sex
from parcours.participants.models import Participant, ParticipantSituation
from parcours.pathways.enums import AppointmentKind, BarrierLevel, ContactMode, ContractType, Decision
from parcours.plie.enums import EarlyClosure, ExitReason, PathwayStatus, StepType
from parcours.plie.enums import CLOSED_STATES, FollowUpStatus
from parcours.pathways.models import Appointment, BarrierReview, Note, Pathway, PathwayTransition, Step
from parcours.plie.models import EmploymentFollowUp, EngagementContract
from parcours.core.workflow import CREATED, transition_replay
from parcours.plie.workflow import PATHWAY_WORKFLOW
from parcours.plie.definition import PLIE, SITUATION_CRITERIA
from parcours.plie.eligibility import age_on, eligibility_decide
from parcours.programmes.models import Programme
from parcours.territory.models import Commune, Helpdesk, Qpv, Territory
from parcours.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from parcours.employers.models import (
    Employer, EmployerContact, EmployerExchange, EventInvitation, RecruitmentEvent, Sponsorship, SponsorshipMeeting,
)
from parcours.employers.naf import naf_divisions

TERRITORY_NAME = "Clermont Auvergne Métropole"
PLIE_NAME = "PLIE de Clermont Auvergne Métropole"
CHUNK = 2000
BATCH = 2000
DEMO_DOMAIN = "demo.parcours.fr"
PEOPLE_PER_TERRITORY = 5000   # Clermont: about 1,600 people a year, over the three years of the demo
S = PathwayStatus
E = ExitReason



def _siret(digits: str) -> str:
    """14 random digits made a well-formed SIRET: the 9th becomes the SIREN's Luhn key, the 14th the SIRET's (the
    same draws of the generator, so the rest of the demo is unchanged)."""
    siren = digits[:8] + luhn.calc_check_digit(digits[:8])
    body = siren + digits[9:13]
    return body + luhn.calc_check_digit(body)

class DemoError(Exception):
    """The demo cannot be generated (message in French)."""


# --- reference lists ---------------------------------------------------------------------------
FEMALE_NAMES = (
    "Amandine Amélie Anaïs Angélique Anne Aurélie Aurore Awa Aïcha Béatrice Brigitte Camille Carole Caroline "
    "Catherine Cécile Céline Chantal Christelle Christine Claire Corinne Delphine Dominique Élodie Émilie "
    "Fatima Fatoumata Florence Françoise Gaëlle Hélène Isabelle Jessica Julie Karima Karine Khadija Laetitia "
    "Laura Laurence Leïla Linda Lydie Malika Marie Marine Martine Mélanie Myriam Nadia Nathalie Nadège Patricia "
    "Pauline Rachida Sabrina Samia Sandrine Sandra Séverine Sonia Sophie Stéphanie Sylvie Valérie Vanessa "
    "Véronique Virginie Yasmina Zohra Ana Maria Ngoc Elif"
).split()
MALE_NAMES = (
    "Abdel Adrien Ahmed Alain Alexandre Ali Anthony Antoine Arnaud Bruno Cédric Christophe Cyril Damien David "
    "Didier Djamel Éric Fabrice Farid Franck François Frédéric Gilles Grégory Guillaume Hakim Hervé Jérémy "
    "Jérôme Jean Joël José Julien Karim Kévin Laurent Loïc Ludovic Mamadou Marc Mathieu Mehdi Michel Mohamed "
    "Mickaël Moussa Nicolas Olivier Pascal Patrice Patrick Philippe Pierre Rachid Régis Rémi Samir Sébastien "
    "Serge Stéphane Sylvain Thierry Thomas Vincent Yannick Youssef Ibrahima Mustafa Paulo Tuan Dimitri"
).split()
LAST_NAMES = (
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre Michel Garcia "
    "David Bertrand Roux Vincent Fournier Morel Girard André Lefèvre Mercier Dupont Lambert Bonnet François "
    "Martinez Legrand Garnier Faure Rousseau Blanc Guerin Muller Henry Roussel Nicolas Perrin Morin Mathieu "
    "Clément Gauthier Dumont Lopez Fontaine Chevalier Robin Masson Sanchez Gérard Nguyen Boyer Denis Lemaire "
    "Duval Joly Gautier Roger Roche Roy Noël Meyer Lucas Meunier Jean Perez Marchand Dufour Blanchard Marie "
    "Barbier Brun Dumas Brunet Schmitt Leroux Colin Fernandez Pierre Renard Arnaud Rolland Caron Aubert "
    "Giraud Leclerc Vidal Bourgeois Renaud Lemoine Picard Gaillard Philippe Leclercq Lacroix Fabre Dupuis "
    "Olivier Rodriguez Da Silva Hubert Louis Charles Guillot Rivière Le Gall Guillaume Adam Rey Moulin "
    "Gonzalez Berger Lecomte Menard Fleury Deschamps Carpentier Julien Benoit Paris Maillard Marchal Aubry "
    "Vasseur Le Roux Renault Jacquet Collet Prévost Poirier Charpentier Royer Huet Baron Dupuy Pons Paul "
    "Laine Carré Breton Rémy Schneider Perret Giraud Cousin Bouvier Chabrier Chassaing Vigier Pradier Bouchet "
    "Mallet Tixier Chauvet Delorme Pouzadoux Cournil Dumontet Besson Vialle Bonnefoy Bard Benali Haddad "
    "Mansouri Diallo Traoré Koné Camara Yilmaz Demir Kaya Ferreira Pereira Santos Tran Pham Benmoussa Ouali"
).split()
STREETS = [
    "rue de la République", "avenue Jean-Jaurès", "rue Pasteur", "boulevard Gergovia", "rue du Port",
    "avenue Édouard-Michelin", "rue Blatin", "avenue de la Libération", "rue Fontgiève", "rue de l'Oradou",
    "avenue du Brézet", "rue Anatole-France", "boulevard Lavoisier", "rue des Vergnes", "rue de Champratel",
    "place de la Liberté", "rue du Stade", "allée des Tilleuls", "rue Victor-Hugo", "avenue de Royat",
    "rue des Jacobins", "rue de Neyrat", "avenue de l'Agriculture", "rue Alexandre-Varenne", "impasse des Dômes",
    "rue de la Gare", "chemin des Vignes", "rue du Moulin", "avenue de Cournon", "rue Saint-Jacques",
]
PROFESSIONS = [
    ("agent d'entretien", "agente d'entretien"), ("aide à domicile", "aide à domicile"),
    ("préparateur de commandes", "préparatrice de commandes"), ("cariste", "cariste"),
    ("agent de restauration", "agente de restauration"), ("vendeur en magasin", "vendeuse en magasin"),
    ("employé libre-service", "employée libre-service"), ("assistant administratif", "assistante administrative"),
    ("chauffeur livreur", "chauffeuse livreuse"), ("agent de sécurité", "agente de sécurité"),
    ("ouvrier du bâtiment", "ouvrière du bâtiment"), ("aide-soignant", "aide-soignante"),
    ("agent des espaces verts", "agente des espaces verts"), ("commis de cuisine", "commis de cuisine"),
    ("magasinier", "magasinière"), ("agent de propreté urbaine", "agente de propreté urbaine"),
]
EMPLOYERS = [
    "Boulangerie des Dômes", "Transports Arverne", "Nettoyage Auvergne Services", "Restaurant Le Puy de Jaude",
    "Logistique Sarliève", "EHPAD Les Tilleuls", "Auvergne Propreté", "Bâtiment Gergovie", "Supermarché des Salins",
    "Aide et Services à domicile Métropole", "Hôtel des Volcans", "Garage Central Montferrand",
    "Blanchisserie Arverne", "Sécurité Centre Auvergne", "Paysages du Val d'Allier", "Intérim Volcans",
    "Cuisine centrale métropolitaine", "Entrepôt du Brézet",
]
# The demo employers' sector (NAF division) and size band (docs/employers.md).
EMPLOYER_PROFILES = {
    "Boulangerie des Dômes": ("10", "micro"), "Transports Arverne": ("49", "medium"),
    "Nettoyage Auvergne Services": ("81", "medium"), "Restaurant Le Puy de Jaude": ("56", "micro"),
    "Logistique Sarliève": ("52", "large"), "EHPAD Les Tilleuls": ("87", "medium"),
    "Auvergne Propreté": ("81", "small"), "Bâtiment Gergovie": ("41", "small"),
    "Supermarché des Salins": ("47", "medium"), "Aide et Services à domicile Métropole": ("88", "medium"),
    "Hôtel des Volcans": ("55", "small"), "Garage Central Montferrand": ("45", "micro"),
    "Blanchisserie Arverne": ("96", "small"), "Sécurité Centre Auvergne": ("80", "medium"),
    "Paysages du Val d'Allier": ("81", "small"), "Intérim Volcans": ("78", "small"),
    "Cuisine centrale métropolitaine": ("56", "medium"), "Entrepôt du Brézet": ("52", "large"),
}
EMPLOYER_JOB_TITLES = ["Gérant·e", "Responsable des ressources humaines", "Chef·fe d'équipe", "Directeur·rice",
                       "Chargé·e de recrutement"]
EXCHANGE_SUMMARIES = {
    "call": ["Point sur les besoins de recrutement du trimestre.", "Relance après la présentation de candidats."],
    "visit": ["Visite des locaux et des postes ; deux postes à pourvoir au printemps.",
              "Visite avec un·e participant·e intéressé·e par le métier."],
    "email": ["Envoi de la plaquette du PLIE et des aides à l'embauche.", "Fiche de poste reçue."],
    "meeting": ["Rendez-vous de présentation du PLIE et de son accompagnement dans l'emploi."],
    "event": ["Présent·e au job dating du PLIE, trois entretiens menés."],
}
STEP_PROVIDERS = {
    StepType.MOBILISATION: ["Atelier de remobilisation du PLIE", "Atelier confiance en soi", "Atelier numérique",
                            "Action « Cap vers l'emploi »"],
    StepType.EMPLOYMENT_MEDIATION: ["Intermédiation IOD", "Job dating du PLIE", "Parrainage vers l'emploi",
                                    "France Travail — prestation d'accompagnement"],
    StepType.SOCIAL_SUPPORT: ["Accompagnement social du Département", "Relais santé", "Point conseil budget"],
    StepType.TRAINING_QUALIFYING: ["AFPA Clermont-Ferrand", "GRETA Clermont Auvergne", "CFPPA de Marmilhat"],
    StepType.TRAINING_CERTIFYING: ["GRETA Clermont Auvergne", "AFPA Clermont-Ferrand", "Organisme CléA Auvergne"],
    StepType.TRAINING_NON_QUALIFYING: ["Atelier savoirs de base", "Français langue étrangère", "Remise à niveau"],
    StepType.IAE_ACI: ["Chantier d'insertion entretien des rivières", "Chantier d'insertion du livre",
                       "Chantier d'insertion du costume", "C.vélo"],
    StepType.IAE_EI: ["Recyclerie des Dômes (EI)", "Les Mains ouvertes"],
    StepType.IAE_ETTI: ["ETTI Volcans Insertion"],
    StepType.IAE_AI: ["Association intermédiaire Services Plus"],
    StepType.GEIQ: ["GEIQ BTP Auvergne", "GEIQ Propreté Auvergne"],
    StepType.REGIE_QUARTIER: ["Régie des Territoires (des 2 Rives)"],
    StepType.SUBSIDISED_CONTRACT: ["Ville de Clermont-Ferrand", "Association sportive de Cournon", "CCAS de Gerzat"],
    StepType.IMMERSION: EMPLOYERS,
    StepType.BUSINESS_CREATION: ["Couveuse d'entreprises Auvergne", "BGE Auvergne"],
    StepType.UNSUBSIDISED_EMPLOYMENT: EMPLOYERS,
}
# Step mix of the national consolidation 2019: 32% mobilisation, 16% mediation, 14% unsubsidised jobs, 7% IAE.
STEP_MIX = [
    (StepType.MOBILISATION, 32), (StepType.EMPLOYMENT_MEDIATION, 16), (StepType.UNSUBSIDISED_EMPLOYMENT, 14),
    (StepType.SOCIAL_SUPPORT, 8), (StepType.TRAINING_NON_QUALIFYING, 7), (StepType.IMMERSION, 5),
    (StepType.TRAINING_QUALIFYING, 4), (StepType.TRAINING_CERTIFYING, 3), (StepType.IAE_ACI, 3),
    (StepType.IAE_EI, 1.5), (StepType.IAE_ETTI, 1.5), (StepType.IAE_AI, 1), (StepType.SUBSIDISED_CONTRACT, 2),
    (StepType.GEIQ, 1), (StepType.REGIE_QUARTIER, 1), (StepType.BUSINESS_CREATION, 0.5),
]
STEP_DAYS = {  # (shortest, longest) length of a step of this type
    StepType.MOBILISATION: (10, 60), StepType.EMPLOYMENT_MEDIATION: (30, 120), StepType.SOCIAL_SUPPORT: (60, 240),
    StepType.TRAINING_QUALIFYING: (120, 330), StepType.TRAINING_CERTIFYING: (60, 180),
    StepType.TRAINING_NON_QUALIFYING: (30, 120), StepType.IAE_ACI: (120, 480), StepType.IAE_EI: (120, 480),
    StepType.IAE_ETTI: (30, 300), StepType.IAE_AI: (30, 300), StepType.GEIQ: (180, 540),
    StepType.REGIE_QUARTIER: (120, 360), StepType.SUBSIDISED_CONTRACT: (180, 365), StepType.IMMERSION: (5, 20),
    StepType.BUSINESS_CREATION: (60, 240), StepType.UNSUBSIDISED_EMPLOYMENT: (7, 120),
}
EMPLOYMENT_STEPS = {StepType.UNSUBSIDISED_EMPLOYMENT, StepType.IAE_ACI, StepType.IAE_EI, StepType.IAE_ETTI,
                    StepType.IAE_AI, StepType.GEIQ, StepType.REGIE_QUARTIER, StepType.SUBSIDISED_CONTRACT}
TRAINING_STEPS = {StepType.TRAINING_QUALIFYING, StepType.TRAINING_CERTIFYING, StepType.TRAINING_NON_QUALIFYING}

# Where the people of a demo PLIE are at today; exits with the 2019 proportions (47% positive,
# of which 80% sustainable employment and 15% qualifying training; 18% abandonment; 7% moves,
# deaths, retirements; the rest reorientations and other exits without outcome).
STATE_MIX = [(S.SUBMITTED, 2), (S.ASSIGNED, 4), (S.ASSESSED, 3), (S.ADMITTED, 2), (S.REFUSED, 2.5),
             (S.REORIENTED, 3.5), (S.CLOSED_BEFORE_COMMISSION, 1.5), (S.ACTIVE, 37), (S.FOLLOWUP, 6),
             (S.EXITED, 40)]
EXIT_MIX = [(E.SUSTAINABLE_EMPLOYMENT, 37.6), (E.QUALIFYING_TRAINING, 7.1), (E.OTHER_POSITIVE, 2.3),
            (E.ABANDONMENT, 18), (E.MOVED, 4.5), (E.RETIRED, 1.8), (E.DECEASED, 0.7), (E.REORIENTATION, 15),
            (E.OTHER_WITHOUT_OUTCOME, 13)]
# Share of people still in the journey who came back after an earlier pathway.
REENTRY_SHARE = 0.06
EDUCATION_MIX = [(EducationLevel.VI, 15), (EducationLevel.VBIS, 18), (EducationLevel.V, 30), (EducationLevel.IV, 22),
                 (EducationLevel.III, 9), (EducationLevel.II, 4), (EducationLevel.I, 2)]
PRESCRIBER_MIX = [(PrescriberType.FRANCE_TRAVAIL, 36), (PrescriberType.DEPARTEMENT, 16), (PrescriberType.CCAS, 16),
                  (PrescriberType.ASSOCIATION, 10), (PrescriberType.SIAE, 7), (PrescriberType.CAF, 6),
                  (PrescriberType.MISSION_LOCALE, 4), (PrescriberType.PLIE, 5)]
MODE_MIX = [(ContactMode.IN_PERSON, 66), (ContactMode.PHONE, 20), (ContactMode.VIDEO, 5),
            (ContactMode.HOME_VISIT, 3), (ContactMode.OUTREACH, 6)]

PRESCRIBERS = [  # name, type, address
    ("France Travail Clermont-Ferrand Les Salins", PrescriberType.FRANCE_TRAVAIL, "Clermont-Ferrand"),
    ("France Travail Clermont Nord", PrescriberType.FRANCE_TRAVAIL, "Clermont-Ferrand"),
    ("France Travail Cournon", PrescriberType.FRANCE_TRAVAIL, "Cournon-d'Auvergne"),
    ("CCAS de Clermont-Ferrand", PrescriberType.CCAS, "Clermont-Ferrand"),
    ("CCAS de Cournon-d'Auvergne", PrescriberType.CCAS, "Cournon-d'Auvergne"),
    ("CCAS d'Aubière", PrescriberType.CCAS, "Aubière"),
    ("CCAS de Gerzat", PrescriberType.CCAS, "Gerzat"),
    ("CCAS de Chamalières", PrescriberType.CCAS, "Chamalières"),
    ("CCAS de Pont-du-Château", PrescriberType.CCAS, "Pont-du-Château"),
    ("Conseil départemental du Puy-de-Dôme — circonscription d'action médico-sociale de Clermont",
     PrescriberType.DEPARTEMENT, "Clermont-Ferrand"),
    ("CAF du Puy-de-Dôme", PrescriberType.CAF, "Clermont-Ferrand"),
    ("Mission Locale du secteur de Cournon-d'Auvergne", PrescriberType.MISSION_LOCALE, "Cournon-d'Auvergne"),
    ("Association intermédiaire Services Plus", PrescriberType.SIAE, "Clermont-Ferrand"),
    ("Recyclerie des Dômes (EI)", PrescriberType.SIAE, "Gerzat"),
    ("La Cravate solidaire Clermont-Ferrand", PrescriberType.ASSOCIATION, "Clermont-Ferrand"),
    ("Tous deux roues", PrescriberType.ASSOCIATION, "Clermont-Ferrand"),
    ("Secours populaire — comité de Clermont-Ferrand", PrescriberType.ASSOCIATION, "Clermont-Ferrand"),
]
# The Mission Locale of the shipped territory file (its advisers, desk and direction are demo accounts).
MISSION_LOCALE_NAME = "Mission Locale Clermont Métropole et Volcans"
# The demo accounts of demo/accounts.py: who they are and where they work.
DEMO_CAST = {
    "coordination@demo.parcours.fr": ("Camille", "Roux", PLIE_NAME, Role.COORDINATOR),
    "direction@demo.parcours.fr": ("Laurent", "Fabre", PLIE_NAME, Role.DIRECTOR),
    "referente.infa@demo.parcours.fr": ("Sophie", "Chabrier", "INFA Auvergne", Role.REFERENT),
    "referent.inserfac@demo.parcours.fr": ("Karim", "Benslimane", "INSERFAC", Role.REFERENT),
    "prescriptrice.ccas@demo.parcours.fr": ("Nathalie", "Vidal", "CCAS de Clermont-Ferrand", Role.PRESCRIBER),
    "admin@demo.parcours.fr": ("Isabelle", "Morel", PLIE_NAME, Role.ADMINISTRATOR),
    "relation.entreprises@demo.parcours.fr": ("Élise", "Bonnet", PLIE_NAME, Role.EMPLOYER_RELATIONS),
    "conseillere.ml@demo.parcours.fr": ("Amina", "Diallo", MISSION_LOCALE_NAME, Role.YOUTH_ADVISER),
    "accueil.ml@demo.parcours.fr": ("Thomas", "Mercier", MISSION_LOCALE_NAME, Role.YOUTH_RECEPTION),
    "direction.ml@demo.parcours.fr": ("Hélène", "Garnier", MISSION_LOCALE_NAME, Role.YOUTH_MANAGER),
}
# Young people of the Mission Locale's demo files (docs/youth.md): a caseload for the demo adviser. Seed 003's 4,700
# young people and 32 advisers are a later step.
DEMO_YOUNG_PEOPLE = 80
# Referents beyond the demo accounts, per operator (16 in all; more when the demo is large).
EXTRA_REFERENTS = {
    "INFA Auvergne": 2, "INSERFAC": 2, "ADEF De Facto": 2, "Association Chôm'actif": 2, "Groupe Job Agglo": 2,
    "La Courte Echelle": 2, "Détours": 1, "Régie des Territoires (des 2 Rives)": 1,
}
CASELOAD_TARGET = 80
GRID_ANCHOR = date(2020, 1, 2)
REFUSAL_MOTIVES = [
    "La situation de santé ne permet pas, à ce jour, de s'engager dans un parcours vers l'emploi.",
    "Un accompagnement social est à mener en priorité (logement) ; nouvelle candidature possible ensuite.",
    "La personne a retrouvé un emploi stable entre la candidature et la commission.",
    "La personne ne souhaite plus s'engager dans un accompagnement renforcé.",
]
INELIGIBLE_MOTIVES = {
    "age": "Critères d'éligibilité non remplis : moins de 26 ans à la date de la candidature.",
    "residence": "Critères d'éligibilité non remplis : ne réside pas dans une commune de la métropole.",
}
REORIENTATIONS = [
    "Accompagnement global France Travail – Département", "Cap emploi (RQTH)",
    "Accompagnement social du Département (RSA)", "Parcours IAE (France Travail)", "Mission Locale",
]
MOTIVATIONS = [
    "Souhaite un accompagnement renforcé pour retrouver un emploi après une longue période d'inactivité.",
    "A besoin d'aide pour construire un projet professionnel réaliste et lever ses freins de mobilité.",
    "Demande un soutien régulier dans sa recherche d'emploi ; isolée, elle peine à rester mobilisée.",
    "Bénéficiaire du RSA, souhaite reprendre une activité et se former.",
    "Après plusieurs contrats courts, cherche à stabiliser sa situation professionnelle.",
    "Retour à l'emploi après un congé parental prolongé ; besoin de solutions de garde.",
    "Souhaite se reconvertir à la suite de problèmes de santé, avec l'appui d'un·e référent·e.",
]
STRENGTHS = [
    "Motivation affirmée, ponctualité, expérience dans le nettoyage industriel.",
    "Bonne présentation, aisance relationnelle, expérience de la vente.",
    "Permis B et véhicule, disponibilité immédiate, goût du travail en équipe.",
    "Expérience de l'aide à la personne auprès de sa famille, grande patience.",
    "Savoir-faire manuel, expérience de chantier, CACES en cours de validité.",
    "Volonté de se former, maîtrise des outils numériques de base.",
]
RECOMMENDATIONS = [
    "Entrée en parcours PLIE : atelier de remobilisation puis immersion en entreprise.",
    "Entrée en parcours PLIE : mise en situation de travail en SIAE, travail sur la mobilité.",
    "Entrée en parcours PLIE : formation qualifiante à construire, remise à niveau préalable.",
    "Entrée en parcours PLIE : médiation vers l'emploi et préparation aux entretiens.",
    "Entrée en parcours PLIE avec un accompagnement social en parallèle (logement).",
]
APPOINTMENT_SUMMARIES = [
    "Point sur les démarches du mois ; CV mis à jour.",
    "Préparation d'un entretien d'embauche.",
    "Bilan de l'étape en cours avec l'organisme.",
    "Recherche d'offres en ligne, candidature envoyée.",
    "Point sur la mobilité : demande d'aide au permis.",
    "Atelier collectif « techniques de recherche d'emploi ».",
    "Suivi dans l'emploi : échange avec la personne sur la prise de poste.",
    "Point sur les freins : démarches de garde d'enfant engagées.",
]
NOTES = [
    "Contact avec l'organisme de formation : assiduité satisfaisante.",
    "Rendez-vous manqué, nouvelle date proposée par courrier.",
    "Candidature transmise à l'employeur dans le cadre d'une clause sociale.",
    "Échange avec la référente sociale du Département sur la situation de logement.",
    "Dossier d'aide à la mobilité déposé.",
    "Information collective sur les métiers de l'aide à domicile : présente.",
]
INTERVIEW_SUMMARIES = [
    "Présentation du PLIE et de ses engagements ; recueil du parcours scolaire et professionnel.",
    "Approfondissement du projet ; repérage des freins ; préparation du bilan.",
    "Entretien avec la personne et sa référente sociale : point sur la situation.",
]
BARRIER_WEIGHTS = [(Barrier.MOBILITY, 30), (Barrier.LONG_ABSENCE, 28), (Barrier.SELF_IMAGE, 22),
                   (Barrier.DIGITAL_SKILLS, 20), (Barrier.FAMILY, 16), (Barrier.HEALTH, 14),
                   (Barrier.BASIC_SKILLS, 12), (Barrier.HOUSING, 12), (Barrier.LANGUAGE, 8), (Barrier.DEBT, 8),
                   (Barrier.WORK_PERCEPTION, 8)]


# --- small helpers -----------------------------------------------------------------------------
def _weighted(mix):
    values = [v for v, _w in mix]
    cumulative, total = [], 0.0
    for _v, w in mix:
        total += w
        cumulative.append(total)
    return values, cumulative


def quota(n: int, mix) -> list:
    """n values in the mix's proportions (largest remainder); every value at least once when n allows."""
    total = sum(w for _v, w in mix)
    exact = [(v, n * w / total) for v, w in mix]
    counts = {v: int(x) for v, x in exact}
    rest = n - sum(counts.values())
    for v, _share in sorted(exact, key=lambda e: e[1] - int(e[1]), reverse=True)[:rest]:
        counts[v] += 1
    if n >= len(mix):
        for v, _x in exact:
            while counts[v] == 0:
                donor = max(counts, key=counts.get)
                counts[donor] -= 1
                counts[v] += 1
    return [v for v, _w in mix for _i in range(counts[v])]


def add_months(d: date, months: int) -> date:
    month0 = d.month - 1 + months
    year, month = d.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum() or c in "-.")


@contextlib.contextmanager
def historical_timestamps(*model_classes) -> Iterator[None]:
    """Let bulk_create keep the dates we set on auto_now/auto_now_add fields.

    The demo's rows happened in the past (a transition log dated today would contradict the
    pathway's dates); Django would otherwise stamp them with the current time.
    """
    switched = []
    for model in model_classes:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                switched.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, now_add in switched:
            f.auto_now, f.auto_now_add = now, now_add


class _RowsInMemory(list):
    """Answers `.select_related(…).filter(field=value).first()` from a list already loaded."""

    def select_related(self, *names):
        return self

    def filter(self, **lookup):
        return _RowsInMemory(o for o in self if all(getattr(o, k) == v for k, v in lookup.items()))

    def first(self):
        return self[0] if self else None


class _TerritoryInMemory:
    """The territory as `eligibility_decide` reads it, with its communes and QPV held in memory.

    The demo stores the decision of territory.eligibility itself on each application, without
    the two lookups per call that it would otherwise make.
    """

    def __init__(self, territory: Territory, communes: list, qpvs: list):
        self._territory = territory
        self.communes, self.qpvs = _RowsInMemory(communes), _RowsInMemory(qpvs)

    def __getattr__(self, name):
        return getattr(self._territory, name)


# --- the cast: structures and accounts -----------------------------------------------------------
@dataclass
class Cast:
    territory: Territory
    plie: Organisation
    coordinator: User
    director: User
    team: list[User]
    operators: list[Organisation]
    referents: dict[int, list[User]]  # operator id → referents
    prescribers: dict[str, list[tuple[Organisation, User]]]  # prescriber type → (structure, user)


def _staff(email: str, first: str, last: str, password_hash: str) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first, "last_name": last, "password": password_hash})
    if not created and not user.has_usable_password():
        user.password = password_hash
        user.save(update_fields=["password"])
    return user


def _member(user: User, organisation: Organisation, role: str) -> None:
    membership, created = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    if not created and not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])


@lru_cache(maxsize=1)
def _demo_password_hash() -> str:
    """One hash of the public demo password per process: hashing costs about half a second, once per territory."""
    return make_password(DEMO_PASSWORD)


def demo_territory_split(people: int) -> list[int]:
    """How many people each territory gets: the demo territory alone up to PEOPLE_PER_TERRITORY, else as many
    territories as needed, evenly (the demo territory first)."""
    count = max(1, -(-people // PEOPLE_PER_TERRITORY))
    base, extra = divmod(people, count)
    return [base + (1 if index < extra else 0) for index in range(count)]


def twin_names(number: int) -> tuple[str, str, str]:
    """The territory, its PLIE and the e-mail domain of its staff, for the demo territory (1) or a twin (2, 3…)."""
    if number == 1:
        return TERRITORY_NAME, PLIE_NAME, DEMO_DOMAIN
    return f"PLIE fictif n° {number:03d}", f"PLIE fictif n° {number:03d}", f"plie{number:03d}.{DEMO_DOMAIN}"


def _twin_territory(source: Territory, number: int) -> Territory:
    """A fictional twin of the demo territory: its rules, communes, QPV, structures and places; created once."""
    name, plie_name, _domain = twin_names(number)
    twin = Territory.objects.filter(name=name).first()
    if twin is not None:
        return twin
    with transaction.atomic():
        twin = Territory.objects.get(pk=source.pk)
        twin.pk, twin.name, twin.siren = None, name, ""
        twin.save(force_insert=True)
        communes = {c.pk: Commune(territory=twin, insee=c.insee, name=c.name, postal_codes=c.postal_codes)
                    for c in source.communes.order_by("pk")}
        Commune.objects.bulk_create(communes.values())
        Qpv.objects.bulk_create([Qpv(territory=twin, code=q.code, name=q.name, commune=communes[q.commune_id])
                                 for q in source.qpvs.order_by("pk")])
        organisations = {}
        for organisation in Organisation.objects.filter(territory=source).order_by("pk"):
            source_pk = organisation.pk
            organisation.pk, organisation.territory = None, twin   # a fresh row, saved as the twin's copy
            if organisation.kind == OrganisationKind.PLIE:
                organisation.name = plie_name
            organisation.save(force_insert=True)
            organisations[source_pk] = organisation
        # The twin's PLIE: the same rules as the demo's.
        programme = Programme.objects.get(territory=source, kind=PLIE)
        programme.pk, programme.territory, programme.name = None, twin, plie_name
        programme.organisation_id = organisations.get(programme.organisation_id, programme.organisation).pk
        programme.save(force_insert=True)
        Helpdesk.objects.bulk_create([
            Helpdesk(territory=twin, name=h.name, address=h.address, phone=h.phone,
                     organisation=organisations.get(h.organisation_id)) for h in source.helpdesks.order_by("pk")])
    return twin


def demo_cast(*, people: int = 0, number: int = 1) -> Cast:
    """Create (or find) the demo structures and accounts; idempotent. `people` sizes the referent team.

    `number` 1 is the demo territory itself (Clermont, with the accounts of the login page); 2, 3… its twins.
    """
    clermont = Territory.objects.filter(name=TERRITORY_NAME).first()
    plie = Organisation.objects.filter(territory=clermont, kind=OrganisationKind.PLIE).first() if clermont else None
    if plie is None:
        raise DemoError("Le territoire de Clermont Auvergne Métropole n'est pas chargé : lancez d'abord "
                        "« parcours load-territory ».")
    if number > 1 and not Territory.objects.filter(name=twin_names(number)[0]).exists():
        demo_cast(number=1)   # the twin copies the demo territory's structures, the demo prescribers included
    territory = clermont if number == 1 else _twin_territory(clermont, number)
    _name, plie_name, domain = twin_names(number)
    plie = Organisation.objects.get(territory=territory, kind=OrganisationKind.PLIE)
    operators = list(Organisation.objects.filter(territory=territory, kind=OrganisationKind.OPERATOR).order_by("pk"))
    by_name = {o.name: o for o in Organisation.objects.filter(territory=territory)}
    missing = [name for name in EXTRA_REFERENTS if name not in by_name]
    if missing:
        raise DemoError("Structures opératrices absentes du territoire : " + ", ".join(missing))
    if set(DEMO_CAST) != {a["email"] for a in DEMO_ACCOUNTS}:
        raise DemoError("La liste des comptes de démonstration (demo/accounts.py) a changé : "
                        "complétez DEMO_CAST dans demo/generator.py.")
    password_hash = _demo_password_hash()
    with transaction.atomic():
        for name, ptype, town in PRESCRIBERS:
            organisation = by_name.get(name)
            if organisation is None:
                organisation = Organisation(territory=territory, name=name, kind=OrganisationKind.PRESCRIBER,
                                            prescriber_type=ptype, address=town)
                organisation.full_clean()
                organisation.save()
                by_name[name] = organisation
        cast_emails = {}
        for email, (first, last, org_name, role) in DEMO_CAST.items():
            email = email.replace(f"@{DEMO_DOMAIN}", f"@{domain}")
            cast_emails[email] = _staff(email, first, last, password_hash)
            _member(cast_emails[email], by_name[plie_name if org_name == PLIE_NAME else org_name], role)

        # Staff names come from their own generator: the same accounts whatever the --seed.
        names = random.Random(2026 if number == 1 else 2026 * 1000 + number)
        used = set(cast_emails)

        def new_staff(organisation: Organisation, role: str, index: int, numbered: bool = False) -> User:
            first = names.choice(FEMALE_NAMES if names.random() < 0.7 else MALE_NAMES)
            last = names.choice(LAST_NAMES)
            email = f"{_ascii(first)}.{_ascii(last)}@{domain}"
            if numbered or email in used:
                email = f"{_ascii(first)}.{_ascii(last)}{index}@{domain}"
            used.add(email)
            user = _staff(email, first, last, password_hash)
            _member(user, organisation, role)
            return user

        index = 0
        for org_name, count in EXTRA_REFERENTS.items():
            for _i in range(count):
                index += 1
                new_staff(by_name[org_name], Role.REFERENT, index)
        # A large demo gets more referents, so that caseloads stay within 60–100.
        wanted = round(people * SHARE_WITH_REFERENT / CASELOAD_TARGET)
        current = Membership.objects.filter(organisation__in=operators, role=Role.REFERENT).count()
        for i in range(max(0, wanted - current)):
            new_staff(operators[i % len(operators)], Role.REFERENT, 1000 + current + i, numbered=True)
        for name, ptype, _town in PRESCRIBERS:
            staffed = Membership.objects.filter(organisation=by_name[name], role=Role.PRESCRIBER).count()
            per_org = 2 if ptype == PrescriberType.FRANCE_TRAVAIL else 1
            for _i in range(max(0, per_org - staffed)):
                index += 1
                new_staff(by_name[name], Role.PRESCRIBER, index)
        ml = Organisation.objects.filter(territory=territory, prescriber_type=PrescriberType.MISSION_LOCALE)
        for organisation in ml:
            if not Membership.objects.filter(organisation=organisation, role=Role.PRESCRIBER).exists():
                index += 1
                new_staff(organisation, Role.PRESCRIBER, index)
        # The PLIE's own agency also prescribes (people who walk in).
        if not Membership.objects.filter(organisation=plie, role=Role.PRESCRIBER).exists():
            index += 1
            new_staff(plie, Role.PRESCRIBER, index)

    memberships = list(Membership.objects.filter(organisation__territory=territory, is_active=True)
                       .select_related("user", "organisation").order_by("pk"))
    referents: dict[int, list[User]] = {}
    prescribers: dict[str, list[tuple[Organisation, User]]] = {}
    team: list[User] = []
    for m in memberships:
        if m.role == Role.REFERENT and m.organisation.kind == OrganisationKind.OPERATOR:
            referents.setdefault(m.organisation_id, []).append(m.user)
        elif m.role == Role.PRESCRIBER and m.organisation.prescriber_type:
            prescribers.setdefault(m.organisation.prescriber_type, []).append((m.organisation, m.user))
        elif m.role in (Role.COORDINATOR, Role.DIRECTOR) and m.organisation_id == plie.pk:
            team.append(m.user)
    return Cast(
        territory=territory, plie=plie,
        coordinator=User.objects.get(email=f"coordination@{domain}"),
        director=User.objects.get(email=f"direction@{domain}"),
        team=team, operators=[o for o in operators if o.pk in referents], referents=referents,
        prescribers=prescribers,
    )


# Share of people who, at any time, are in a referent's caseload (file active).
SHARE_WITH_REFERENT = (sum(w for s, w in STATE_MIX if s in (S.ASSIGNED, S.ASSESSED, S.ADMITTED, S.ACTIVE, S.FOLLOWUP))
                       / sum(w for _s, w in STATE_MIX))


# --- the journey of one person -------------------------------------------------------------------
@dataclass
class Plan:
    """The key dates of one pathway; `None` means the pathway has not got that far."""

    target: str
    app: date
    assigned: date | None = None
    completed: date | None = None
    postponed_at: date | None = None
    decided_at: date | None = None
    decision: str = ""
    entry: date | None = None
    exit: date | None = None
    exit_reason: str = ""
    validated_on: date | None = None
    job: tuple[date, date | None, str] | None = None  # the lasting job: start, end, contract type
    ended_job: tuple[date, date] | None = None  # a follow-up whose job ended before its term
    ineligible: str = ""  # criterion the application failed, for refusals and reorientations
    closed_on: date | None = None  # an application closed before the commission


@dataclass
class Rows:
    """Objects of one chunk, in the order they are written (parents first)."""

    participants: list = field(default_factory=list)
    pathways: list = field(default_factory=list)
    children: dict = field(default_factory=dict)

    def add(self, obj: models.Model) -> None:
        self.children.setdefault(type(obj), []).append(obj)


CHILD_ORDER = [Application, ReceptionInterview, Assessment, CommissionDecision, EngagementContract, Step,
               EmploymentFollowUp, Appointment, BarrierReview, Note, PathwayTransition]


class Generator:
    def __init__(self, cast: Cast, *, seed: int, today: date):
        self.cast, self.today, self.rng = cast, today, random.Random(seed)
        self.territory = cast.territory
        self.programme = Programme.objects.get(territory_id=cast.territory.pk, kind=PLIE)
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.window_start = today - timedelta(days=3 * 365)
        self.interval = self.programme.parameter("commission_interval_days")
        self.communes = list(self.territory.communes.all())
        self.commune_weights = [c.name == "Clermont-Ferrand" and 50 or 4 for c in self.communes]
        self.qpvs_by_commune: dict[int, list] = {}
        qpvs = list(self.territory.qpvs.select_related("commune"))
        for q in qpvs:
            self.qpvs_by_commune.setdefault(q.commune_id, []).append(q)
        self.rules = _TerritoryInMemory(self.territory, self.communes, qpvs)
        self.helpdesk_of = {o.pk: f"{o.name}, {o.address}".strip(", ")[:200] for o in cast.operators}
        self.operator_weights = [len(cast.referents[o.pk]) for o in cast.operators]
        # Open files per referent: an open file goes to the least loaded one (see _pathway).
        self.open_files: dict[int, int] = {r.pk: 0 for o in cast.operators for r in cast.referents[o.pk]}
        self.referent_at = {r.pk: (r, o) for o in cast.operators for r in cast.referents[o.pk]}
        self.eligibility_cache: dict[tuple, dict] = {}
        self.counts: Counter = Counter()
        self._mixes = {name: _weighted(mix) for name, mix in (
            ("education", EDUCATION_MIX), ("prescriber", PRESCRIBER_MIX), ("mode", MODE_MIX),
            ("step", STEP_MIX), ("barrier", BARRIER_WEIGHTS))}
        self._commissions()

    # Commissions every `interval` days over the window; a weekend date moves to the Monday. The grid
    # is anchored on a fixed day so that a run on another day finds the same commissions.
    def _commissions(self) -> None:
        existing = {c.date: c for c in Commission.objects.filter(territory=self.territory)}
        first = self.window_start - timedelta(days=60)
        d = GRID_ANCHOR + timedelta(days=((first - GRID_ANCHOR).days // self.interval) * self.interval)
        dates = []
        while True:
            held = d + timedelta(days=(7 - d.weekday()) % 7 if d.weekday() >= 5 else 0)
            dates.append(held)
            if held > self.today:
                break
            d += timedelta(days=self.interval)
        new = []
        for on in dates:
            if on not in existing:
                past = on <= self.today
                existing[on] = Commission(
                    territory=self.territory, date=on,
                    status=CommissionStatus.HELD if past else CommissionStatus.PLANNED,
                    closed_by=self.cast.director if past else None,
                    # Fixed hours: drawing them would make people depend on the commissions already there.
                    created_at=datetime.combine(on - timedelta(days=self.interval), dtime(10), tzinfo=self.tz),
                    updated_at=datetime.combine(min(on, self.today), dtime(17), tzinfo=self.tz))
                new.append(existing[on])
        with historical_timestamps(Commission):
            Commission.objects.bulk_create(new, batch_size=BATCH)
        self.commission = existing
        self.held = sorted(on for on in existing if on <= self.today)

    def commission_after(self, d: date) -> date | None:
        """The first held commission on or after d."""
        i = bisect_left(self.held, d)
        return self.held[i] if i < len(self.held) else None

    def commission_before(self, d: date) -> date:
        """The last held commission on or before d."""
        return self.held[max(0, bisect_right(self.held, d) - 1)]

    def pick(self, name: str):
        values, cumulative = self._mixes[name]
        return values[bisect_left(cumulative, self.rng.random() * cumulative[-1])]

    def _at(self, d: date, hour: int | None = None) -> datetime:
        hour = hour if hour is not None else self.rng.randint(9, 16)
        return datetime.combine(d, dtime(hour, self.rng.choice((0, 15, 30, 45))), tzinfo=self.tz)

    def days(self, low: int, high: int) -> timedelta:
        return timedelta(days=self.rng.randint(low, high))

    # --- planning -------------------------------------------------------------------------------
    def plan_intake_before(self, plan: Plan, decided_at: date) -> None:
        """Fill the dates before a commission decision (some files are postponed once)."""
        first = decided_at
        if self.rng.random() < 0.06 and self.held[0] < decided_at:
            first = self.commission_before(decided_at - timedelta(days=1))
            plan.postponed_at = first
        plan.decided_at = decided_at
        plan.completed = first - self.days(1, 12)
        plan.assigned = plan.completed - self.days(14, self.programme.parameter("assessment_deadline_days"))
        plan.app = plan.assigned - self.days(2, 12)

    def plan_main(self, target: str, exit_reason: str = "") -> Plan:
        rng, today = self.rng, self.today
        plan = Plan(target=target, app=today)
        if target == S.SUBMITTED:
            plan.app = today - self.days(0, 7)
        elif target == S.CLOSED_BEFORE_COMMISSION:
            plan.app = today - self.days(10, 900)
            plan.closed_on = min(today, plan.app + self.days(3, 45))
        elif target == S.ASSIGNED:
            plan.assigned = today - self.days(0, 30)
            plan.app = plan.assigned - self.days(2, 10)
        elif target == S.ASSESSED:
            # Waiting for the next commission: the assessment was completed after the last one.
            last = self.held[-1]
            plan.completed = last + self.days(0, max(0, (today - last).days))
            if rng.random() < 0.2 and len(self.held) > 1:
                plan.postponed_at = last
                plan.completed = last - self.days(1, 12)
            plan.assigned = plan.completed - self.days(14, self.programme.parameter("assessment_deadline_days"))
            plan.app = plan.assigned - self.days(2, 12)
        elif target == S.ADMITTED:
            self.plan_intake_before(plan, self.held[-1 - rng.randint(0, min(1, len(self.held) - 1))])
        elif target in (S.REFUSED, S.REORIENTED):
            decided = self.commission_after(self.window_start + self.days(60, 1050))
            self.plan_intake_before(plan, decided or self.held[-1])
            plan.decision = Decision.REFUSED if target == S.REFUSED else Decision.REORIENTED
            if rng.random() < (0.4 if target == S.REFUSED else 0.35):
                plan.ineligible = "age" if target == S.REORIENTED else rng.choice(("age", "residence"))
        else:
            self._plan_in_pathway(plan, exit_reason)
        if plan.decided_at and not plan.decision:
            plan.decision = Decision.ADMITTED
        return plan

    def _plan_in_pathway(self, plan: Plan, exit_reason: str) -> None:
        rng, today = self.rng, self.today
        if plan.target == S.ACTIVE:
            while True:  # time since entry of people still in the journey (mean pathway: 25 months)
                entry_ago = int(rng.expovariate(1 / 760))
                if 3 <= entry_ago <= 990:
                    break
            plan.entry = today - timedelta(days=entry_ago)
        elif plan.target == S.FOLLOWUP:
            start = today - self.days(0, 200)
            plan.entry = max(today - timedelta(days=990), start - self.days(30, 600))
            plan.job = (start, None, rng.choice((ContractType.CDI, ContractType.CDD, ContractType.CDD, ContractType.CTT)))
        else:
            plan.exit_reason = exit_reason
            positive_job = exit_reason == E.SUSTAINABLE_EMPLOYMENT
            exit_ago = rng.randint(20, 700) if positive_job else rng.randint(0, 800)
            duration = max(45, int(rng.gammavariate(2.0, 380)))
            if positive_job:
                duration = max(duration, 215)
            entry_ago = min(exit_ago + duration, 990 - rng.randint(0, 60))
            plan.entry = today - timedelta(days=entry_ago)
            plan.exit = today - timedelta(days=exit_ago)
            if positive_job:
                # The exit is the follow-up's term (workflow: validate_sustainable_employment).
                start = add_months(plan.exit, -self.programme.parameter("followup_months"))
                plan.exit = add_months(start, self.programme.parameter("followup_months"))
                roll = rng.random()
                contract = ContractType.CDI if roll < 0.53 else ContractType.CDD if roll < 0.93 else ContractType.CTT
                end = None if contract == ContractType.CDI else start + self.days(183, 400)
                plan.job = (start, end if end and end <= today else None, contract)
                plan.validated_on = min(today, plan.exit + self.days(0, 20))
        commission = self.commission_before(plan.entry - self.days(2, 21))
        self.plan_intake_before(plan, commission)
        # A follow-up that ended early (the job stopped), then the pathway went on.
        end = plan.exit or today
        first_job = plan.job[0] if plan.job else end
        room = (first_job - plan.entry).days
        if room > 240 and rng.random() < 0.15:
            start = plan.entry + self.days(60, room - 150)
            plan.ended_job = (start, start + self.days(20, 120))

    def plan_previous(self, main: Plan) -> Plan | None:
        """An earlier pathway, exited before the main application, when the window leaves room."""
        latest_exit = main.app - self.days(30, 120)
        room = (latest_exit - self.window_start).days - 150
        if room < 60:
            return None
        plan = Plan(target=S.EXITED, app=main.app)
        plan.exit = latest_exit
        plan.entry = latest_exit - timedelta(days=self.rng.randint(60, min(500, room)))
        plan.exit_reason = self.rng.choice((E.ABANDONMENT, E.ABANDONMENT, E.MOVED, E.OTHER_WITHOUT_OUTCOME,
                                            E.REORIENTATION, E.QUALIFYING_TRAINING))
        self.plan_intake_before(plan, self.commission_before(plan.entry - self.days(2, 21)))
        plan.decision = Decision.ADMITTED
        return plan

    # --- the person -----------------------------------------------------------------------------
    def person(self, rows: Rows, target: str, exit_reason: str, previous: bool) -> None:
        rng = self.rng
        plan = self.plan_main(target, exit_reason)
        plans = [plan]
        if previous:
            earlier = self.plan_previous(plan)
            if earlier is not None:
                plans.insert(0, earlier)
                self.counts["re-entries"] += 1
        sex = Sex.FEMALE if rng.random() < 0.54 else Sex.MALE
        first_app = plans[0].app
        if plan.exit_reason == E.RETIRED:
            age = rng.randint(62, 65) - max(0, (plan.exit - first_app).days // 365)
            age = max(age, 58)
        elif plan.ineligible == "age":
            age = rng.randint(19, 25)
        else:
            age = rng.randint(45, 61) if rng.random() < 0.32 else rng.randint(26, 44)
        birth = first_app - timedelta(days=age * 365 + rng.randint(30, 330))
        commune = rng.choices(self.communes, self.commune_weights)[0]
        qpvs = self.qpvs_by_commune.get(commune.pk)
        qpv = rng.choice(qpvs) if qpvs and rng.random() < 0.35 else None
        street = f"{rng.randint(1, 120)} {rng.choice(STREETS)}"
        postal_code = rng.choice(commune.postal_codes) if commune.postal_codes else ""
        if plan.ineligible == "residence":
            commune, qpv, postal_code = None, None, "63200"
        first = rng.choice(FEMALE_NAMES if sex == Sex.FEMALE else MALE_NAMES)
        last = rng.choice(LAST_NAMES)
        flags = {
            "rsa": rng.random() < 0.44, "ass": rng.random() < 0.07, "aah": rng.random() < 0.05,
            "deld": rng.random() < 0.32, "inactive_12m": rng.random() < 0.45,
            "single_parent": rng.random() < (0.22 if sex == Sex.FEMALE else 0.04), "rqth": rng.random() < 0.09,
        }
        # Application.situations may not be empty (blank=False): everyone declares one situation at least.
        if not any(flags[s] for s in SITUATION_CRITERIA):
            flags["inactive_12m"] = True
        participant = Participant(
            territory=self.territory, last_name=last, first_name=first, sex=sex, birth_date=birth,
            email=f"{_ascii(first)}.{_ascii(last)}{rng.randint(1, 99)}@example.org" if rng.random() < 0.6 else "",
            phone=f"+3363998{rng.randint(0, 99):02d}{rng.randint(0, 99):02d}",  # E.164, as stored; ARCEP's range kept for fiction (06 39 98)
            address=street, postal_code=postal_code, commune=commune, qpv=qpv,
            education_level=self.pick("education"),
            created_at=self._at(first_app), updated_at=self._at(plan.entry or plan.app),
        )
        participant.demo_situations = flags  # written as rows once the person has an id (write())
        rows.participants.append(participant)
        for p in plans:
            self.pathway(rows, participant, p, age_on(birth, p.app))

    def _eligibility(self, participant: Participant, app: date, situations: list[str]) -> dict:
        """The decision of territory.eligibility, computed once per distinct profile."""
        age = age_on(participant.birth_date, app)
        key = (age, participant.commune.insee if participant.commune else None,
               participant.qpv.code if participant.qpv else None, tuple(situations))
        if key not in self.eligibility_cache:
            self.eligibility_cache[key] = eligibility_decide(
                self.rules, reference_date=app, birth_date=participant.birth_date, commune_insee=key[1],
                qpv_code=key[2], situations=situations, programme=self.programme).as_dict()
        return self.eligibility_cache[key]

    def pathway(self, rows: Rows, participant: Participant, plan: Plan, age: int) -> None:
        pathway = self._pathway(rows, participant, plan, age)
        if pathway.status != plan.target:  # the plan and the table disagree: the demo would lie about its files
            raise AssertionError(f"demo plan for {plan.target!r} walked the workflow to {pathway.status!r}")

    def _pathway(self, rows: Rows, participant: Participant, plan: Plan, age: int) -> Pathway:
        rng, today = self.rng, self.today
        operator = rng.choices(self.cast.operators, self.operator_weights)[0]
        referent = rng.choice(self.cast.referents[operator.pk])
        if plan.assigned is not None and plan.target not in CLOSED_STATES:
            # A file still open goes to the referent with the fewest, so that every caseload of the demo stays
            # within the programme's range whatever the day it is generated (the draws above are kept, so the rest
            # of the demo does not move).
            least = min(self.open_files, key=lambda pk: (self.open_files[pk], pk))
            self.open_files[least] += 1
            referent, operator = self.referent_at[least]
        ptype = self.pick("prescriber")
        if ptype == PrescriberType.MISSION_LOCALE and age > 27:
            ptype = PrescriberType.FRANCE_TRAVAIL
        prescriber_org, prescriber = rng.choice(self.cast.prescribers.get(ptype) or self.cast.prescribers[PrescriberType.FRANCE_TRAVAIL])
        team = rng.choice(self.cast.team)
        director = self.cast.director
        status = plan.target
        assigned = plan.assigned is not None
        pathway = Pathway(
            participant=participant, territory=self.territory, programme=self.programme,
            programme_kind=self.programme.kind, status=CREATED, operator=operator if assigned else None,
            referent=referent if assigned else None, assigned_at=plan.assigned,
            prescriber_type=prescriber_org.prescriber_type, application_date=plan.app,
            commission_date=plan.decided_at or plan.postponed_at, decision=plan.decision,
            entry_date=plan.entry, exit_date=plan.exit, exit_reason=plan.exit_reason,
            created_at=self._at(plan.app), updated_at=self._at(plan.validated_on or plan.exit or plan.entry
                                                                 or plan.decided_at or plan.completed
                                                                 or plan.assigned or plan.app),
        )
        rows.pathways.append(pathway)
        self.counts[f"status:{status}"] += 1
        if plan.exit_reason:
            self.counts[f"exit:{plan.exit_reason}"] += 1
        logged = [0]

        def transition(name: str, when: date, by: User, **data) -> None:
            # Through the engine's replay: the table decides whether `name` may happen from the pathway's state
            # (and moves it), and the row keeps the transition's typed payload, as a live transition would.
            # Hours rise along the pathway, so that the log reads in order even within a day. The application's
            # arrival is at 8:00 sharp: drawing its minutes would shift every later draw of the seeded demo.
            if name == "submit":
                at = datetime.combine(when, dtime(8, 0), tzinfo=self.tz)
            else:
                logged[0] += 1
                at = self._at(when, min(8 + logged[0], 18))
            rows.add(transition_replay(PATHWAY_WORKFLOW, pathway, name, by=by, at=at, data=data))

        # Application (dossier de candidature), signed by both before it reached the PLIE.
        situations = [s for s in SITUATION_CRITERIA if participant.demo_situations[s]]
        signed = plan.app - self.days(0, 10)
        barriers = self._barriers()
        eligibility = self._eligibility(participant, plan.app, situations)
        rows.add(Application(
            pathway=pathway, prescriber_organisation=prescriber_org, prescribed_by=prescriber, situations=situations,
            barriers_seen=barriers[:1] + [b for b in barriers[1:] if rng.random() < 0.6], motivation=rng.choice(MOTIVATIONS),
            participant_signed_on=signed, prescriber_signed_on=signed + timedelta(days=min(rng.randint(0, 3),
                                                                                             (plan.app - signed).days)),
            eligibility=eligibility, created_at=self._at(plan.app), updated_at=self._at(plan.app)))
        transition("submit", plan.app, prescriber, prescriber_organisation=prescriber_org.pk,
                   eligible=eligibility["eligible"])
        last_contact = None
        if not assigned:
            pathway.last_contact_date = None
            if plan.closed_on is not None:   # closed before the commission: withdrawal, no-show, unreachable…
                transition("close_early", plan.closed_on, team, reason=rng.choice(EarlyClosure.values),
                           on=plan.closed_on)
            return pathway
        transition("assign", plan.assigned, team, referent=referent.pk, operator=operator.pk, on=plan.assigned)

        # First reception: about two interviews, then the assessment (with its barrier review).
        interview_end = plan.completed or today
        span = max(0, (interview_end - plan.assigned).days)
        count = rng.choice((1, 2, 2, 2, 3)) if plan.completed else rng.choice((0, 1, 1, 2))
        interview_days = sorted({plan.assigned + timedelta(days=rng.randint(0, span)) for _i in range(count)})
        if plan.completed and interview_days:
            interview_days[-1] = plan.completed
        for on in interview_days:
            mode = ContactMode.IN_PERSON if rng.random() < 0.85 else ContactMode.PHONE
            rows.add(ReceptionInterview(
                pathway=pathway, date=on, mode=mode, duration_minutes=rng.choice((45, 60, 60, 75, 90)),
                place=self.helpdesk_of[operator.pk], referent=referent, summary=rng.choice(INTERVIEW_SUMMARIES),
                created_at=self._at(on), updated_at=self._at(on)))
            last_contact = on
        if not interview_days:
            pathway.last_contact_date = None
            return pathway
        reviewed_on = plan.completed or interview_days[-1]
        profession = rng.choice(PROFESSIONS)[1 if participant.sex == Sex.FEMALE else 0]
        rows.add(Assessment(
            pathway=pathway, strengths=rng.choice(STRENGTHS),
            professional_project=f"Métier visé : {profession}.", recommendations=rng.choice(RECOMMENDATIONS),
            completed_on=plan.completed, author=referent,
            created_at=self._at(interview_days[0]), updated_at=self._at(reviewed_on)))
        levels = {}
        for barrier in barriers:
            levels[barrier] = BarrierLevel.MAJOR if rng.random() < 0.4 else BarrierLevel.MODERATE
            rows.add(BarrierReview(pathway=pathway, barrier=barrier, level=levels[barrier], reviewed_on=reviewed_on,
                                   reviewed_by=referent, comment=""))
        if not plan.completed:
            pathway.last_contact_date = last_contact
            return pathway
        transition("complete_assessment", plan.completed, referent, on=plan.completed)

        # Commission d'agrément: a possible postponement, then the decision.
        if plan.postponed_at:
            rows.add(CommissionDecision(
                commission=self.commission[plan.postponed_at], pathway=pathway, outcome=CommissionOutcome.POSTPONED,
                motive="Bilan à compléter : projet professionnel à préciser.", decided_by=director,
                created_at=self._at(plan.postponed_at), updated_at=self._at(plan.postponed_at)))
            transition("postpone", plan.postponed_at, director, commission_date=plan.postponed_at,
                       motive="Bilan à compléter : projet professionnel à préciser.")
        if not plan.decided_at:
            pathway.last_contact_date = last_contact
            return pathway
        outcome, motive, reoriented_to = plan.decision, "", ""
        if plan.decision == Decision.REFUSED:
            motive = INELIGIBLE_MOTIVES.get(plan.ineligible) or rng.choice(REFUSAL_MOTIVES)
        elif plan.decision == Decision.REORIENTED:
            reoriented_to = (self._mission_locale_name() if plan.ineligible == "age"
                             else rng.choice(REORIENTATIONS[:-1]))
            motive = INELIGIBLE_MOTIVES.get(plan.ineligible, "")
        rows.add(CommissionDecision(
            commission=self.commission[plan.decided_at], pathway=pathway, outcome=outcome, motive=motive,
            reoriented_to=reoriented_to, decided_by=director,
            created_at=self._at(plan.decided_at), updated_at=self._at(plan.decided_at)))
        name = {Decision.ADMITTED: "admit", Decision.REFUSED: "refuse", Decision.REORIENTED: "reorient"}[outcome]
        transition(name, plan.decided_at, director, commission_date=plan.decided_at, motive=motive,
                   reoriented_to=reoriented_to)
        if outcome != Decision.ADMITTED:
            pathway.last_contact_date = last_contact
            return pathway

        # Engagement contract: its last signature is the entry.
        contract = EngagementContract(
            pathway=pathway,
            objectives=f"Accéder à un emploi durable comme {profession} ; lever les freins repérés au bilan.",
            participant_commitments="Se rendre aux rendez-vous, participer aux étapes proposées, prévenir en cas d'absence.",
            referent_commitments="Recevoir la personne au moins une fois par mois, proposer des étapes adaptées.",
            plie_commitments="Mobiliser l'offre d'insertion du territoire et les financements du PLIE.",
            created_at=self._at(plan.decided_at), updated_at=self._at(plan.entry or plan.decided_at))
        rows.add(contract)
        if plan.entry is None:  # admitted, signatures under way
            contract.participant_signed_on = plan.decided_at + self.days(0, 3) if rng.random() < 0.6 else None
            if contract.participant_signed_on and contract.participant_signed_on > today:
                contract.participant_signed_on = today
            pathway.last_contact_date = last_contact
            return pathway
        contract.participant_signed_on = plan.entry - self.days(0, min(3, (plan.entry - plan.decided_at).days))
        contract.referent_signed_on = contract.participant_signed_on
        contract.director_signed_on, contract.director = plan.entry, director
        transition("sign_contract", plan.entry, referent)

        end = plan.exit or today
        self._steps(rows, pathway, plan, end)
        if plan.ended_job:
            start, stop = plan.ended_job
            if stop <= end:
                step = self._step(rows, pathway, StepType.UNSUBSIDISED_EMPLOYMENT, start, stop,
                                  rng.choice((ContractType.CDD, ContractType.CTT)))
                ended_due = add_months(start, self.programme.parameter("followup_months"))
                rows.add(EmploymentFollowUp(
                    pathway=pathway, step=step, started_on=start, due_on=ended_due, status=FollowUpStatus.JOB_ENDED,
                    closed_on=stop, closed_by=referent, created_at=self._at(start), updated_at=self._at(stop)))
                transition("start_followup", start, referent, step=step_ref(step), due_on=ended_due)
                transition("job_ended", stop, referent, ended_on=stop)
        if plan.job:
            start, stop, contract_type = plan.job
            step = self._step(rows, pathway, StepType.UNSUBSIDISED_EMPLOYMENT, start, stop, contract_type)
            due = add_months(start, self.programme.parameter("followup_months"))
            validated = plan.exit_reason == E.SUSTAINABLE_EMPLOYMENT
            rows.add(EmploymentFollowUp(
                pathway=pathway, step=step, started_on=start, due_on=due,
                status=FollowUpStatus.VALIDATED if validated else FollowUpStatus.OPEN,
                closed_on=plan.validated_on if validated else None, closed_by=referent if validated else None,
                created_at=self._at(start), updated_at=self._at(plan.validated_on or start)))
            transition("start_followup", start, referent, step=step_ref(step), due_on=due)
            if validated:
                transition("validate_sustainable_employment", plan.validated_on, referent)
        if plan.exit_reason and plan.exit_reason != E.SUSTAINABLE_EMPLOYMENT:
            if plan.exit_reason == E.QUALIFYING_TRAINING:
                self._step(rows, pathway, StepType.TRAINING_QUALIFYING, plan.exit, None)
            elif plan.exit_reason == E.OTHER_POSITIVE:
                self._step(rows, pathway, StepType.BUSINESS_CREATION, plan.exit - self.days(0, 30), None)
            transition("exit", plan.exit, referent, reason=plan.exit_reason, exit_date=plan.exit)
        last_contact = self._appointments(rows, pathway, plan, referent, operator, end) or last_contact
        self._later_reviews(rows, pathway, plan, referent, levels, reviewed_on, end)
        for _i in range(rng.choice((0, 1, 1, 2, 3))):
            on = plan.entry + timedelta(days=rng.randint(0, (end - plan.entry).days))
            rows.add(Note(pathway=pathway, author=rng.choice((referent, referent, team)), body=rng.choice(NOTES),
                          created_at=self._at(on), updated_at=self._at(on)))
        pathway.last_contact_date = last_contact
        return pathway

    def _mission_locale_name(self) -> str:
        return self.cast.prescribers[PrescriberType.MISSION_LOCALE][0][0].name

    def _barriers(self) -> list[str]:
        chosen = []
        for _i in range(self.rng.randint(2, 5)):
            barrier = self.pick("barrier")
            if barrier not in chosen:
                chosen.append(barrier)
        return chosen

    def _step(self, rows: Rows, pathway: Pathway, step_type: str, start: date, end: date | None,
              contract_type: str = "") -> Step:
        rng = self.rng
        employment = step_type in EMPLOYMENT_STEPS
        if employment and not contract_type:
            contract_type = (ContractType.CUI if step_type == StepType.SUBSIDISED_CONTRACT
                             else ContractType.PROFESSIONALISATION if step_type == StepType.GEIQ
                             else rng.choice((ContractType.CDD, ContractType.CTT)) if step_type in (
                                 StepType.UNSUBSIDISED_EMPLOYMENT, StepType.IAE_ETTI, StepType.IAE_AI)
                             else ContractType.CDD)
        hours = None
        if step_type in TRAINING_STEPS or step_type in EMPLOYMENT_STEPS:
            weeks = max(1, ((end or start + timedelta(days=180)) - start).days // 7)
            hours = Decimal(min(weeks * rng.choice((20, 26, 35)), 99999))
        step = Step(
            pathway=pathway, step_type=step_type, start_date=start, end_date=end,
            operator_name=rng.choice(STEP_PROVIDERS[step_type]),
            employer_siret=_siret("".join(str(rng.randint(0, 9)) for _i in range(14))) if employment else "",
            contract_type=contract_type if employment else (ContractType.NONE if step_type == StepType.IMMERSION else ""),
            social_clause=(rng.random() < 0.12) if employment else None, hours=hours,
            created_at=self._at(start), updated_at=self._at(end or start))
        rows.add(step)
        return step

    def _steps(self, rows: Rows, pathway: Pathway, plan: Plan, end: date) -> None:
        """Steps at 1.34 a year with the national mix, inside [entry, end]."""
        rng = self.rng
        span = (end - plan.entry).days
        count = int(1.34 * span / 365 + rng.random() * 1.2)
        if span >= 14:
            count = max(1, count)
        for _i in range(count):
            step_type = self.pick("step")
            start = plan.entry + timedelta(days=rng.randint(0, span))
            low, high = STEP_DAYS[step_type]
            stop = start + self.days(low, high)
            self._step(rows, pathway, step_type, start, stop if stop <= self.today else None)

    def _appointments(self, rows, pathway, plan, referent, operator, end) -> date | None:
        """About one appointment a month; an abandonment stops coming months before its exit."""
        stop = end
        if plan.exit_reason == E.ABANDONMENT:
            stop = max(plan.entry, end - self.days(60, 120))
        on, last = plan.entry + self.days(0, 10), None
        while on <= stop:
            self._appointment(rows, pathway, on, referent, operator)
            last = on
            on += self.days(21, 45)
        if plan.exit and plan.exit_reason not in (E.ABANDONMENT, E.DECEASED, E.MOVED) and last != plan.exit:
            self._appointment(rows, pathway, plan.exit, referent, operator)  # exit interview
            last = plan.exit
        return last

    def _appointment(self, rows, pathway, on, referent, operator) -> None:
        rng = self.rng
        collective = rng.random() < 0.12
        mode = ContactMode.IN_PERSON if collective else self.pick("mode")
        minutes = rng.choice((60, 90, 120)) if collective else rng.choice((30, 30, 45, 45, 45, 60, 60, 90))
        rows.add(Appointment(
            pathway=pathway, date=on, kind=AppointmentKind.COLLECTIVE if collective else AppointmentKind.INDIVIDUAL,
            mode=mode, duration_minutes=minutes,
            place=self.helpdesk_of[operator.pk] if mode in (ContactMode.IN_PERSON, ContactMode.OUTREACH) else "",
            referent=referent, summary=rng.choice(APPOINTMENT_SUMMARIES),
            created_at=self._at(on), updated_at=self._at(on)))

    def _later_reviews(self, rows, pathway, plan, referent, levels, first_on, end) -> None:
        """Barrier reviews during the pathway: levels go down as the barriers are worked on."""
        on = first_on + self.days(150, 240)
        while on <= end and levels:
            for barrier, level in list(levels.items()):
                if level == BarrierLevel.RESOLVED:
                    continue
                if self.rng.random() < 0.5:
                    level = BarrierLevel.MODERATE if level == BarrierLevel.MAJOR else BarrierLevel.RESOLVED
                    levels[barrier] = level
                rows.add(BarrierReview(pathway=pathway, barrier=barrier, level=level, reviewed_on=on,
                                       reviewed_by=referent, comment=""))
            on += self.days(150, 240)

    # --- writing --------------------------------------------------------------------------------
    def write(self, rows: Rows) -> None:
        with transaction.atomic(), historical_timestamps(Participant, Pathway, *CHILD_ORDER):
            Participant.objects.bulk_create(rows.participants, batch_size=BATCH)
            ParticipantSituation.objects.bulk_create(
                [ParticipantSituation(participant=p, code=code, value=value, recorded_on=p.updated_at.date())
                 for p in rows.participants for code, value in p.demo_situations.items()], batch_size=BATCH)
            Pathway.objects.bulk_create(rows.pathways, batch_size=BATCH)
            for model in CHILD_ORDER:
                objects = rows.children.get(model, [])
                model.objects.bulk_create(objects, batch_size=BATCH)
                self.counts[model._meta.model_name] += len(objects)
        self.counts["participants"] += len(rows.participants)
        self.counts["pathways"] += len(rows.pathways)


def step_ref(step: Step) -> str:
    """How the log names the job of a follow-up (its pk does not exist before the bulk insert)."""
    return f"{step.get_step_type_display()} — {step.operator_name} ({step.start_date.isoformat()})"


def demo_casts(people: int) -> list[tuple[Cast, int]]:
    """The cast of each territory a data set of `people` people uses, with its share of the people."""
    return [(demo_cast(people=share, number=number), share)
            for number, share in enumerate(demo_territory_split(people), start=1)]


def demo_generate(*, people: int = 400, seed: int = 1, today: date | None = None,
                  progress: Callable[[str], None] | None = None) -> Counter:
    """Generate `people` fictional people on the Clermont territory (and its twins beyond PEOPLE_PER_TERRITORY);
    returns counts per kind."""
    if people < 0:
        raise DemoError("Le nombre de personnes doit être positif.")
    progress = progress or (lambda message: None)
    started = time.monotonic()
    today = today or timezone.localdate()
    casts = demo_casts(people)
    counts: Counter = Counter()
    for number, (cast, share) in enumerate(casts, start=1):
        if len(casts) > 1:
            progress(f"{cast.territory.name} : {share} personnes")
        # The demo territory keeps the seed's draw: its data do not depend on how many twins follow.
        counts += _generate_territory(cast, share, seed=seed if number == 1 else seed * 1000 + number,
                                      today=today, progress=progress, started=started)
    counts["territories"] = len(casts)
    counts["seconds"] = round(time.monotonic() - started)
    return counts


def _generate_territory(cast: Cast, people: int, *, seed: int, today: date, progress: Callable[[str], None],
                        started: float) -> Counter:
    generator = Generator(cast, seed=seed, today=today)
    rng = generator.rng
    states = quota(people, STATE_MIX)
    exits = iter(quota(states.count(S.EXITED), EXIT_MIX))
    rng.shuffle(states)
    plans = []
    for state in states:
        plans.append((state, next(exits) if state == S.EXITED else ""))
    reentry_candidates = [i for i, (state, _r) in enumerate(plans)
                          if state in (S.SUBMITTED, S.ASSIGNED, S.ASSESSED, S.ADMITTED, S.ACTIVE)]
    reentries = set(rng.sample(reentry_candidates, min(len(reentry_candidates),
                                                       max(1 if people >= 20 else 0,
                                                           round(REENTRY_SHARE * len(reentry_candidates))))))
    for begin in range(0, people, CHUNK):
        rows = Rows()
        for i in range(begin, min(people, begin + CHUNK)):
            state, reason = plans[i]
            generator.person(rows, state, reason, i in reentries)
        generator.write(rows)
        progress(f"  {min(people, begin + CHUNK):>7} / {people} personnes ({time.monotonic() - started:.0f} s)")
    generator.counts["employers"] += demo_employers(cast, seed=seed, today=today)
    generator.counts["recruitment_events"] += demo_recruitment_events(cast, seed=seed, today=today)
    generator.counts["young_people"] += demo_young_people(cast, seed=seed, today=today)
    return generator.counts


def demo_young_people(cast: Cast, *, seed: int, today: date) -> int:
    """The Mission Locale's files: young people received at the desk over the last year, most given to the demo
    adviser, with interviews, calls and messages, an immersion for some and support themes. Its own draw (the
    PLIE's people do not depend on it). Kept if already there."""
    from parcours.youth.enums import EventKind, PmsmpAim, ReceptionReason, ReferralSource, SupportTheme
    from parcours.youth.models import YouthEvent, YouthFile, YouthSituation, YouthSupport

    memberships = {m.role: m.user for m in Membership.objects.filter(
        organisation__territory=cast.territory, organisation__name=MISSION_LOCALE_NAME,
        role__in=[Role.YOUTH_ADVISER, Role.YOUTH_RECEPTION]).select_related("user")}
    adviser, desk = memberships.get(Role.YOUTH_ADVISER), memberships.get(Role.YOUTH_RECEPTION)
    if adviser is None or desk is None or YouthFile.objects.filter(territory=cast.territory).exists():
        return 0
    rng = random.Random(seed * 7919 + 33)
    immersion_rng = random.Random(seed * 104729 + 6)   # its own draw: the files above stay as they were
    communes = list(Commune.objects.filter(territory=cast.territory).order_by("pk"))
    kinds = [EventKind.INDIVIDUAL_INTERVIEW, EventKind.INDIVIDUAL_INTERVIEW, EventKind.PHONE,
             EventKind.EMAIL_OR_MESSAGE, EventKind.INFORMATION_SESSION]
    with transaction.atomic():
        for index in range(DEMO_YOUNG_PEOPLE):
            received = today - timedelta(days=rng.randint(0, 365))
            sex = rng.choice(["F", "M"])
            person = Participant.objects.create(
                territory=cast.territory, sex=sex, last_name=rng.choice(LAST_NAMES),
                first_name=rng.choice(FEMALE_NAMES if sex == "F" else MALE_NAMES),
                birth_date=received - timedelta(days=rng.randint(16 * 366, 25 * 365)),
                phone=f"+3367{rng.randint(1000000, 9999999)}", commune=rng.choice(communes) if communes else None)
            file = YouthFile.objects.create(
                territory=cast.territory, participant=person, youth_ref=f"J-DEMO-{index + 1:04d}",
                first_reception_date=received, received_by=desk, adviser=adviser if rng.random() < 0.85 else None,
                reception_reason=rng.choice(ReceptionReason.values), referral_source=rng.choice(ReferralSource.values))
            YouthEvent.objects.bulk_create([
                YouthEvent(territory=cast.territory, event_ref=f"E-DEMO-{index + 1:04d}-{n}", youth_file=file,
                           date=received + timedelta(days=rng.randint(0, (today - received).days)),
                           kind=rng.choice(kinds), duration_minutes=rng.choice([None, 30, 45, 60]), author=adviser)
                for n in range(rng.randint(1, 5))])
            if rng.random() < 0.3:
                pmsmp = YouthSituation.objects.create(
                    territory=cast.territory, situation_ref=f"S-DEMO-{index + 1:04d}", youth_file=file,
                    category="pmsmp", pmsmp_aim=rng.choice(PmsmpAim.values), start_date=received,
                    end_date=received + timedelta(days=14))
                _demo_immersion(pmsmp, adviser=adviser, rng=immersion_rng, today=today)
            if rng.random() < 0.4:
                YouthSupport.objects.create(youth_file=file, theme=rng.choice(SupportTheme.values),
                                            opened_on=received, opened_by=adviser)
        _demo_workshops(cast, adviser=adviser, seed=seed, today=today)
    return DEMO_YOUNG_PEOPLE


# The demo's catalogue: (name, kind, theme, partner or "", places per session).
DEMO_WORKSHOPS = [
    ("Pass to Work", "workshop", "employment", "", 12),
    ("Un métier des informations", "information_session", "orientation_training", "CIO de Clermont", 20),
    ("Budget et logement", "workshop", "daily_life", "ADIL 63", 10),
    ("Prendre soin de soi", "workshop", "health", "", 8),
]


def _demo_workshops(cast: Cast, *, adviser, seed: int, today: date) -> None:
    """The catalogue, sessions held over the last months (presences with their events, absences, refusals) and
    sessions to come with young people prescribed. Its own draw: the young people's do not depend on it."""
    from parcours.youth.enums import EventKind, RegistrationStatus, WorkshopKind
    from parcours.youth.models import Workshop, WorkshopRegistration, WorkshopSession, YouthEvent, YouthFile

    rng = random.Random(seed * 7919 + 34)
    files = list(YouthFile.objects.filter(territory=cast.territory).order_by("pk"))
    held_statuses = [RegistrationStatus.PRESENT] * 6 + [RegistrationStatus.ABSENT] * 2 + [
        RegistrationStatus.REFUSED_BY_YOUTH, RegistrationStatus.REFUSED_BY_THIRD_PARTY]
    number = 0
    for name, kind, theme, partner, places in DEMO_WORKSHOPS:
        workshop = Workshop.objects.create(territory=cast.territory, name=name, kind=kind, theme=theme,
                                           run_by="partner" if partner else "internal", partner_name=partner,
                                           default_capacity=places)
        for offset in sorted(rng.sample(range(-150, 30), 4)):
            number += 1
            day = today + timedelta(days=offset)
            session = WorkshopSession.objects.create(
                territory=cast.territory, session_ref=f"AT-DEMO-{number:03d}", workshop=name, theme=theme, date=day,
                capacity=places, catalogue=workshop, start_time=dtime(9 + rng.choice([0, 5]), 30), created_by=adviser)
            eligible = [f for f in files if f.first_reception_date <= day]
            for file in rng.sample(eligible, min(len(eligible), rng.randint(places // 2, places))):
                status = rng.choice(held_statuses) if day <= today else RegistrationStatus.PRESCRIBED
                event = None
                if status == RegistrationStatus.PRESENT:
                    event = YouthEvent.objects.create(
                        territory=cast.territory, event_ref=f"E-DEMO-{session.session_ref}-{file.pk}",
                        youth_file=file, date=day, author=adviser, summary=f"Présent·e à la séance « {name} ».",
                        kind=EventKind.INFORMATION_SESSION if kind == WorkshopKind.INFORMATION_SESSION
                        else EventKind.WORKSHOP)
                WorkshopRegistration.objects.create(session=session, youth_file=file, status=status,
                                                    registered_by=adviser, event=event)



DEMO_HOSTS = [("Boulangerie Morel", "Boulanger·ère", "D1102"), ("Garage des Volcans", "Mécanicien·ne automobile",
               "I1604"), ("EHPAD Les Tilleuls", "Aide-soignant·e", "J1501"), ("Supermarché du Centre",
               "Employé·e de libre-service", "D1507"), ("Menuiserie Arverne", "Menuisier·ère", "H2206")]


def _demo_immersion(pmsmp, *, adviser, rng: random.Random, today: date) -> None:
    """The agreement of a demo PMSMP, signed (done once ended) along the workflow's table, and its follow-ups
    whose day has come: some in employment, whose situation the report reads."""
    from parcours.core.workflow import transition_replay
    from parcours.youth.enums import FOLLOW_UP_DAYS, FollowUpOutcome
    from parcours.youth.immersion_workflow import IMMERSION_WORKFLOW
    from parcours.youth.models import (
        ImmersionAgreement, ImmersionAgreementTransition, ImmersionEvaluation, ImmersionFollowUp, YouthSituation,
    )

    company, trade, rome = rng.choice(DEMO_HOSTS)
    base = f"{rng.randint(100000000, 999999999)}0001"
    agreement = ImmersionAgreement(
        territory_id=pmsmp.territory_id, youth_file_id=pmsmp.youth_file_id, situation=pmsmp, company_name=company,
        company_siret=base + luhn.calc_check_digit(base), company_address="63000 Clermont-Ferrand",
        tutor_name=f"{rng.choice(FEMALE_NAMES)} {rng.choice(LAST_NAMES)}", tutor_job="responsable",
        tutor_phone=f"+3363998{rng.randint(1000, 9999)}", trade=trade, rome_code=rome, start_date=pmsmp.start_date,
        end_date=pmsmp.end_date, weekly_hours=rng.choice([24, 30, 35]), aim=pmsmp.pmsmp_aim, prescriber=adviser,
        status="")
    at = timezone.make_aware(datetime.combine(pmsmp.start_date, dtime(9)))
    rows = [transition_replay(IMMERSION_WORKFLOW, agreement, name, by=adviser, at=at)
            for name in ("draw_up", "sign", *(("complete",) if pmsmp.end_date <= today else ()))]
    agreement.save()
    for row in rows:
        row.agreement = agreement
    ImmersionAgreementTransition.objects.bulk_create(rows)
    if pmsmp.end_date >= today:
        return
    ImmersionEvaluation.objects.create(agreement=agreement, date=pmsmp.end_date + timedelta(days=1),
                                       aptitudes="Ponctuel·le, à l'écoute des consignes.", outcome="Immersion réussie.",
                                       hire_proposed=rng.random() < 0.3, recorded_by=adviser)
    job = None
    for milestone, days in FOLLOW_UP_DAYS.items():
        day = pmsmp.end_date + timedelta(days=days)
        if day > today or rng.random() < 0.2:   # some are left to do: the advisers' list of follow-ups due
            continue
        if job is None and rng.random() < 0.3:
            job = YouthSituation.objects.create(
                territory_id=pmsmp.territory_id, situation_ref=f"{pmsmp.situation_ref}-J", youth_file_id=pmsmp.youth_file_id,
                category="employment", contract_type=rng.choice(["cdd", "cdi", "ctt"]),
                start_date=pmsmp.end_date + timedelta(days=rng.randint(3, days)))
        outcome = FollowUpOutcome.EMPLOYMENT if job else rng.choice([FollowUpOutcome.JOB_SEEKING, FollowUpOutcome.TRAINING])
        ImmersionFollowUp.objects.create(agreement=agreement, milestone=milestone, date=day, outcome=outcome,
                                         contract_type=job.contract_type if job else "", situation=job,
                                         recorded_by=adviser)


def demo_employers(cast: Cast, *, seed: int, today: date) -> int:
    """The territory's employer portfolio: the employers the demo's people work for, with a sector, a size, one or
    two contacts and a year of exchanges by the employer-relations officer. Its own draw: the people's data do not
    depend on it. Kept if already there (the demo is generated once)."""
    officer_membership = (Membership.objects.filter(organisation=cast.plie, role=Role.EMPLOYER_RELATIONS)
                          .select_related("user").first())
    if officer_membership is None or Employer.objects.filter(territory=cast.territory).exists():
        return 0
    officer = officer_membership.user
    rng = random.Random(seed * 7919 + 15)
    communes = list(Commune.objects.filter(territory=cast.territory).order_by("pk"))
    with transaction.atomic():
        for name, (division, size) in EMPLOYER_PROFILES.items():
            status = rng.choice(["partner", "partner", "prospect", "former"])
            employer = Employer.objects.create(
                territory=cast.territory, siret=_siret("".join(str(rng.randint(0, 9)) for _i in range(14))),
                name=name, naf_division=division, naf_section=naf_divisions()[division].section, size_band=size,
                commune=rng.choice(communes) if communes else None, partner_status=status,
                partner_since=(today - timedelta(days=rng.randint(90, 1000))) if status != "prospect" else None,
                created_by=officer)
            contacts = []
            for _i in range(rng.randint(1, 2)):
                first = rng.choice(FEMALE_NAMES + MALE_NAMES)
                contacts.append(EmployerContact.objects.create(
                    employer=employer, name=f"{first} {rng.choice(LAST_NAMES)}",
                    job_title=rng.choice(EMPLOYER_JOB_TITLES), phone=f"+334730{rng.randint(10000, 99999)}"))
            EmployerExchange.objects.bulk_create([
                EmployerExchange(employer=employer, kind=(kind := rng.choice(list(EXCHANGE_SUMMARIES))),
                                 date=today - timedelta(days=rng.randint(1, 365)), contact=rng.choice(contacts),
                                 summary=rng.choice(EXCHANGE_SUMMARIES[kind]), by=officer)
                for _i in range(rng.randint(1, 6))])
    return len(EMPLOYER_PROFILES)


# (kind, title, place, days from today): two events held, two to come.
DEMO_EVENTS = [
    ("job_dating", "Job dating logistique et transport", "Maison de l'emploi, Clermont-Ferrand", -45),
    ("company_visit", "Visite d'un chantier de la ligne de tram", "Chantier InspiRe, boulevard Lafayette", -12),
    ("mock_interviews", "Simulations d'entretien avec des recruteurs", "Maison de l'emploi, Clermont-Ferrand", 9),
    ("forum", "Forum de l'emploi de la métropole", "Polydome, Clermont-Ferrand", 30),
]
SPONSOR_NAMES = ["Hélène Roux", "Patrick Chabrol"]


def demo_recruitment_events(cast: Cast, *, seed: int, today: date) -> int:
    """Four recruitment events of the officer (two held, with who came and the outcomes; two to come, with their
    invitations) and two sponsorships (one running, one ended), on the portfolio and the people in their pathway.
    Its own draw; kept if already there."""
    officer_membership = (Membership.objects.filter(organisation=cast.plie, role=Role.EMPLOYER_RELATIONS)
                          .select_related("user").first())
    employers = list(Employer.objects.filter(territory=cast.territory).order_by("pk"))
    people = list(Pathway.objects.filter(territory=cast.territory, status=PathwayStatus.ACTIVE,
                                         referent__isnull=False).select_related("referent").order_by("pk")[:40])
    if (officer_membership is None or len(employers) < 3 or len(people) < 12
            or RecruitmentEvent.objects.filter(territory=cast.territory).exists()):
        return 0
    officer = officer_membership.user
    rng = random.Random(seed * 7919 + 16)
    with transaction.atomic():
        for kind, title, place, offset in DEMO_EVENTS:
            event = RecruitmentEvent.objects.create(territory=cast.territory, kind=kind, title=title, place=place,
                                                    date=today + timedelta(days=offset), created_by=officer)
            guests = rng.sample(employers, 3)
            event.employers.add(*guests)
            for pathway in rng.sample(people, 5):
                invitation = EventInvitation(event=event, pathway=pathway, invited_by=pathway.referent)
                if offset < 0:
                    invitation.attended = rng.random() < 0.8
                    if invitation.attended:
                        invitation.outcome = rng.choice(["interview", "immersion", "contact", "none", "hired"])
                        if invitation.outcome in ("interview", "immersion", "hired"):
                            invitation.outcome_employer = rng.choice(guests)
                invitation.save()
        for number, pathway in enumerate(rng.sample(people, 2)):
            started = today - timedelta(days=rng.randint(60, 150))
            ended = started + timedelta(days=50) if number else None
            sponsorship = Sponsorship.objects.create(
                pathway=pathway, employer=rng.choice(employers), sponsor_name=SPONSOR_NAMES[number],
                sponsor_job_title="Responsable des ressources humaines", started_on=started, ended_on=ended,
                outcome="employment" if ended else "", goal="Découvrir le métier et préparer des candidatures.",
                started_by=pathway.referent)
            SponsorshipMeeting.objects.bulk_create([
                SponsorshipMeeting(sponsorship=sponsorship, date=started + timedelta(days=days), by=pathway.referent,
                                   summary=summary)
                for days, summary in ((7, "Première rencontre dans l'entreprise."),
                                      (30, "Relecture du CV et préparation d'un entretien."))])
    return len(DEMO_EVENTS)
