"""The floor for `parcours indicators`: the same counts from one hand-written SQL query per figure group.

Run inside Django (bench/measure.py) so it uses the same connection settings as the application.
"""

from __future__ import annotations

from django.db import connection

POSITIVE = ("sustainable_employment", "qualifying_training", "other_positive")


def _age_years(entry: str, birth: str) -> str:
    if connection.vendor == "postgresql":
        return f"date_part('year', age({entry}, {birth}))"
    return (f"(CAST(strftime('%Y', {entry}) AS INTEGER) - CAST(strftime('%Y', {birth}) AS INTEGER)"
            f" - (strftime('%m-%d', {entry}) < strftime('%m-%d', {birth})))")


def _days(later: str, earlier: str) -> str:
    if connection.vendor == "postgresql":
        return f"({later} - {earlier})"
    return f"(julianday({later}) - julianday({earlier}))"


def floor_queries(date_from, date_to) -> dict:
    age = _age_years("pw.entry_date", "p.birth_date")
    positive = ", ".join(f"'{code}'" for code in POSITIVE)
    # The criteria are rows of the person (participants.ParticipantSituation), one LEFT JOIN per code read.
    situations = " ".join(f"LEFT JOIN participants_participantsituation s_{c} ON s_{c}.participant_id = p.id "
                          f"AND s_{c}.code = '{c}'" for c in ("rsa", "deld", "rqth"))
    queries = {
        "entries_profile": f"""
            SELECT COUNT(*),
                   SUM(CASE WHEN p.sex = 'F' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN {age} < 26 THEN 1 ELSE 0 END),
                   SUM(CASE WHEN {age} BETWEEN 26 AND 44 THEN 1 ELSE 0 END),
                   SUM(CASE WHEN {age} >= 45 THEN 1 ELSE 0 END),
                   SUM(CASE WHEN p.education_level IN ('VI', 'VBIS') THEN 1 ELSE 0 END),
                   SUM(CASE WHEN p.education_level = 'V' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN p.education_level IN ('IV', 'III', 'II', 'I') THEN 1 ELSE 0 END),
                   SUM(CASE WHEN p.education_level = '' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN s_rsa.value THEN 1 ELSE 0 END), SUM(CASE WHEN s_deld.value THEN 1 ELSE 0 END),
                   SUM(CASE WHEN s_rqth.value THEN 1 ELSE 0 END), SUM(CASE WHEN p.qpv_id IS NOT NULL THEN 1 ELSE 0 END)
            FROM pathways_pathway pw JOIN participants_participant p ON p.id = pw.participant_id
            {situations}
            WHERE pw.entry_date BETWEEN %s AND %s""",
        "participants_in_pathway": """
            SELECT COUNT(DISTINCT participant_id) FROM pathways_pathway
            WHERE entry_date <= %s AND (exit_date IS NULL OR exit_date >= %s)""",
        "exits": f"""
            SELECT exit_reason, COUNT(*), SUM({_days('exit_date', 'entry_date')}) FROM pathways_pathway
            WHERE exit_date BETWEEN %s AND %s GROUP BY exit_reason""",
        "exits_by_category": f"""
            SELECT SUM(CASE WHEN p.sex = 'M' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN p.sex = 'M' AND pw.exit_reason IN ({positive}) THEN 1 ELSE 0 END),
                   SUM(CASE WHEN p.sex = 'F' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN p.sex = 'F' AND pw.exit_reason IN ({positive}) THEN 1 ELSE 0 END),
                   SUM(CASE WHEN s_deld.value THEN 1 ELSE 0 END),
                   SUM(CASE WHEN s_deld.value AND pw.exit_reason IN ({positive}) THEN 1 ELSE 0 END),
                   SUM(CASE WHEN s_rsa.value THEN 1 ELSE 0 END),
                   SUM(CASE WHEN s_rsa.value AND pw.exit_reason IN ({positive}) THEN 1 ELSE 0 END),
                   SUM(CASE WHEN p.education_level IN ('VI', 'VBIS') THEN 1 ELSE 0 END),
                   SUM(CASE WHEN p.education_level IN ('VI', 'VBIS') AND pw.exit_reason IN ({positive}) THEN 1 ELSE 0 END),
                   SUM(CASE WHEN p.education_level = 'V' THEN 1 ELSE 0 END),
                   SUM(CASE WHEN p.education_level = 'V' AND pw.exit_reason IN ({positive}) THEN 1 ELSE 0 END),
                   SUM(CASE WHEN p.education_level IN ('IV', 'III', 'II', 'I') THEN 1 ELSE 0 END),
                   SUM(CASE WHEN p.education_level IN ('IV', 'III', 'II', 'I') AND pw.exit_reason IN ({positive}) THEN 1 ELSE 0 END)
            FROM pathways_pathway pw JOIN participants_participant p ON p.id = pw.participant_id
            {situations}
            WHERE pw.exit_date BETWEEN %s AND %s""",
        "steps": """
            SELECT step_type, COUNT(*) FROM pathways_step WHERE start_date BETWEEN %s AND %s GROUP BY step_type""",
    }
    params = {
        "entries_profile": [date_from, date_to],
        "participants_in_pathway": [date_to, date_from],
        "exits": [date_from, date_to],
        "exits_by_category": [date_from, date_to],
        "steps": [date_from, date_to],
    }
    results = {}
    with connection.cursor() as cursor:
        for name, sql in queries.items():
            cursor.execute(sql, params[name])
            results[name] = cursor.fetchall()
    return results
