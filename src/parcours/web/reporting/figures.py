"""The indicators laid out as the national consolidation shows them: sections of tables.

One layout feeds the page, the XLSX, the CSV labels and the PDF, so that they always agree.
A cell keeps its raw value (int, float between 0 and 1, None) and its kind; each output formats it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from django.utils.formats import number_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from parcours.plie.enums import ExitReason, StepType
from parcours.plie.enums import NEUTRALISED_EXITS, POSITIVE_EXITS

COUNT, PERCENT, DECIMAL, TEXT = "count", "percent", "decimal", "text"
DAYS_PER_MONTH = 30.4375

PROFILE_GROUPS = [
    (gettext_lazy("Sexe"), ["women", "men"]),
    (gettext_lazy("Âge à l'entrée"), ["under_26", "age_26_44", "age_45_plus"]),
    (gettext_lazy("Niveau de formation"), ["no_qualification", "low_qualification", "qualified", "education_unknown"]),
    (gettext_lazy("Situation à l'entrée"), ["rsa", "deld", "rqth", "qpv"]),
]

# Reasons without outcome that are neither positive nor neutralised, in the report's order.
WITHOUT_OUTCOME = [ExitReason.ABANDONMENT, ExitReason.REORIENTATION, ExitReason.OTHER_WITHOUT_OUTCOME]

RATE_KEYS = ["positive_exit_rate", "positive_exit_rate_excluding_moves", "positive_exits_per_entry"]
CATEGORY_KEYS = ["men", "women", "deld", "rsa", "no_qualification", "low_qualification", "qualified"]


@lru_cache(maxsize=8)
def _labels(language: str | None) -> dict[str, str]:
    """All labels in one language, built once per language (a report asks for about seventy of them)."""
    labels = {
        "period.from": _("Début de la période"),
        "period.to": _("Fin de la période"),
        "entries": _("Entrées en parcours"),
        "participants_in_pathway": _("Participant·es en parcours"),
        "exits.total": _("Sorties"),
        "exits.positive": _("Sorties positives"),
        "exits.neutralised": _("Sorties neutralisées (déménagement, décès, retraite)"),
        "rates.positive_exit_rate": _("Sorties positives / total des sorties"),
        "rates.positive_exit_rate_excluding_moves": _(
            "Sorties positives / total des sorties (hors déménagements, décès, retraite)"),
        "rates.positive_exits_per_entry": _("Sorties positives / total des entrées"),
        "mean_pathway_duration_days": _("Durée moyenne des parcours (jours)"),
        "entries_profile.women": _("Femmes"),
        "entries_profile.men": _("Hommes"),
        "entries_profile.under_26": _("Moins de 26 ans"),
        "entries_profile.age_26_44": _("De 26 à 44 ans"),
        "entries_profile.age_45_plus": _("45 ans et plus"),
        "entries_profile.no_qualification": _("Sans qualification (VI, V bis)"),
        "entries_profile.low_qualification": _("Peu qualifié·es (V)"),
        "entries_profile.qualified": _("Qualifié·es (IV, III, II, I)"),
        "entries_profile.education_unknown": _("Niveau non renseigné"),
        "entries_profile.rsa": _("Bénéficiaires du RSA"),
        "entries_profile.deld": _("Demandeur·ses d'emploi de longue durée"),
        "entries_profile.rqth": _("Travailleur·ses handicapé·es (RQTH)"),
        "entries_profile.qpv": _("Résident·es d'un quartier prioritaire (QPV)"),
        "steps.started": _("Étapes commencées"),
        "steps.per_participant": _("Étapes par participant·e en parcours"),
        "positive_exit_rate_by_category.men": _("Hommes"),
        "positive_exit_rate_by_category.women": _("Femmes"),
        "positive_exit_rate_by_category.deld": _("Demandeur·ses d'emploi de longue durée"),
        "positive_exit_rate_by_category.rsa": _("Bénéficiaires du RSA"),
        "positive_exit_rate_by_category.no_qualification": _("Sans qualification (V bis et VI)"),
        "positive_exit_rate_by_category.low_qualification": _("Peu qualifié·es (V)"),
        "positive_exit_rate_by_category.qualified": _("Qualifié·es (I, II, III, IV)"),
    }
    labels.update({f"exits.by_reason.{c.value}": str(c.label) for c in ExitReason})
    labels.update({f"steps.by_type.{c.value}": str(c.label) for c in StepType})
    return labels


def label(key: str) -> str:
    """French label of a dotted indicator key (the key itself when unknown)."""
    return _labels(get_language()).get(key, key)


def flatten(data: dict, prefix: str = "") -> list[tuple[str, object]]:
    """The indicators as (dotted key, value) pairs, in the order of the JSON."""
    pairs: list[tuple[str, object]] = []
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            pairs.extend(flatten(value, f"{dotted}."))
        else:
            pairs.append((dotted, value))
    return pairs


def ratio(part: int | None, whole: int | None) -> float | None:
    return None if not whole or part is None else part / whole


def months(days: float | None) -> float | None:
    return None if days is None else days / DAYS_PER_MONTH


def display(value, kind: str) -> str:
    """A value as the page and the PDF show it (French formats, a dash when it cannot be computed)."""
    if value is None:
        return "—"
    # number_format truncates: round first.
    if kind == PERCENT:
        return f"{number_format(round(value * 100, 1), 1)}\u00a0%"
    if kind == DECIMAL:
        return number_format(round(value, 2), 2)
    if kind == COUNT:
        return number_format(value, 0, force_grouping=True)
    return str(value)


@dataclass
class Cell:
    value: object
    kind: str = COUNT

    @property
    def display(self) -> str:
        return display(self.value, self.kind)


@dataclass
class Row:
    header: str
    cells: list[Cell]
    group: bool = False  # a sub-total row heading a group of rows
    key: str = ""


@dataclass
class Table:
    slug: str
    caption: str
    columns: list[str]  # the first one heads the row headers
    rows: list[Row]
    note: str = ""
    # Which column a chart draws, and how.
    charted: bool = True
    chart_column: int = 0
    chart_kind: str = COUNT


@dataclass
class Section:
    slug: str
    title: str
    intro: str = ""
    tables: list[Table] = field(default_factory=list)


def _profile(data: dict) -> dict[str, int]:
    profile = dict(data["entries_profile"])
    # Sex is required and is F or M: the men are the entries that are not women.
    profile["men"] = data["entries"] - profile["women"]
    return profile


def synthesis_table(data: dict) -> Table:
    exits = data["exits"]
    duration = data["mean_pathway_duration_days"]
    rows = [
        Row(_("Participant·es en parcours sur la période"), [Cell(data["participants_in_pathway"])],
            key="participants_in_pathway"),
        Row(_("Entrées en parcours"), [Cell(data["entries"])], key="entries"),
        Row(_("Sorties"), [Cell(exits["total"])], key="exits.total"),
        Row(_("Sorties positives"), [Cell(exits["positive"])], key="exits.positive"),
        Row(_("Taux de sorties positives"), [Cell(data["rates"]["positive_exit_rate"], PERCENT)],
            key="rates.positive_exit_rate"),
        Row(_("Durée moyenne des parcours (jours)"), [Cell(duration, DECIMAL)], key="mean_pathway_duration_days"),
        Row(_("Durée moyenne des parcours (mois)"), [Cell(months(duration), DECIMAL)],
            key="mean_pathway_duration_months"),
    ]
    return Table("synthese", _("Chiffres clés de la période"), [_("Indicateur"), _("Valeur")], rows, charted=False)


def entries_tables(data: dict) -> list[Table]:
    profile = _profile(data)
    entries = data["entries"]
    tables = []
    for index, (title, keys) in enumerate(PROFILE_GROUPS):
        rows = [Row(label(f"entries_profile.{key}"),
                    [Cell(profile[key]), Cell(ratio(profile[key], entries), PERCENT)], key=f"entries_profile.{key}")
                for key in keys]
        tables.append(Table(f"entrees-{index + 1}", _("Entrées par %(group)s") % {"group": str(title).lower()},
                            [str(title), _("Entrées"), _("Part des entrées")], rows,
                            chart_column=1, chart_kind=PERCENT))
    tables[-1].note = _("Une personne peut relever de plusieurs situations.")
    return tables


def exits_tables(data: dict) -> list[Table]:
    exits = data["exits"]
    by_reason = exits["by_reason"]
    total, positive = exits["total"], exits["positive"]
    without = total - positive

    def reason_row(code) -> Row:
        count = by_reason.get(code.value, 0)
        share_without = None if code in POSITIVE_EXITS else ratio(count, without)
        return Row(str(code.label), [Cell(count), Cell(share_without, PERCENT), Cell(ratio(count, total), PERCENT)],
                   key=f"exits.by_reason.{code.value}")

    neutralised = exits["neutralised"]
    rows = [Row(_("Sorties positives"), [Cell(positive), Cell(None, PERCENT), Cell(ratio(positive, total), PERCENT)],
                group=True, key="exits.positive")]
    rows += [reason_row(code) for code in POSITIVE_EXITS]
    rows.append(Row(_("Sorties sans suite"),
                    [Cell(without), Cell(ratio(without, without), PERCENT), Cell(ratio(without, total), PERCENT)],
                    group=True, key="exits.without_outcome"))
    rows += [reason_row(code) for code in WITHOUT_OUTCOME]
    rows.append(Row(_("dont déménagements, décès, retraite (neutralisées)"),
                    [Cell(neutralised), Cell(ratio(neutralised, without), PERCENT), Cell(ratio(neutralised, total), PERCENT)],
                    group=True, key="exits.neutralised"))
    rows += [reason_row(code) for code in NEUTRALISED_EXITS]
    rows.append(Row(_("Total des sorties"), [Cell(total), Cell(None, PERCENT), Cell(ratio(total, total), PERCENT)],
                    group=True, key="exits.total"))
    by_reason_table = Table("sorties-motifs", _("Sorties par motif"),
                            [_("Motif de sortie"), _("Sorties"), _("% des sorties sans suite"), _("% du total des sorties")],
                            rows, note=_("Les sorties neutralisées font partie des sorties sans suite."))

    rates = Table("sorties-taux", _("Taux de sorties positives"), [_("Taux"), _("Valeur")],
                  [Row(label(f"rates.{key}"), [Cell(data["rates"][key], PERCENT)], key=f"rates.{key}")
                   for key in RATE_KEYS], chart_kind=PERCENT,
                  note=_("Les déménagements, décès et départs en retraite ne sont pas imputables au PLIE : "
                         "le deuxième taux les neutralise."))
    duration = data["mean_pathway_duration_days"]
    duration_table = Table("sorties-duree", _("Durée moyenne des parcours sortis sur la période"),
                           [_("Unité"), _("Durée moyenne")],
                           [Row(_("Jours"), [Cell(duration, DECIMAL)], key="mean_pathway_duration_days"),
                            Row(_("Mois (jours / 30,4375)"), [Cell(months(duration), DECIMAL)],
                                key="mean_pathway_duration_months")], charted=False)
    by_category = data["positive_exit_rate_by_category"]
    categories = Table("sorties-categories",
                       _("Taux de sorties positives / nombre total de sorties par type de participant·e"),
                       [_("Type de participant·e"), _("Taux de sorties positives")],
                       [Row(label(f"positive_exit_rate_by_category.{key}"), [Cell(by_category.get(key), PERCENT)],
                            key=f"positive_exit_rate_by_category.{key}") for key in CATEGORY_KEYS],
                       chart_kind=PERCENT,
                       note=_("Un tiret : aucune sortie de ce type de participant·e sur la période."))
    return [by_reason_table, rates, categories, duration_table]


def steps_tables(data: dict) -> list[Table]:
    steps = data["steps"]
    started = steps["started"]
    summary = Table("etapes", _("Étapes de parcours commencées sur la période"), [_("Indicateur"), _("Valeur")], [
        Row(label("steps.started"), [Cell(started)], key="steps.started"),
        Row(label("steps.per_participant"), [Cell(steps["per_participant"], DECIMAL)], key="steps.per_participant"),
    ], charted=False)
    by_type = sorted(steps["by_type"].items(), key=lambda item: (-item[1], label(f"steps.by_type.{item[0]}")))
    types = Table("etapes-types", _("Étapes commencées par type"), [_("Type d'étape"), _("Étapes"), _("Part des étapes")],
                  [Row(label(f"steps.by_type.{code}"), [Cell(count), Cell(ratio(count, started), PERCENT)],
                       key=f"steps.by_type.{code}") for code, count in by_type])
    return [summary, types]


def evolution_table(series: list[dict]) -> Table:
    rows = []
    for point in series:
        data = point["data"]
        rows.append(Row(point["label"], [
            Cell(data["entries"]), Cell(data["exits"]["total"]), Cell(data["exits"]["positive"]),
            Cell(data["rates"]["positive_exit_rate"], PERCENT),
        ], key=str(point["year"])))
    return Table("evolution", _("Évolution année par année"),
                 [_("Année"), _("Entrées"), _("Sorties"), _("Sorties positives"), _("Taux de sorties positives")], rows,
                 charted=False)


def sections(data: dict, series: list[dict]) -> list[Section]:
    """The report's sections: synthesis, 2.1 entries, 2.2 exits, 2.3 steps, then the evolution."""
    return [
        Section("synthese", _("Synthèse des résultats"), tables=[synthesis_table(data)]),
        Section("entrees", _("2.1 Caractéristiques des entrées"),
                _("%(count)s personnes sont entrées en parcours sur la période.") % {"count": display(data["entries"], COUNT)},
                entries_tables(data)),
        Section("sorties", _("2.2 Caractéristiques des sorties"),
                _("%(positive)s sorties positives et %(without)s sorties sans suite sur la période.") % {
                    "positive": display(data["exits"]["positive"], COUNT),
                    "without": display(data["exits"]["total"] - data["exits"]["positive"], COUNT)},
                exits_tables(data)),
        Section("etapes", _("2.3 Le contenu des parcours"),
                _("En moyenne, %(per)s étape(s) par participant·e en parcours.") % {
                    "per": display(data["steps"]["per_participant"], DECIMAL)},
                steps_tables(data)),
        Section("evolution", _("Évolution année par année"), tables=[evolution_table(series)]),
    ]


def period_label(date_from: date, date_to: date) -> str:
    return _("du %(from)s au %(to)s") % {"from": date_from.strftime("%d/%m/%Y"), "to": date_to.strftime("%d/%m/%Y")}
