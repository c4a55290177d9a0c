"""Member counts for statistics, in SQL: one scan, one SUM(CASE …) per column.

Nothing here loads members into Python: on 100,000 members the whole street's
counts, or its 党员统计表 by organisation, are a single aggregate query.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, and_, case, func, select

from ..domain.member import Status
from ..domain.stats import TOTAL_KEY, Counts, StatsColumn, birth_bounds
from .roster_query import _scope as member_scope
from .tables import MemberRow

T = MemberRow.__table__


def _condition(col: StatsColumn, columns: tuple[StatsColumn, ...], today: date):
    if col.ages is not None:
        after, on_or_before = birth_bounds(col.ages, today)
        conds = [T.c.birth_date.is_not(None)]
        if after is not None:
            conds.append(T.c.birth_date > after)
        if on_or_before is not None:
            conds.append(T.c.birth_date <= on_or_before)
        return and_(*conds)
    return T.c[col.field].in_(list(col.values))  # text columns are NOT NULL


def _summed(columns: tuple[StatsColumn, ...]) -> list[StatsColumn]:
    """The columns SQL counts; a `rest` column is the total less its siblings (they are
    disjoint), which saves a condition per member."""
    return [c for c in columns if not c.rest]


def _sums(columns: tuple[StatsColumn, ...], today: date) -> list:
    return [func.count().label(TOTAL_KEY)] + [
        func.coalesce(func.sum(case((_condition(c, columns, today), 1), else_=0)), 0)
        for c in _summed(columns)]


def _counts(row, columns: tuple[StatsColumn, ...], offset: int = 0) -> Counts:
    values = {TOTAL_KEY: int(row[offset] or 0)}
    for i, c in enumerate(_summed(columns), start=offset + 1):
        values[c.key] = int(row[i] or 0)
    for c in columns:
        if c.rest:
            values[c.key] = values[TOTAL_KEY] - sum(values[s.key] for s in columns
                                                    if s.group == c.group and not s.rest)
    return Counts(values)


def counts(conn: Connection, columns: tuple[StatsColumn, ...], today: date,
           org_ids: list[int] | None = None) -> Counts:
    """Active members of these organisations (None: all) counted per column."""
    q = select(*_sums(columns, today)).where(T.c.status == Status.ACTIVE.value)
    if org_ids is not None:
        if not org_ids:
            return Counts({TOTAL_KEY: 0})
        q = q.where(member_scope(conn, org_ids))
    return _counts(conn.execute(q).one(), columns)


def counts_by_org(conn: Connection, columns: tuple[StatsColumn, ...], today: date) -> dict[int, Counts]:
    """Each organisation's own active members (by the member's org_id) counted per column."""
    q = (select(T.c.org_id, *_sums(columns, today))
         .where(T.c.status == Status.ACTIVE.value).group_by(T.c.org_id))
    return {r[0]: _counts(r, columns, 1) for r in conn.execute(q)}
