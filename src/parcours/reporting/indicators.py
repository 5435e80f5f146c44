"""The indicators of docs/spec/indicators.md, aggregated in the database.

Two queries whatever the volume: one conditional aggregate over the pathways (entries, people in
pathway, exits by reason, durations, profile of the entries, exits by category), one over the steps.
`indicators_counts` returns the additive counts (what consolidation sums across PLIE);
`indicators_from_counts` derives the spec's JSON from them (rates, mean duration), so a single PLIE
and a consolidation compute their rates the same way. `indicators_compute_with_series` gives the main figures of
several periods (the indicators page's year-by-year series) in the same two queries as the period's.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Q, Sum

from parcours.plie.definition import PLIE
from parcours.core.db import reporting_alias
from parcours.participants.enums import Sex
from parcours.participants.models import LOW_QUALIFICATION, NO_QUALIFICATION, QUALIFIED, ParticipantSituation
from parcours.plie.enums import ExitReason, StepType
from parcours.pathways.models import Pathway, Step
from parcours.plie.enums import NEUTRALISED_EXITS, POSITIVE_EXITS

EXIT_REASONS = [c.value for c in ExitReason]
STEP_TYPES = [c.value for c in StepType]
PROFILE_KEYS = ["women", "under_26", "age_26_44", "age_45_plus", "no_qualification", "low_qualification",
                "qualified", "education_unknown", "rsa", "deld", "rqth", "qpv"]
CATEGORY_KEYS = ["men", "women", "deld", "rsa", "no_qualification", "low_qualification", "qualified"]


class DateNumber(Func):
    """A date as the integer YYYYMMDD. The age in completed years is (entry − birth) // 10000 on
    these numbers, exact around birthdays and 29 February on both backends."""

    output_field = IntegerField()
    arity = 1

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="CAST(strftime('%%%%Y%%%%m%%%%d', %(expressions)s) AS INTEGER)",
                           **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="CAST(to_char(%(expressions)s, 'YYYYMMDD') AS INTEGER)",
                           **extra)

    def as_sql(self, compiler, connection, template=None, **extra):
        template = template or ("(EXTRACT(YEAR FROM %(expressions)s) * 10000 + EXTRACT(MONTH FROM %(expressions)s) * 100"
                                " + EXTRACT(DAY FROM %(expressions)s))")
        return super().as_sql(compiler, connection, template=template, **extra)


class DaysBetween(Func):
    """later − earlier in whole days (PostgreSQL: date − date is an integer; SQLite: julianday)."""

    output_field = IntegerField()
    arity = 2

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection,
                           template="CAST(ROUND(julianday(%(expressions)s)) AS INTEGER)", arg_joiner=") - julianday(",
                           **extra)

    def as_sql(self, compiler, connection, template=None, arg_joiner=None, **extra):
        return super().as_sql(compiler, connection, template=template or "(%(expressions)s)",
                              arg_joiner=arg_joiner or " - ", **extra)


def _pk(value):
    return getattr(value, "pk", value)


def pathways_in_scope(*, territory_ids=None, queryset=None, operator=None, referent=None):
    """The pathways counted: a queryset given by the caller (already scoped), or the territories'; the PLIE's only
    (these are the PLIE's indicators, docs/spec/indicators.md; another programme of the territory has its own)."""
    qs = queryset if queryset is not None else Pathway.objects.filter(territory_id__in=territory_ids)
    qs = qs.filter(programme_kind=PLIE)
    if operator is not None:
        qs = qs.filter(operator_id=_pk(operator))
    if referent is not None:
        qs = qs.filter(referent_id=_pk(referent))
    return qs


def _situation_yes(code: str) -> Exists:
    """The person meets the criterion (a row with value yes), as the column was true: no and unknown do not count.
    One lookup on the unique (participant, code) index."""
    return Exists(ParticipantSituation.objects.filter(participant_id=OuterRef("participant_id"), code=code,
                                                      value=True))


def indicators_counts(*, date_from: date, date_to: date, territory_ids=None, queryset=None, operator=None,
                      referent=None, periods: list[tuple[date, date]] | tuple = ()) -> dict:
    """The additive counts for the period [date_from, date_to] (both included).

    With `periods`, the same two queries also give the main figures of each of them (under "series", see
    `indicators_compute_with_series`): the page's year-by-year series costs no extra read of the pathways.
    """
    pathways = pathways_in_scope(territory_ids=territory_ids, queryset=queryset, operator=operator,
                                 referent=referent).using(reporting_alias())
    entered = Q(entry_date__gte=date_from, entry_date__lte=date_to)
    exited = Q(exit_date__gte=date_from, exit_date__lte=date_to)
    in_pathway = Q(entry_date__lte=date_to) & (Q(exit_date__isnull=True) | Q(exit_date__gte=date_from))
    positive = Q(exit_reason__in=POSITIVE_EXITS)
    categories = {
        "men": Q(participant__sex=Sex.MALE), "women": Q(participant__sex=Sex.FEMALE),
        "deld": Q(situation_deld=True), "rsa": Q(situation_rsa=True),
        "no_qualification": Q(participant__education_level__in=NO_QUALIFICATION),
        "low_qualification": Q(participant__education_level__in=LOW_QUALIFICATION),
        "qualified": Q(participant__education_level__in=QUALIFIED),
    }
    profile = {
        "women": Q(participant__sex=Sex.FEMALE),
        # Age in completed years on the entry date, from YYYYMMDD numbers: < 26 iff difference < 260000.
        "under_26": Q(age_key__lt=260000),
        "age_26_44": Q(age_key__gte=260000, age_key__lt=450000),
        "age_45_plus": Q(age_key__gte=450000),
        "no_qualification": categories["no_qualification"],
        "low_qualification": categories["low_qualification"],
        "qualified": categories["qualified"],
        "education_unknown": Q(participant__education_level=""),
        "rsa": Q(situation_rsa=True), "deld": Q(situation_deld=True), "rqth": Q(situation_rqth=True),
        "qpv": Q(participant__qpv__isnull=False),
    }
    aggregates = {
        "entries": Count("pk", filter=entered),
        "participants_in_pathway": Count("participant_id", distinct=True, filter=in_pathway),
        "duration_sum": Sum(DaysBetween("exit_date", "entry_date"), filter=exited),
        **{f"exit__{r}": Count("pk", filter=exited & Q(exit_reason=r)) for r in EXIT_REASONS},
        **{f"profile__{k}": Count("pk", filter=entered & q) for k, q in profile.items()},
        **{f"category__{k}__exits": Count("pk", filter=exited & q) for k, q in categories.items()},
        **{f"category__{k}__positive": Count("pk", filter=exited & positive & q) for k, q in categories.items()},
    }
    series_aggregates, series_steps, reached = _series_aggregates(periods)
    # Every pathway counted by some figure has begun by D2 and not ended before D1 (of its period).
    row = (pathways.filter(in_pathway | reached)
           .alias(age_key=DateNumber(F("entry_date")) - DateNumber(F("participant__birth_date")),
                  **{f"situation_{code}": _situation_yes(code) for code in ("rsa", "deld", "rqth")})
           .aggregate(**aggregates, **series_aggregates))
    started = Q(start_date__gte=date_from, start_date__lte=date_to)
    steps = (Step.objects.using(reporting_alias())
             .filter(pathway__in=pathways.values("pk"), start_date__gte=min([date_from, *(p[0] for p in periods)]),
                     start_date__lte=max([date_to, *(p[1] for p in periods)]))
             .aggregate(**{t: Count("pk", filter=started & Q(step_type=t)) for t in STEP_TYPES}, **series_steps))

    by_reason = {r: row[f"exit__{r}"] for r in EXIT_REASONS}
    return {
        "entries": row["entries"],
        "participants_in_pathway": row["participants_in_pathway"],
        "exits": {
            "total": sum(by_reason.values()),
            "positive": sum(by_reason[r] for r in POSITIVE_EXITS),
            "neutralised": sum(by_reason[r] for r in NEUTRALISED_EXITS),
            "by_reason": by_reason,
        },
        "pathway_duration_days_sum": row["duration_sum"] or 0,
        "entries_profile": {k: row[f"profile__{k}"] for k in PROFILE_KEYS},
        "steps": {"started": sum(steps[t] for t in STEP_TYPES), "by_type": {t: steps[t] for t in STEP_TYPES}},
        "exits_by_category": {k: {"exits": row[f"category__{k}__exits"], "positive": row[f"category__{k}__positive"]}
                              for k in CATEGORY_KEYS},
        **({"series": _series_from(row, steps, periods)} if periods else {}),
    }


def _series_aggregates(periods) -> tuple[dict, dict, Q]:
    """Per period: entries, people in pathway, exits, positive exits (pathways) and steps started; and the
    condition a pathway meets when some period counts it."""
    aggregates, step_counts, reached = {}, {}, Q()
    for index, (date_from, date_to) in enumerate(periods):
        in_pathway = Q(entry_date__lte=date_to) & (Q(exit_date__isnull=True) | Q(exit_date__gte=date_from))
        exited = Q(exit_date__gte=date_from, exit_date__lte=date_to)
        aggregates[f"series_entries_{index}"] = Count("pk", filter=Q(entry_date__gte=date_from,
                                                                      entry_date__lte=date_to))
        aggregates[f"series_people_{index}"] = Count("participant_id", distinct=True, filter=in_pathway)
        aggregates[f"series_exits_{index}"] = Count("pk", filter=exited)
        aggregates[f"series_positive_{index}"] = Count("pk", filter=exited & Q(exit_reason__in=POSITIVE_EXITS))
        step_counts[f"series_steps_{index}"] = Count("pk", filter=Q(start_date__gte=date_from,
                                                                     start_date__lte=date_to))
        reached |= in_pathway
    return aggregates, step_counts, reached


def _series_from(row: dict, steps: dict, periods) -> list[dict]:
    return [{
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "entries": row[f"series_entries_{index}"],
        "participants_in_pathway": row[f"series_people_{index}"],
        "exits": {"total": row[f"series_exits_{index}"], "positive": row[f"series_positive_{index}"]},
        "rates": {"positive_exit_rate": _rate(row[f"series_positive_{index}"], row[f"series_exits_{index}"])},
        "steps": {"started": steps[f"series_steps_{index}"]},
    } for index, (date_from, date_to) in enumerate(periods)]


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def indicators_from_counts(counts: dict, *, date_from: date, date_to: date) -> dict:
    """The JSON of the spec, rates and mean recomputed from the counts."""
    exits = counts["exits"]
    entries = counts["entries"]
    people = counts["participants_in_pathway"]
    return {
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "entries": entries,
        "participants_in_pathway": people,
        "exits": {"total": exits["total"], "positive": exits["positive"], "neutralised": exits["neutralised"],
                  "by_reason": {r: exits["by_reason"][r] for r in EXIT_REASONS}},
        "rates": {
            "positive_exit_rate": _rate(exits["positive"], exits["total"]),
            "positive_exit_rate_excluding_moves": _rate(exits["positive"], exits["total"] - exits["neutralised"]),
            "positive_exits_per_entry": _rate(exits["positive"], entries),
        },
        "mean_pathway_duration_days": _rate(counts["pathway_duration_days_sum"], exits["total"]),
        "entries_profile": {k: counts["entries_profile"][k] for k in PROFILE_KEYS},
        "steps": {"started": counts["steps"]["started"], "per_participant": _rate(counts["steps"]["started"], people),
                  "by_type": {t: counts["steps"]["by_type"][t] for t in STEP_TYPES}},
        "positive_exit_rate_by_category": {
            k: _rate(counts["exits_by_category"][k]["positive"], counts["exits_by_category"][k]["exits"])
            for k in CATEGORY_KEYS},
    }


def indicators_compute(*, date_from: date, date_to: date, territory_ids=None, queryset=None, operator=None,
                       referent=None) -> dict:
    """The indicators for [date_from, date_to] over the territories' pathways (or `queryset`), optionally
    those of one operator (structure référente) or one referent (instance or id)."""
    counts = indicators_counts(date_from=date_from, date_to=date_to, territory_ids=territory_ids, queryset=queryset,
                               operator=operator, referent=referent)
    return indicators_from_counts(counts, date_from=date_from, date_to=date_to)


# --- output of `parcours indicators` / `parcours consolidate` ------------------------------------------------------

FORMATS = ("json", "csv", "text")
DAYS_PER_MONTH = 30.4375


def indicators_compute_with_series(*, date_from: date, date_to: date, periods: list[tuple[date, date]],
                                   territory_ids=None, queryset=None, operator=None, referent=None
                                   ) -> tuple[dict, list[dict]]:
    """`indicators_compute` for the period and, for each of `periods`, its main figures (entries, people in pathway,
    exits, positive exits and their rate, steps started: what a year-by-year series shows), in the same two queries:
    one conditional aggregate per figure and period, so the pathways are read once, not once per period."""
    counts = indicators_counts(date_from=date_from, date_to=date_to, territory_ids=territory_ids, queryset=queryset,
                               operator=operator, referent=referent, periods=periods)
    series = counts.pop("series", [])
    return indicators_from_counts(counts, date_from=date_from, date_to=date_to), series


def indicators_flatten(data: dict, prefix: str = "") -> list[tuple[str, object]]:
    """(dotted key, value) pairs in the order of the JSON."""
    pairs: list[tuple[str, object]] = []
    for key, value in data.items():
        if isinstance(value, dict):
            pairs.extend(indicators_flatten(value, f"{prefix}{key}."))
        else:
            pairs.append((f"{prefix}{key}", value))
    return pairs


def indicators_render(data: dict, output_format: str) -> str:
    import csv
    import io
    import json

    if output_format == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if output_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["key", "value"])
        for key, value in indicators_flatten(data):
            writer.writerow([key, "" if value is None else value])
        return buffer.getvalue()
    return indicators_text(data)


def _number(value, decimals: int = 0) -> str:
    if value is None:
        return "—"
    text = f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")
    return text


def _percent(value) -> str:
    return "—" if value is None else f"{_number(value * 100, 1)} %"


def _share(count: int, whole: int) -> str:
    return f"{_number(count)} ({_percent(_rate(count, whole))})"


def indicators_text(data: dict) -> str:
    """A readable French report of the indicators (the national consolidation's headings)."""
    d_from, d_to = (date.fromisoformat(data["period"][k]) for k in ("from", "to"))
    entries, exits, profile = data["entries"], data["exits"], data["entries_profile"]
    rates, mean = data["rates"], data["mean_pathway_duration_days"]
    lines = [f"Indicateurs du PLIE du {d_from:%d/%m/%Y} au {d_to:%d/%m/%Y}", ""]
    lines += ["Synthèse",
              f"  Participant·es en parcours : {_number(data['participants_in_pathway'])}",
              f"  Entrées en parcours : {_number(entries)}",
              f"  Sorties : {_number(exits['total'])}, dont positives : {_number(exits['positive'])}, "
              f"neutralisées : {_number(exits['neutralised'])}",
              f"  Durée moyenne des parcours : {_number(mean, 1)} jours"
              + ("" if mean is None else f" ({_number(mean / DAYS_PER_MONTH, 1)} mois)"), ""]
    lines += ["Caractéristiques des entrées (part des entrées)",
              f"  Femmes : {_share(profile['women'], entries)}",
              f"  Moins de 26 ans : {_share(profile['under_26'], entries)}",
              f"  De 26 à 44 ans : {_share(profile['age_26_44'], entries)}",
              f"  45 ans et plus : {_share(profile['age_45_plus'], entries)}",
              f"  Sans qualification (VI, V bis) : {_share(profile['no_qualification'], entries)}",
              f"  Peu qualifié·es (V) : {_share(profile['low_qualification'], entries)}",
              f"  Qualifié·es (IV à I) : {_share(profile['qualified'], entries)}",
              f"  Niveau non renseigné : {_share(profile['education_unknown'], entries)}",
              f"  Bénéficiaires du RSA : {_share(profile['rsa'], entries)}",
              f"  Demandeur·ses d'emploi de longue durée : {_share(profile['deld'], entries)}",
              f"  Travailleur·ses handicapé·es (RQTH) : {_share(profile['rqth'], entries)}",
              f"  Résident·es d'un QPV : {_share(profile['qpv'], entries)}", ""]
    lines += ["Caractéristiques des sorties"]
    lines += [f"  {ExitReason(code).label} : {_number(count)}" for code, count in exits["by_reason"].items()]
    lines += [f"  Sorties positives / total des sorties : {_percent(rates['positive_exit_rate'])}",
              "  Sorties positives / total des sorties hors déménagement, décès, retraite : "
              f"{_percent(rates['positive_exit_rate_excluding_moves'])}",
              f"  Sorties positives / entrées : {_percent(rates['positive_exits_per_entry'])}",
              "  Taux de sorties positives par catégorie :"]
    category_labels = {"men": "Hommes", "women": "Femmes", "deld": "Demandeur·ses d'emploi de longue durée",
                       "rsa": "Bénéficiaires du RSA", "no_qualification": "Sans qualification (VI, V bis)",
                       "low_qualification": "Peu qualifié·es (V)", "qualified": "Qualifié·es (IV à I)"}
    lines += [f"    {category_labels[k]} : {_percent(v)}" for k, v in data["positive_exit_rate_by_category"].items()]
    steps = data["steps"]
    lines += ["", "Contenu des parcours",
              f"  Étapes commencées : {_number(steps['started'])}",
              f"  Étapes par participant·e en parcours : {_number(steps['per_participant'], 2)}"]
    lines += [f"    {StepType(code).label} : {_number(count)}" for code, count in steps["by_type"].items()]
    return "\n".join(str(line) for line in lines) + "\n"
