"""The roster table's queries: one indexed query for the ordered ids, then pages of rows.

Sorting and filtering happen here in SQL (never in a Qt proxy model), so 100,000
members sort in the time SQLite needs, and the view fetches only what it shows.
"""
from __future__ import annotations

from sqlalchemy import Connection, and_, func, or_, select

from ..domain.roster_view import (STATUS_ACTIVE, STATUS_ALL, RosterFilter, search_kind)
from .tables import MemberRow, OrganizationRow

T = MemberRow.__table__
O = OrganizationRow.__table__

_DISPLAY = {
    "org_name": O.c.name,
}


def _column(key: str):
    if key in _DISPLAY:
        return _DISPLAY[key]
    if key == "name":
        return T.c.name
    return T.c[key]


def _sort_column(key: str):
    if key == "name":
        return T.c.name_pinyin
    return _column(key)


def _where(f: RosterFilter) -> list:
    conds = []
    if f.org_ids is not None:
        conds.append(or_(T.c.org_id.in_(f.org_ids), T.c.group_id.in_(f.org_ids)))
    if f.status == STATUS_ACTIVE:
        conds.append(T.c.status == STATUS_ACTIVE)
    elif f.status != STATUS_ALL:
        conds.append(T.c.status != STATUS_ACTIVE)
    if f.category:
        conds.append(T.c.category == f.category)
    if f.classification:
        conds.append(T.c.classification == f.classification)
    text = f.text.strip()
    kind = search_kind(text)
    if kind == "pinyin":
        q = text.lower()
        conds.append(or_(T.c.name_initials.like(q + "%"),
                         func.replace(T.c.name_pinyin, " ", "").like(q + "%")))
    elif kind == "digits":
        q = "%" + text.upper() + "%"
        conds.append(or_(T.c.id_number.like(q), T.c.mobile.like(q), T.c.phone.like(q)))
    elif kind == "name":
        conds.append(T.c.name.like("%" + text + "%"))
    return conds


def ordered_ids(conn: Connection, f: RosterFilter) -> list[int]:
    """Every matching member id, in display order."""
    sort = _sort_column(f.sort_key)
    order = [sort.desc() if f.descending else sort.asc(),
             T.c.id.desc() if f.descending else T.c.id.asc()]
    q = select(T.c.id)
    if f.sort_key == "org_name":
        q = q.join(O, O.c.id == T.c.org_id)
    conds = _where(f)
    if conds:
        q = q.where(and_(*conds))
    return list(conn.execute(q.order_by(*order)).scalars())


def fetch_rows(conn: Connection, ids: list[int], keys: list[str]) -> dict[int, tuple]:
    """id → the values of `keys` for those ids (a page; at most a few hundred)."""
    if not ids:
        return {}
    cols = [_column(k) for k in keys]
    q = select(T.c.id, *cols).select_from(T.join(O, O.c.id == T.c.org_id)).where(T.c.id.in_(ids))
    return {r[0]: tuple(r[1:]) for r in conn.execute(q)}
