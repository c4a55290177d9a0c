"""The roster table's queries: one query for the ordered ids, then pages of rows.

Filtering happens here in SQL and sorting right after it (never in a Qt proxy
model), so the view holds only ids and fetches just the rows it shows.
"""
from __future__ import annotations

from sqlalchemy import Connection, String, and_, func, or_, select, type_coerce

from ..domain.names import pinyin_key
from ..domain.organization import OrgKind
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


def _scope(conn: Connection, org_ids: list[int]):
    """Members of these organisations. A 党小组's members also carry their branch's org_id,
    so group_id is needed only where a group is chosen without its branch (an OR over
    both columns would defeat the org_id index)."""
    groups = set(conn.execute(select(O.c.id).where(
        O.c.id.in_(org_ids), O.c.kind == OrgKind.GROUP.value)).scalars())
    if not groups:
        return T.c.org_id.in_(org_ids)
    others = [i for i in org_ids if i not in groups]
    if not others:
        return T.c.group_id.in_(sorted(groups))
    return or_(T.c.org_id.in_(others), T.c.group_id.in_(sorted(groups)))


def _where(conn: Connection, f: RosterFilter) -> list:
    conds = []
    if f.org_ids is not None:
        conds.append(_scope(conn, f.org_ids))
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
        conds.append(or_(T.c.name_initials.like(q + "%"), T.c.name_initials.like("% " + q + "%")))
    elif kind == "digits":
        q = "%" + text.upper() + "%"
        conds.append(or_(T.c.id_number.like(q), T.c.mobile.like(q), T.c.phone.like(q)))
    elif kind == "name":
        conds.append(T.c.name.like("%" + text + "%"))
    return conds


def ordered_ids(conn: Connection, f: RosterFilter) -> list[int]:
    """Every matching member id, in display order (ties broken by id).

    The SQL filters without ORDER BY and Python sorts (key, id): with ORDER BY,
    SQLite prefers walking an index and fetching every wide row at random, which
    on 100,000 members is several times slower than one scan and a sort here.
    """
    if f.sort_key == "name":
        keys = [T.c.name_pinyin, T.c.name_initials]
    elif f.sort_key == "org_name":
        keys = [T.c.org_id]
    else:
        # Raw text, not Python dates: cheaper to load, and ISO text sorts the same.
        keys = [type_coerce(_column(f.sort_key), String)]
    q = select(T.c.id, *keys)
    conds = _where(conn, f)
    if conds:
        q = q.where(and_(*conds))
    rows = _plain_rows(conn, q)
    if f.sort_key == "org_name":
        order = _org_order(conn)
        rows = [(r[0], order.get(r[1], ""), "") for r in rows]
    elif len(keys) == 1:
        rows = [(r[0], r[1] or "", "") for r in rows]
    # Empty values go last when ascending, first when descending.
    rows.sort(key=lambda r: (r[1] == "", r[1], r[2], r[0]), reverse=f.descending)
    return [r[0] for r in rows]


def first_page(conn: Connection, f: RosterFilter, limit: int) -> tuple[list[int], int] | None:
    """The first `limit` ids in ordered_ids' order, and how many match in all.

    A LIMIT query either walks an index (by name) or keeps a small heap while it scans,
    so the page a clerk sees comes long before the full id list of a whole street.
    None where the full list is as quick or SQL cannot give the order: a text search
    (its matches are few, and a LIMIT query scans as much as the full one), or
    organisations by the pinyin of their names.
    """
    if f.sort_key == "org_name" or f.text.strip():
        return None
    conds = _where(conn, f)
    if f.sort_key == "name":  # never empty: the order the roster index already holds
        keys = [T.c.name_pinyin, T.c.name_initials, T.c.id]
    else:
        value = func.coalesce(type_coerce(_column(f.sort_key), String), "")
        keys = [value == "", value, T.c.id]
    order = [k.desc() for k in keys] if f.descending else keys
    q = select(T.c.id).order_by(*order).limit(limit)
    count = select(func.count()).select_from(T)
    if conds:
        q = q.where(and_(*conds))
        count = count.where(and_(*conds))
    ids = [r[0] for r in _plain_rows(conn, q)]
    return ids, conn.execute(count).scalar_one()


def _plain_rows(conn: Connection, q) -> list[tuple]:
    """The rows as plain DB-API tuples, on the same connection and transaction.

    For 100,000 ids SQLAlchemy's Row objects cost about 100 ms more than the driver's
    tuples, the largest part of a click on the whole street.
    """
    c = q.compile(conn, compile_kwargs={"render_postcompile": True})
    params = tuple(c.params[k] for k in c.positiontup) if c.positiontup else c.params
    cur = conn.connection.dbapi_connection.cursor()
    try:
        cur.execute(str(c), params)
        return cur.fetchall()
    finally:
        cur.close()


def _org_order(conn: Connection) -> dict[int, str]:
    """Organisation id → its name in pinyin, so sorting by 所在党组织 follows 拼音 order."""
    return {i: pinyin_key(name) for i, name in conn.execute(select(O.c.id, O.c.name))}


def fetch_rows(conn: Connection, ids: list[int], keys: list[str]) -> dict[int, tuple]:
    """id → the values of `keys` for those ids (a page; at most a few hundred)."""
    if not ids:
        return {}
    cols = [_column(k) for k in keys]
    q = select(T.c.id, *cols).select_from(T.join(O, O.c.id == T.c.org_id)).where(T.c.id.in_(ids))
    return {r[0]: tuple(r[1:]) for r in conn.execute(q)}
