"""Reading and writing organisations and their committees."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, and_, func, or_, select

from ..domain.errors import NotFound
from ..domain.organization import (BranchKind, CommitteeRole, CommitteeSeat, OrgKind,
                                   Organization, OrgNode)
from .tables import CommitteeSeatRow, MemberRow, OrganizationRow, new_uuid, utcnow

T = OrganizationRow.__table__
S = CommitteeSeatRow.__table__
M = MemberRow.__table__

_FIELDS = ("name", "kind", "branch_kind", "parent_id", "founded", "term_start", "term_end",
           "contact", "remarks", "dissolved")


def _values(o: Organization) -> dict:
    return {
        "name": o.name.strip(), "kind": o.kind.value,
        "branch_kind": o.branch_kind.value if o.branch_kind else None,
        "parent_id": o.parent_id, "founded": o.founded, "term_start": o.term_start,
        "term_end": o.term_end, "contact": o.contact or "", "remarks": o.remarks or "",
        "dissolved": o.dissolved,
    }


def _from_row(r) -> Organization:
    return Organization(
        id=r.id, uuid=r.uuid, name=r.name, kind=OrgKind(r.kind),
        branch_kind=BranchKind(r.branch_kind) if r.branch_kind else None,
        parent_id=r.parent_id, founded=r.founded, term_start=r.term_start,
        term_end=r.term_end, contact=r.contact, remarks=r.remarks, dissolved=r.dissolved)


def insert(conn: Connection, o: Organization) -> int:
    now = utcnow()
    values = _values(o) | {"uuid": o.uuid or new_uuid(), "created_at": now,
                           "modified_at": now, "sort_order": 0}
    return conn.execute(T.insert().values(**values)).inserted_primary_key[0]


def update(conn: Connection, o: Organization) -> None:
    conn.execute(T.update().where(T.c.id == o.id).values(**_values(o), modified_at=utcnow()))


def get(conn: Connection, org_id: int) -> Organization:
    r = conn.execute(select(T).where(T.c.id == org_id)).first()
    if r is None:
        raise NotFound(f"组织（编号{org_id}）不存在")
    return _from_row(r)


def find_by_name(conn: Connection, name: str, include_dissolved: bool = False) -> list[Organization]:
    q = select(T).where(T.c.name == name.strip())
    if not include_dissolved:
        q = q.where(T.c.dissolved.is_(None))
    return [_from_row(r) for r in conn.execute(q.order_by(T.c.id))]


def all_organizations(conn: Connection) -> list[Organization]:
    return [_from_row(r) for r in conn.execute(select(T).order_by(T.c.sort_order, T.c.id))]


# Dict lookups, not OrgKind(value): the enum call costs more than the rest of a tree row
# (the tree is read at start-up, 2,500 rows on a large street).
_KINDS = {k.value: k for k in OrgKind}
_BRANCH_KINDS = {k.value: k for k in BranchKind}


def tree_nodes(conn: Connection, include_dissolved: bool = False) -> list[OrgNode]:
    """Every organisation with its own active member count (a flat list, tree order unknown)."""
    counts = dict(conn.execute(
        select(M.c.org_id, func.count()).where(M.c.status == "在册").group_by(M.c.org_id)).all())
    group_counts = dict(conn.execute(
        select(M.c.group_id, func.count()).where(M.c.status == "在册", M.c.group_id.is_not(None))
        .group_by(M.c.group_id)).all())
    q = select(T.c.id, T.c.name, T.c.kind, T.c.parent_id, T.c.branch_kind, T.c.dissolved)
    if not include_dissolved:
        q = q.where(T.c.dissolved.is_(None))
    nodes = []
    for id_, name, kind, parent_id, branch_kind, dissolved in conn.execute(
            q.order_by(T.c.sort_order, T.c.id)):
        kind = _KINDS[kind]
        own = (group_counts if kind is OrgKind.GROUP else counts).get(id_, 0)
        nodes.append(OrgNode(id=id_, name=name, kind=kind, parent_id=parent_id,
                             branch_kind=_BRANCH_KINDS[branch_kind] if branch_kind else None,
                             own_members=own, dissolved=dissolved))
    return nodes


def held_member_count(conn: Connection, org_id: int, kind: OrgKind) -> int:
    """Members on record (any status) that this organisation holds itself."""
    column = M.c.group_id if kind is OrgKind.GROUP else M.c.org_id
    return conn.execute(select(func.count()).select_from(M).where(column == org_id)).scalar_one()


def child_count(conn: Connection, org_id: int) -> int:
    return conn.execute(select(func.count()).select_from(T).where(
        T.c.parent_id == org_id, T.c.dissolved.is_(None))).scalar_one()


def active_member_count(conn: Connection, org_id: int) -> int:
    return conn.execute(select(func.count()).select_from(M).where(
        (M.c.org_id == org_id) | (M.c.group_id == org_id), M.c.status == "在册")).scalar_one()


def set_dissolved(conn: Connection, org_id: int, when: date | None) -> None:
    conn.execute(T.update().where(T.c.id == org_id).values(dissolved=when, modified_at=utcnow()))


def _held_on(day: date | None):
    """Seats held on `day` (None: now)."""
    if day is None:
        return S.c.ended_on.is_(None)
    return and_(or_(S.c.started_on.is_(None), S.c.started_on <= day),
                or_(S.c.ended_on.is_(None), S.c.ended_on > day))


def committee(conn: Connection, org_id: int, on: date | None = None) -> list[CommitteeSeat]:
    """The committee now, or as it stood on the day `on`."""
    q = (select(S.c.member_id, S.c.role, M.c.name).join(M, M.c.id == S.c.member_id)
         .where(S.c.org_id == org_id, _held_on(on)).order_by(S.c.sort_order, S.c.id))
    return [CommitteeSeat(member_id=r.member_id, role=CommitteeRole(r.role), member_name=r.name)
            for r in conn.execute(q)]


def set_committee(conn: Connection, org_id: int, seats: list[CommitteeSeat], when: date) -> None:
    """Make `seats` the committee from `when` on. Seats that end are kept as history (a seat
    begun that same day is simply withdrawn); the first committee recorded for an
    organisation counts from before the records began."""
    now = utcnow()
    current = {(r.member_id, r.role): r for r in conn.execute(
        select(S.c.id, S.c.member_id, S.c.role, S.c.started_on)
        .where(S.c.org_id == org_id, S.c.ended_on.is_(None)))}
    first = not current and conn.execute(
        select(func.count()).select_from(S).where(S.c.org_id == org_id)).scalar_one() == 0
    wanted = [(s.member_id, s.role.value) for s in seats]
    for key, r in current.items():
        if key in wanted:
            continue
        if r.started_on is not None and r.started_on >= when:
            conn.execute(S.delete().where(S.c.id == r.id))
        else:
            conn.execute(S.update().where(S.c.id == r.id).values(ended_on=when, modified_at=now))
    for i, key in enumerate(wanted):
        r = current.get(key)
        if r is not None:
            conn.execute(S.update().where(S.c.id == r.id, S.c.sort_order != i)
                         .values(sort_order=i, modified_at=now))
            continue
        conn.execute(S.insert().values(uuid=new_uuid(), created_at=now, modified_at=now,
                                       org_id=org_id, member_id=key[0], role=key[1], sort_order=i,
                                       started_on=None if first else when))


def secretaries(conn: Connection) -> dict[int, str]:
    """org id → the name of its 书记, for the tree and reports."""
    q = (select(S.c.org_id, M.c.name).join(M, M.c.id == S.c.member_id)
         .where(S.c.role == CommitteeRole.SECRETARY.value, S.c.ended_on.is_(None)))
    return dict(conn.execute(q).all())
