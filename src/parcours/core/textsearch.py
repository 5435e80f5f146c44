"""Searching names without case, accents, spaces, hyphens or apostrophes, alike on PostgreSQL and SQLite.

`fold("Lefèvre-Dupré")` is "lefevredupre"; `Folded(F("last_name"))` is the same in SQL, so that a search for
"melanie" finds "Mélanie" and "le fevre" finds "LEFÈVRE" in the database, page by page, without loading people.

PostgreSQL folds with translate() over the letters below (no extension: `unaccent` needs a superuser to install,
and lower() of accented capitals depends on the database's locale); SQLite calls `fold` itself, registered on
each connection. The table is built from `fold`, so both sides agree on every letter it lists; a letter outside it
(rare in French civil status) is only lowercased on PostgreSQL.
"""

from __future__ import annotations

import unicodedata

from django.db.backends.signals import connection_created
from django.db.models import Func, TextField

SQLITE_FUNCTION = "parcours_fold"

# Latin letters with diacritics used in French and its neighbours, both cases, and the ligatures.
_LETTERS = ("àâäáãåāăąçćčďèéêëēėęěìíîïīįłñńňòóôöõøōőœŕřśšşťùúûüūůűųýÿźżžæßð"
            "ÀÂÄÁÃÅĀĂĄÇĆČĎÈÉÊËĒĖĘĚÌÍÎÏĪĮŁÑŃŇÒÓÔÖÕØŌŐŒŔŘŚŠŞŤÙÚÛÜŪŮŰŲÝŸŹŻŽÆ")
# What a name may hold between its words: dropped.
_SEPARATORS = " -'’‘`.,_/"
_SPECIAL = {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o",
            "đ": "d", "Đ": "d", "ð": "d"}


def fold(value: str | None) -> str:
    """Lowercase, without accents, ligatures spelt out, only letters and digits kept."""
    if not value:
        return ""
    spelt = "".join(_SPECIAL.get(c, c) for c in value)
    decomposed = unicodedata.normalize("NFKD", spelt)
    return "".join(c for c in decomposed if not unicodedata.combining(c) and c.isalnum()).casefold()


def _postgresql_table() -> tuple[str, str, list[tuple[str, str]]]:
    """translate()'s from and to strings (one letter for one), and the replacements of the longer foldings."""
    source, target, longer = [], [], []
    for letter in _LETTERS + "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        folded = fold(letter)
        if len(folded) == 1:
            source.append(letter)
            target.append(folded)
        elif folded:
            longer.append((letter, folded))
    # translate() drops the characters of `from` that have no counterpart in `to`: the separators go last.
    return "".join(source) + _SEPARATORS, "".join(target), longer


_PG_FROM, _PG_TO, _PG_LONGER = _postgresql_table()


class Folded(Func):
    """`fold` in SQL: `Folded(F("participant__last_name"))`."""

    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function=SQLITE_FUNCTION, **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        for letter, folded in _PG_LONGER:
            sql, params = f"replace({sql}, %s, %s)", [*params, letter, folded]
        return f"translate({sql}, %s, %s)", [*params, _PG_FROM, _PG_TO]


def _register(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, fold, deterministic=True)


def sqlite_function_register() -> None:
    """Connect the registration (core's AppConfig.ready): every SQLite connection knows `parcours_fold`."""
    connection_created.connect(_register, dispatch_uid="parcours.core.textsearch")
