"""The rows the reminders (domain/reminders.py) judge: few members, fetched by flag."""
from __future__ import annotations

from sqlalchemy import Connection, or_, select

from ..domain.member import Category, Status
from ..domain.reminders import ContactRow, ProbationRow
from .roster_query import _scope as member_scope
from .tables import MemberRow, OrganizationRow

T = MemberRow.__table__
O = OrganizationRow.__table__


def _base(conn: Connection, cols: list, org_ids: list[int] | None):
    q = (select(*cols).select_from(T.join(O, O.c.id == T.c.org_id))
         .where(T.c.status == Status.ACTIVE.value))
    if org_ids is not None:
        q = q.where(member_scope(conn, org_ids))
    return q


def probationers(conn: Connection, org_ids: list[int] | None = None) -> list[ProbationRow]:
    """Active 预备党员 with their admission date and any extension."""
    if org_ids == []:
        return []
    q = _base(conn, [T.c.id, T.c.name, T.c.org_id, O.c.name.label("org_name"), T.c.joined,
                     T.c.probation_extension_months], org_ids)
    q = q.where(T.c.category == Category.PROBATIONARY.value)
    return [ProbationRow(*r) for r in conn.execute(q)]


def contact_rows(conn: Connection, org_ids: list[int] | None = None) -> list[ContactRow]:
    """Active members marked 失联 or 流动 (by the flag or the 流动党员 class)."""
    if org_ids == []:
        return []
    q = _base(conn, [T.c.id, T.c.name, T.c.org_id, O.c.name.label("org_name"), T.c.lost_contact,
                     T.c.lost_contact_date, T.c.is_mobile, T.c.classification, T.c.outflow,
                     T.c.modified_at], org_ids)
    q = q.where(or_(T.c.lost_contact.is_(True), T.c.is_mobile.is_(True),
                    T.c.classification == "流动党员"))
    return [ContactRow(r[0], r[1], r[2], r[3], bool(r[4]), r[5], bool(r[6]), r[7] or "",
                       r[8] or "", r[9]) for r in conn.execute(q)]
