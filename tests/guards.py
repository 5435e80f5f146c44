"""Two checks on every SQL query the tests run (installed for the whole session by tests/conftest.py).

- A `select_for_update()` whose query joins another table must name the rows it locks with `of=`: on
  PostgreSQL a bare FOR UPDATE locks the joined rows too (a write on one pathway would queue behind its
  territory's row). SQLite ignores FOR UPDATE, so the check reads the compiled query, not the database.
- A query with no ORDER BY (none given, no Meta.ordering) comes back in random order, so that code relying
  on the order a database happens to return fails in the tests rather than in production.

The idea comes from gip-inclusion/les-emplois (tests/conftest.py, after Adam Johnson's note on randomly ordering
unordered querysets in tests); here Django's compiler is wrapped, not patched in its source.
"""

from __future__ import annotations

import functools

import pytest
from django.db.models.expressions import OrderBy
from django.db.models.functions import Random
from django.db.models.sql import compiler as sql

# Set on the queries of a UNION/INTERSECTION/DIFFERENCE: SQLite refuses an ORDER BY in them, and their order
# means nothing (the combined query's own order is the one that counts).
_IN_COMBINATION = "_parcours_guards_in_combination"


class LockWithoutOf(TypeError):
    """A select_for_update() on a query joining other tables did not say which rows it locks."""


def _joined_tables(query) -> list[str]:
    """The tables the compiled query joins to its base table (joins trimmed by the compiler not counted)."""
    return [join.table_name for alias, join in query.alias_map.items()
            if alias != query.base_table and query.alias_refcount.get(alias)]


def _checked_as_sql(original):
    @functools.wraps(original)
    def as_sql(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        query = self.query
        if query.select_for_update and not query.select_for_update_of:
            joined = _joined_tables(query)
            if query.select_related or joined:
                raise LockWithoutOf(
                    f"select_for_update() on {query.model._meta.label} joins {', '.join(joined) or 'select_related'}: "
                    "name the rows to lock with of=(\"self\", …), or PostgreSQL locks the joined rows too "
                    "(tests/guards.py)")
        return result

    return as_sql


def _random_order_pairs(original):
    @functools.wraps(original)
    def _order_by_pairs(self):
        pairs = list(original(self))
        query = self.query
        # No pair: no order_by(), no Meta.ordering, and not cleared on purpose (order_by(), count(), exists()…).
        unordered = not pairs and query.default_ordering and not query.order_by and not query.extra_order_by
        # No model: a constraint's check (SELECT 1 WHERE …), one row. DISTINCT: PostgreSQL wants every ORDER BY
        # expression in the select list. Combinations: see above.
        if (unordered and query.model is not None and not query.distinct and not query.combinator
                and not getattr(query, _IN_COMBINATION, False)):
            pairs.append((OrderBy(Random()), False))
        return iter(pairs)

    return _order_by_pairs


def _marking_combinator_sql(original):
    @functools.wraps(original)
    def get_combinator_sql(self, combinator, all):
        for part in self.query.combined_queries:
            setattr(part, _IN_COMBINATION, True)
        return original(self, combinator, all)

    return get_combinator_sql


def install(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wrap Django's SELECT compiler (`monkeypatch` undoes it). Updates, deletes, inserts and aggregates have
    their own compilers' as_sql and clear the ordering: they are left alone."""
    monkeypatch.setattr(sql.SQLCompiler, "as_sql", _checked_as_sql(sql.SQLCompiler.as_sql))
    monkeypatch.setattr(sql.SQLCompiler, "_order_by_pairs", _random_order_pairs(sql.SQLCompiler._order_by_pairs))
    monkeypatch.setattr(sql.SQLCompiler, "get_combinator_sql",
                        _marking_combinator_sql(sql.SQLCompiler.get_combinator_sql))
