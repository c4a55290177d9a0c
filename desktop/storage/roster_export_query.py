"""The one query behind a roster export: every column of every member of a subtree.

Columns, not ORM objects: 10,000 members come back as 10,000 tuples in a
single scan. Rows are filtered here and ordered by the caller (branch order
is the organisation tree's, which SQL does not know).
"""
from __future__ import annotations

from sqlalchemy import Connection, or_, select

from ..domain.member import Status
from ..domain.roster_export import RECORD_KEYS
from .tables import MemberRow, OrganizationRow

T = MemberRow.__table__
O = OrganizationRow.__table__
G = O.alias("party_group")

_EXPORT_COLUMNS = {"org_name": O.c.name.label("org_name"),
                   "group_name": G.c.name.label("group_name")}

LEADING = ("org_id", "name_pinyin", "name_initials", "id")
"""The columns each row starts with, before the RECORD_KEYS values."""


def export_rows(conn: Connection, org_ids: list[int] | None, include_left: bool) -> list[tuple]:
    """(org_id, name_pinyin, name_initials, id, *RECORD_KEYS values[, status, left_date]).

    `org_ids` is the selected organisation and everything below it (None: all).
    A member counts when the branch or the 党小组 is in it. Members who left
    are included only with `include_left`, and then with their status and date.
    """
    cols = [T.c[k] for k in LEADING]
    cols += [_EXPORT_COLUMNS[k] if k in _EXPORT_COLUMNS else T.c[k] for k in RECORD_KEYS]
    if include_left:
        cols += [T.c.status, T.c.left_date]
    q = (select(*cols)
         .select_from(T.join(O, O.c.id == T.c.org_id).outerjoin(G, G.c.id == T.c.group_id)))
    if org_ids is not None:
        q = q.where(or_(T.c.org_id.in_(org_ids), T.c.group_id.in_(org_ids)))
    if not include_left:
        q = q.where(T.c.status == Status.ACTIVE.value)
    return [tuple(r) for r in conn.execute(q)]
