"""The pages that show several people (lists, work lists, agendas, letters) log each person they show.

One rule for every such page: after the page is chosen (one page of a list, never the whole query), each person
on it gets one access-log row for the screen, in one insert. A single file's page logs its own row where it opens it.
tests/security/test_access_log_walk.py checks that every URL showing a person does so.
"""

from __future__ import annotations

from collections.abc import Iterable

from parcours.audit.services import access_log_record_many


def _participant_id(row) -> int:
    if hasattr(row, "participant_id"):        # a pathway, a document, an access-log row…
        return row.participant_id
    if hasattr(row, "pathway"):               # a row hanging on a pathway (a decision, a due assessment…)
        return row.pathway.participant_id
    return row.pk                             # a participant


def people_shown(request, rows: Iterable, *, screen: str) -> None:
    """Log each person of `rows` (what the answer shows) as opened by the signed-in user on `screen`."""
    access_log_record_many(user=request.user, participant_ids=[_participant_id(row) for row in rows], screen=screen)
